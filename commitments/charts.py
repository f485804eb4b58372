"""Plotly figures of indicators, drawn from the same points as their tables.

Interim version with the interface of the public-pages branch's charts.py (`attach`,
`indicator_chart` giving {figure, summary, data_id}), which replaces it on merge.
"""

import json

import plotly.graph_objects as go
from django.utils.translation import gettext

from . import figures
from .models import Indicator


def _number(value):
    if value is None or figures.is_hidden(value):
        return None
    return float(value)


def indicator_chart(item):
    """{figure, summary, data_id} for an indicator with values, else None."""
    if not item.chart_points:
        return None
    points = item.chart_points
    fig = go.Figure(
        layout={
            "template": "none",
            "separators": ",\u00a0",
            "font": {"family": "'Source Sans 3', sans-serif", "size": 14, "color": "#1b1e23"},
            "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
            "height": 320,
            "yaxis": {"title": {"text": item.indicator.unit}, "rangemode": "tozero"},
            "xaxis": {"type": "category"},
        }
    )
    if item.indicator.kind == Indicator.Kind.DERIVED:
        fig.add_bar(
            x=[p.label for p in points],
            y=[_number(p.value) for p in points],
            text=[figures.display(p.value) for p in points],
            textposition="outside",
            marker={"color": "#0b3a6e", "pattern": {"shape": "/"}},
        )
    else:
        fig.add_scatter(
            x=[p.label for p in points],
            y=[_number(p.value) for p in points],
            mode="lines+markers",
            line={"color": "#0b3a6e", "width": 3},
        )
    return {
        "figure": json.loads(fig.to_json()),
        "summary": gettext("Chart of %(name)s per period.") % {"name": item.indicator.name.lower()},
        "data_id": f"chart-{item.indicator.pk}-data",
    }


def attach(items):
    """Give each IndicatorFigures its chart; True when the page has at least one."""
    for item in items:
        item.chart = indicator_chart(item)
    return any(item.chart for item in items)
