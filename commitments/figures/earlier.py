"""The years before: the same indicators in the promises this one continues.

A promise continued into its next period (commitments.copying) keeps its indicators' names;
its pages show their earlier values before this period's.
"""

from ..models import Indicator
from .indicators import indicator_figures
from .tables import promise_tertials

Target = Indicator.Target


def add_earlier_years(items, cells, *, public=True):
    """Put the values of the same indicators in the promise's earlier years before each item's.

    A promise copied to a new year keeps its indicators' names, so an indicator's history is
    the indicators of that name and kind in the promises it continues: `load_indicators`
    reads them with this year's, and `cells` must hold their promises' cells too
    (`for_promise` reads them together). Their points come from `indicator_figures` like this
    year's; the total and the status stay this year's. No query.
    """
    for item in items:
        if item.is_withdrawn or item.indicator.target_kind == Target.MILESTONE:
            continue
        past = [
            (
                earlier.promise,
                indicator_figures(
                    [earlier],
                    cells,
                    tertials=promise_tertials(earlier.promise),
                    until=earlier.promise.end_date,
                    public=public,
                )[0],
            )
            for earlier in getattr(item.indicator, "history", [])
            if earlier.target_kind != Target.MILESTONE
        ]
        item.earlier = [year_promise for year_promise, _ in past]
        item.points = [p for _, earlier_item in past for p in earlier_item.points] + item.points
        item.chart_points = [
            p for _, earlier_item in past for p in earlier_item.chart_points
        ] + item.chart_points
    return items
