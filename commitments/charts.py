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


def _layout(item):
    indicator = item.indicator
    # Decimal comma and non-breaking-space grouping in Swedish, as in the tables.
    separators = ",\u00a0" if get_language() == "sv" else ".,"
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
        "yaxis": {"gridcolor": "#c9ced6", "rangemode": "tozero", "title": {"text": indicator.unit}},
    }


def _reference_lines(layout, item):
    """Baseline and target as labelled horizontal lines across the plot."""
    for value, label, dash in [
        (item.baseline, gettext("Baseline"), "dot"),
        (item.target, gettext("Target"), "dash"),
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
                "font": {"color": "#1b1e23"},
                "showarrow": False,
                "text": f"{label} {figures.display(value)}",
                "x": 0,
                "xanchor": "left",
                "xref": "x domain",
                "y": y,
                "yanchor": "bottom",
                "yref": "y",
            }
        )


def _derived(item):
    points = item.chart_points
    bar = {
        "hoverinfo": "x+text",
        # One series: each bar carries its value as text, so colour says nothing on its own.
        "marker": {"color": COLOURS[0], "line": {"color": "#1b1e23", "width": 1}},
        "name": item.indicator.name,
        "text": [figures.display(p.value) for p in points],
        "textposition": "outside",
        "x": [p.label for p in points],
        "y": [_number(p.value) for p in points],
        "type": "bar",
    }
    # A cumulative target is not per tertial: only the measured charts draw it.
    return {"data": [bar], "layout": _layout(item)}


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
    layout = _layout(item)
    _reference_lines(layout, item)
    return {"data": data, "layout": layout}


def summary(item):
    """One sentence a reader gets instead of (or before) the chart."""
    indicator = item.indicator
    if indicator.kind == Indicator.Kind.DERIVED:
        return gettext("Bar chart of %(name)s per tertial: %(total)s %(unit)s in total so far.") % {
            "name": indicator.name.lower(),
            "total": figures.display(item.total),
            "unit": indicator.unit,
        }
    return gettext("Line chart of %(name)s per period. %(progress)s") % {
        "name": indicator.name.lower(),
        "progress": item.progress,
    }


def indicator_chart(item):
    """{figure, summary, data_id} for an indicator with values, else None."""
    if not item.chart_points:
        return None
    figure = _derived(item) if item.indicator.kind == Indicator.Kind.DERIVED else _measured(item)
    return {
        "figure": figure,
        "summary": summary(item),
        "data_id": f"chart-{item.indicator.pk}-data",
    }


def attach(items):
    """Give each IndicatorFigures its chart; True when the page has at least one."""
    for item in items:
        item.chart = indicator_chart(item)
    return any(item.chart for item in items)
