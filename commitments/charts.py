"""Plotly figures of the figures in commitments.figures: the same on the web and in the PDF.

Each chart has its numbers in a table beside it (the include that shows the figures), a
one-sentence summary, and patterns as well as colours, so that colour is never the only cue.
"""

import plotly.graph_objects as go

BRAND = "#0b3a6e"
FONT = "'Source Sans 3', sans-serif"


def activities_per_tertial(rows, *, title):
    """A bar chart of the number of activities per tertial; masked counts are left out."""
    labels = [row.label for row in rows]
    counts = [row.count.value if not row.count.masked else None for row in rows]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            marker={"color": BRAND, "pattern": {"shape": "/"}},
            text=[str(c) if c is not None else "" for c in counts],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        title={"text": title, "font": {"size": 14}},
        font={"family": FONT, "size": 12, "color": "#1b1e23"},
        margin={"l": 40, "r": 10, "t": 40, "b": 30},
        width=520,
        height=260,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        yaxis={"gridcolor": "#c9ced6", "rangemode": "tozero"},
        separators=", ",
    )
    return figure
