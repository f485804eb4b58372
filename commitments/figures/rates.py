"""Rate targets: "at least one traffic control a week", judged week by week.

A rate is met in a week (Monday to Sunday) or a calendar month when the indicator's figure in
it reaches the target. A week or month at the promise's start or end is judged when at least
half of it lies within the promise (four days of a week, as ISO week numbering has it), on
its days within the promise; a shorter remnant is not judged (its activities still count in
the total). Only periods that have ended by the day the figures run to are judged, so a week
in progress, or one whose activities are not yet public (the publication delay), is not
counted as missed. Coverage is the periods that met it out of those judged.

The figures of single days come from `Cells.days` (figures.cells), kept for the activity
types a rate counts.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Indicator


@dataclass(frozen=True)
class RatePeriod:
    start: date
    end: date
    value: object
    met: bool


@dataclass(frozen=True)
class Coverage:
    """How many of the judged weeks or months met the rate."""

    met: int
    judged: int
    periods: tuple  # RatePeriod, in order

    @property
    def share(self):
        return round(self.met * 100 / self.judged) if self.judged else None


def _next_start(day, period):
    if period == Indicator.RatePeriod.WEEK:
        return day - timedelta(days=day.weekday()) + timedelta(weeks=1)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def periods(period, start, end, *, through):
    """[(first day, last day)] of the weeks or months judged from start to end, that have
    ended by `through`: clipped to the promise, each with at least half its days in it."""
    result = []
    first = start
    while first <= end:
        whole_start = _period_start(first, period)
        following = _next_start(first, period)
        last = min(following - timedelta(days=1), end)
        if last > through:
            break
        length = (following - whole_start).days
        if ((last - first).days + 1) * 2 >= length:
            result.append((first, last))
        first = following
    return result


def coverage(indicator, values, *, through):
    """The Coverage of a rate indicator from its figure of each day ({date: value}, over its
    types and districts), judged through `through`."""
    promise, period = indicator.promise, indicator.rate_period
    totals = {}
    for day, value in values.items():
        first = max(_period_start(day, period), promise.start_date)
        totals[first] = totals.get(first, 0) + value
    judged = tuple(
        RatePeriod(
            first, last, totals.get(first, 0), totals.get(first, 0) >= indicator.target_value
        )
        for first, last in periods(period, promise.start_date, promise.end_date, through=through)
    )
    return Coverage(sum(p.met for p in judged), len(judged), judged)


def _period_start(day, period):
    if period == Indicator.RatePeriod.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)
