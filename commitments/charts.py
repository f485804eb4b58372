"""Plotly figures of indicators, drawn from the same points as their tables.

A chart takes an `IndicatorFigures` from `commitments.figures`, so it cannot show another
number than the table beside it. It never relies on colour alone: a bar chart has one
series and each bar carries its value as text, lines differ by marker symbol and dash,
and baseline and target are labelled lines. The figure travels to the browser as JSON in a
data block, rendered by static/js/charts.js with plotly.js from our own static files.
"""

import json

import plotly.graph_objects as go
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
    return go.Layout(
        template="none",
        separators=separators,
        font={"family": "system-ui, sans-serif", "size": 14, "color": "#1b1e23"},
        margin={"l": 56, "r": 16, "t": 16, "b": 48},
        height=320,
        yaxis={"title": {"text": indicator.unit}, "rangemode": "tozero", "gridcolor": "#c9ced6"},
        xaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.2},
        showlegend=indicator.kind == Indicator.Kind.MEASURED,
    )


def _reference_lines(fig, item):
    for value, label, dash in [
        (item.baseline, gettext("Baseline"), "dot"),
        (item.target, gettext("Target"), "dash"),
    ]:
        if value is None:
            continue
        fig.add_hline(
            y=float(value),
            line={"color": "#4a5160", "dash": dash, "width": 2},
            annotation_text=f"{label} {figures.display(value)}",
            annotation_position="top left",
            annotation_font={"color": "#1b1e23"},
        )


def _derived(item):
    points = item.chart_points
    fig = go.Figure(layout=_layout(item))
    fig.add_bar(
        x=[p.label for p in points],
        y=[_number(p.value) for p in points],
        text=[figures.display(p.value) for p in points],
        textposition="outside",
        # One series: each bar carries its value as text, so colour says nothing on its own.
        marker={"color": COLOURS[0], "line": {"color": "#1b1e23", "width": 1}},
        name=item.indicator.name,
        hoverinfo="x+text",
    )
    # A cumulative target is not per tertial: only the measured charts draw it.
    return fig


def _measured(item):
    fig = go.Figure(layout=_layout(item))
    series = {}
    for point in item.chart_points:
        name = point.district.name if point.district else gettext("The whole area")
        series.setdefault(name, []).append(point)
    for index, (name, points) in enumerate(series.items()):
        n = index % len(COLOURS)
        fig.add_scatter(
            x=[p.label for p in points],
            y=[_number(p.value) for p in points],
            mode="lines+markers",
            name=name,
            line={"color": COLOURS[n], "dash": DASHES[n], "width": 3},
            marker={"symbol": SYMBOLS[n], "size": 10},
            hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
        )
    _reference_lines(fig, item)
    return fig


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
    fig = _derived(item) if item.indicator.kind == Indicator.Kind.DERIVED else _measured(item)
    return {
        "figure": json.loads(fig.to_json()),
        "summary": summary(item),
        "data_id": f"chart-{item.indicator.pk}-data",
    }


def attach(items):
    """Give each IndicatorFigures its chart; True when the page has at least one."""
    for item in items:
        item.chart = indicator_chart(item)
    return any(item.chart for item in items)
