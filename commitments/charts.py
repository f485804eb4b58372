"""Plotly figures of indicators, drawn from the same points as their tables.

A chart takes an `IndicatorFigures` from `commitments.figures`, so it cannot show another
number than the table beside it. It never relies on colour alone: a bar chart has one
series and each bar carries its value as text, lines differ by marker symbol and dash,
and baseline and target are labelled lines. The figure travels to the browser as JSON in a
data block, rendered by static/js/charts.js with plotly.js from our own static files; the PDF
report has kaleido draw the same figure as SVG.

The figure is written as plotly's JSON directly, as plotly.py would write it: building it
through plotly.graph_objects validated every property and took half of a promise page's
rendering (about 20 of 44 ms for Eskilstuna, docs/benchmarks.md).
"""

from django.utils import formats
from django.utils.translation import get_language, gettext

from . import figures
from .models import Indicator

# Dark enough for 4.5:1 against white, and told apart by shape as well.
COLOURS = ["#0b3a6e", "#a4161a", "#1d6b34", "#6a3d9a", "#8a4b00"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]


def _number(value):
    """A chart cannot draw a masked figure: it leaves a gap, and the table says why."""
    if value is None or figures.is_hidden(value):
        return None
    return float(value)


def _step(top):
    """A tick step of 1, 2 or 5 times a power of ten giving at most five steps up to top."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * 5 >= top:
                return step * factor
        step *= 10


def count_ticks(values):
    """Whole-number ticks from 0 up past the largest value, or None for values with decimals.

    plotly's own ticks for a count of at most 1 are 0, 0.2, 0.4…: "0,2 råd" of a council.
    """
    numbers = [v for v in values if v is not None]
    if any(v != int(v) for v in numbers):
        return None
    largest = max(numbers, default=0)
    step = _step(max(largest, 1))
    top = step
    while top < largest:
        top += step
    return list(range(0, int(top) + 1, int(step)))


def _layout(item, *, title=None, values=()):
    indicator = item.indicator
    # Decimal comma and non-breaking-space grouping in Swedish, as in the tables.
    separators = ",\u00a0" if get_language() == "sv" else ".,"
    yaxis = {
        "gridcolor": "#c9ced6",
        "rangemode": "tozero",
        "title": {"text": title or indicator.unit},
    }
    ticks = count_ticks(values)
    if ticks is not None:
        # Room above the highest tick for the bars' values written above them.
        yaxis.update(
            tickmode="array",
            tickvals=ticks,
            ticktext=[figures.display(t) for t in ticks],
            range=[0, ticks[-1] * 1.15],
        )
    return {
        "font": {"color": "#1b1e23", "family": "system-ui, sans-serif", "size": 14},
        "height": 320,
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"b": 48, "l": 56, "r": 16, "t": 16},
        "separators": separators,
        "showlegend": indicator.kind == Indicator.Kind.MEASURED,
        # plotly's "none" template, as plotly.py writes it.
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "xaxis": {"type": "category"},
        "yaxis": yaxis,
    }


def _reference_lines(layout, item):
    """Baseline and target as labelled horizontal lines across the plot.

    The baseline's label sits at the left end of its line and the target's at the right, on
    a white ground, so that neither is drawn over the other, a tick or a line.
    """
    for value, label, dash, side in [
        (item.baseline, gettext("Baseline"), "dot", 0),
        (item.target, gettext("Target"), "dash", 1),
    ]:
        if value is None:
            continue
        y = float(value)
        layout.setdefault("shapes", []).append(
            {
                "line": {"color": "#4a5160", "dash": dash, "width": 2},
                "type": "line",
                "x0": 0,
                "x1": 1,
                "xref": "x domain",
                "y0": y,
                "y1": y,
                "yref": "y",
            }
        )
        layout.setdefault("annotations", []).append(
            {
                "bgcolor": "#ffffff",
                "font": {"color": "#1b1e23"},
                "showarrow": False,
                "text": f"{label} {figures.display(value)}",
                "x": side,
                "xanchor": "right" if side else "left",
                "xref": "x domain",
                "y": y,
                "yanchor": "bottom",
                "yref": "y",
            }
        )


def _bars(item, points, values, texts, *, title=None):
    bar = {
        "hoverinfo": "x+text",
        # One series: each bar carries its value as text, so colour says nothing on its own.
        "marker": {"color": COLOURS[0], "line": {"color": "#1b1e23", "width": 1}},
        "name": item.indicator.name,
        "text": texts,
        "textposition": "outside",
        "x": [p.label for p in points],
        "y": values,
        "type": "bar",
    }
    # A cumulative target is not per tertial: only the measured charts draw it.
    return {"data": [bar], "layout": _layout(item, title=title, values=values)}


def _derived(item):
    points = item.chart_points
    if item.coverage is not None:
        # A rate: per tertial, the weeks or months that met it.
        return _bars(
            item,
            points,
            [p.met for p in points],
            [p.coverage_text for p in points],
            title=item.rate_heading,
        )
    return _bars(
        item, points, [_number(p.value) for p in points], [figures.display(p.value) for p in points]
    )


def _milestone(item):
    """A dated step from "not done" to "done", on a time axis labelled with our own dates."""
    points = item.chart_points
    start = points[0].start
    x = [(p.start - start).days for p in points]
    y = [p.value for p in points]
    labels = [p.label for p in points]
    end = item.indicator.promise.end_date
    if x[-1] < (end - start).days:
        # The line runs on to the promise's end.
        x.append((end - start).days)
        y.append(y[-1])
        labels.append(formats.date_format(end))
    # A date too close to the one before it is left unlabelled rather than drawn over it.
    tickvals, ticktext = [], []
    for value, label in zip(x, labels, strict=True):
        if not tickvals or value - tickvals[-1] >= x[-1] * 0.2:
            tickvals.append(value)
            ticktext.append(label)
    line = {
        "hoverinfo": "text",
        "line": {"color": COLOURS[0], "shape": "hv", "width": 3},
        "marker": {"size": 10, "symbol": SYMBOLS[0]},
        "mode": "lines+markers",
        "name": item.indicator.name,
        "text": [p.text for p in points] + [points[-1].text] * (len(x) - len(points)),
        "x": x,
        "y": y,
        "type": "scatter",
    }
    layout = _layout(item, title=" ")
    layout["xaxis"] = {
        "range": [-0.02 * x[-1], x[-1] * 1.02],
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "type": "linear",
    }
    layout["yaxis"].update(
        range=[-0.15, 1.3],
        tickmode="array",
        tickvals=[0, 1],
        ticktext=[gettext("not done"), gettext("done")],
    )
    layout["margin"]["l"] = 88
    return {"data": [line], "layout": layout}


def _measured(item):
    series = {}
    for point in item.chart_points:
        name = point.district.name if point.district else gettext("The whole area")
        series.setdefault(name, []).append(point)
    data = []
    for index, (name, points) in enumerate(series.items()):
        n = index % len(COLOURS)
        data.append(
            {
                "hovertemplate": "%{x}: %{y}<extra>" + name + "</extra>",
                "line": {"color": COLOURS[n], "dash": DASHES[n], "width": 3},
                "marker": {"size": 10, "symbol": SYMBOLS[n]},
                "mode": "lines+markers",
                "name": name,
                "x": [p.label for p in points],
                "y": [_number(p.value) for p in points],
                "type": "scatter",
            }
        )
    values = [_number(p.value) for p in item.chart_points]
    values += [_number(v) for v in (item.baseline, item.target) if v is not None]
    layout = _layout(item, values=values)
    _reference_lines(layout, item)
    return {"data": data, "layout": layout}


def summary(item):
    """One sentence a reader gets instead of (or before) the chart."""
    indicator = item.indicator
    name = indicator.name.lower()
    if indicator.target_kind == Indicator.Target.MILESTONE:
        return gettext("Step chart of %(name)s from not done to done. %(progress)s") % {
            "name": name,
            "progress": item.progress,
        }
    if item.coverage is not None:
        return gettext(
            "Bar chart of the %(periods)s per tertial: %(progress)s %(total)s %(unit)s in total."
        ) % {
            "periods": item.rate_heading,
            "progress": item.progress,
            "total": figures.display(item.total),
            "unit": indicator.unit_for(item.total),
        }
    if indicator.kind == Indicator.Kind.DERIVED:
        return gettext("Bar chart of %(name)s per tertial: %(total)s %(unit)s in total so far.") % {
            "name": name,
            "total": figures.display(item.total),
            "unit": indicator.unit_for(item.total),
        }
    return gettext("Line chart of %(name)s per period. %(progress)s") % {
        "name": name,
        "progress": item.progress,
    }


def title(item):
    """The chart's title, as the report prints it above the chart."""
    indicator = item.indicator
    if indicator.target_kind == Indicator.Target.MILESTONE:
        return gettext("%(name)s: done or not, by date") % {"name": indicator.name}
    if item.coverage is not None:
        return gettext("%(name)s: %(periods)s per tertial") % {
            "name": indicator.name,
            "periods": item.rate_heading,
        }
    if indicator.kind == Indicator.Kind.DERIVED:
        return gettext("%(name)s per tertial") % {"name": indicator.name}
    return gettext("%(name)s (%(unit)s) per period") % {
        "name": indicator.name,
        "unit": indicator.unit,
    }


def indicator_chart(item):
    """{figure, title, summary, data_id} for an indicator with values, else None."""
    if not item.chart_points:
        return None
    if item.indicator.target_kind == Indicator.Target.MILESTONE:
        figure = _milestone(item)
    elif item.indicator.kind == Indicator.Kind.DERIVED:
        figure = _derived(item)
    else:
        figure = _measured(item)
    return {
        "figure": figure,
        "title": title(item),
        "summary": summary(item),
        "data_id": f"chart-{item.indicator.pk}-data",
    }


def attach(items):
    """Give each IndicatorFigures its chart; True when the page has at least one."""
    for item in items:
        item.chart = indicator_chart(item)
    return any(item.chart for item in items)
