"""Indicators: what each one counts or measures, its values per tertial or period, and the
years before (the same indicators in the promises it continues).

Derived indicators sum the cells (`figures.cells`) over their activity types and districts;
measured ones list their entered values. Every figure says how it is counted
(`counting_rule`), in words made from the indicator's own definition.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext

from ..models import Indicator, Measurement, Promise
from ..models.continuity import EARLIER_YEARS
from ..tertials import Tertial
from . import rates
from .display import ZERO, Masked, is_hidden
from .wording import _progress, counting_rule, target_text

Target = Indicator.Target


@dataclass
class Point:
    """One value of an indicator: for a tertial or a measured period, in a district or all."""

    label: str
    value: object
    area: str = ""
    district: object | None = None
    start: object = None
    end: object = None
    text: str = ""  # said instead of the value: a milestone's "done"
    met: int | None = None  # of a rate, per tertial: the weeks or months that met it…
    judged: int | None = None  # … of those judged

    @property
    def coverage_text(self):
        if self.judged is None:
            return ""
        return gettext("%(met)s of %(judged)s") % {"met": self.met, "judged": self.judged}


@dataclass
class IndicatorFigures:
    indicator: Indicator
    counting_rule: str
    points: list  # per tertial (derived) or per period and district (measured)
    latest: Point | None
    total: object  # derived: the whole period so far; measured: None
    progress: str
    chart_points: list  # the points a chart draws: whole-area values in order
    chart: object = None  # set by the page from commitments.charts
    earlier: list = field(default_factory=list)  # promises whose values lead: add_earlier_years
    coverage: object = None  # rates.Coverage of a rate target
    reached_on: object = None  # the date a milestone was reached
    years: list = field(default_factory=list)  # YearResult of each year with its own target

    @property
    def baseline(self):
        return self.indicator.baseline_value

    @property
    def target(self):
        return self.indicator.target_value

    @property
    def is_withdrawn(self):
        return self.indicator.is_withdrawn

    @property
    def rate_heading(self):
        """What a rate's coverage counts: "weeks that met the target"."""
        if self.indicator.rate_period == Indicator.RatePeriod.WEEK:
            return gettext("weeks that met the target")
        return gettext("months that met the target")

    @property
    def target_text(self):
        """The target in words: "at least 30 lectures", "at least 1 control a week"."""
        return target_text(self.indicator)


@dataclass
class YearResult:
    """A year's figure against the year's own target."""

    year: int
    value: object
    target: object
    reached: bool | None  # None: the figure is hidden or there is none


def earlier_promises(promise, *, depth=EARLIER_YEARS):
    """The published promises this one continues (commitments.copying), to filter by.

    The predecessor, and each promise whose successors' successors… lead to it, in one
    subquery whatever the depth; none when it continues none.
    """
    promises = Promise.objects.public()
    if promise.previous_id is None:
        return promises.none()
    lookups, path = Q(pk=promise.previous_id), "successors"
    for _year in range(depth - 1):
        lookups |= Q(**{path: promise.previous_id})
        path += "__successors"
    return promises.filter(lookups)


def load_indicators(promise, *, measured_until=None, with_history=True):
    """The promise's indicators with their activity types, districts, measure and
    measurements, in four queries whatever their number. Withdrawn ones too: the
    pages say where they were and why they were withdrawn.

    With `measured_until`, only the measurements of periods ending by then: a report shows what
    was known of its tertial, whenever it is rendered. With `with_history`, each indicator's
    `history` holds the indicators of the same name and kind in the promises it continues,
    oldest first, loaded alike (`add_earlier_years` reads them).
    """
    measurements = Measurement.objects.select_related("district")
    if measured_until is not None:
        measurements = measurements.filter(period_end__lte=measured_until)
    scope = Q(promise=promise)
    if with_history and promise.previous_id is not None:
        names = Indicator.objects.filter(promise=promise).values("name")
        scope |= Q(promise__in=earlier_promises(promise), name__in=names)
    indicators = list(
        Indicator.objects.filter(scope)
        .select_related("promise", "measure__activity_type")
        .prefetch_related(
            "activity_types",
            "districts",
            Prefetch("measurements", queryset=measurements.order_by("period_start", "period_end")),
        )
    )
    current = [i for i in indicators if i.promise_id == promise.pk]
    earlier = [i for i in indicators if i.promise_id != promise.pk and not i.is_withdrawn]
    for indicator in current:
        indicator.history = sorted(
            (e for e in earlier if (e.name, e.kind) == (indicator.name, indicator.kind)),
            key=lambda e: e.promise.start_date,
        )
    return current


def _area(districts):
    names = [d.name for d in districts]
    return get_text_list(names, gettext("and")) if names else gettext("The whole area")


def _derived_value(indicator, cells, tertials):
    type_ids = {t.pk for t in indicator.activity_types.all()}
    district_ids = {d.pk for d in indicator.districts.all()}
    total = ZERO if indicator.aggregation != Indicator.Aggregation.COUNT else 0
    for (type_id, district_id, tertial), cell in cells.items():
        if tertial not in tertials:
            continue
        if type_id not in type_ids or (district_ids and district_id not in district_ids):
            continue
        if indicator.aggregation == Indicator.Aggregation.COUNT:
            total += cell.count
        elif indicator.aggregation == Indicator.Aggregation.SUM_HOURS:
            total += cell.hours
        else:
            total += cell.values.get(indicator.measure_id, ZERO)
    return total


def _protect_indicator(indicator, value, public):
    sensitive = any(t.is_sensitive for t in indicator.activity_types.all())
    threshold = settings.SENSITIVE_THRESHOLD
    counts = indicator.aggregation == Indicator.Aggregation.COUNT
    if public and sensitive and counts and 0 < value < threshold:
        return Masked(threshold)
    return value


def _year_results(indicator, values):
    """YearResult of each year with a target, from {year: the year's figure}."""
    results = []
    for year, target in indicator.targets_by_year():
        value = values.get(year)
        if value is None or is_hidden(value):
            reached = None
        elif indicator.target_kind == Target.AT_MOST:
            reached = value <= target
        else:
            reached = value >= target
        results.append(YearResult(year, value, target, reached))
    return results


def _day_cells(indicator, cells):
    """{date: Cell} of the indicator's types and districts, from the cells' days."""
    type_ids = {t.pk for t in indicator.activity_types.all()}
    district_ids = {d.pk for d in indicator.districts.all()}
    days = {}
    for (type_id, district_id, day), cell in cells.days.items():
        if type_id in type_ids and (not district_ids or district_id in district_ids):
            days.setdefault(day, []).append(cell)
    return days


def _value_of(indicator):
    """The figure of one cell by the indicator's counting rule."""
    if indicator.aggregation == Indicator.Aggregation.COUNT:
        return lambda cell: cell.count
    if indicator.aggregation == Indicator.Aggregation.SUM_HOURS:
        return lambda cell: cell.hours
    return lambda cell: cell.values.get(indicator.measure_id, ZERO)


def _rate_coverage(indicator, cells, until):
    value_of = _value_of(indicator)
    values = {
        day: sum((value_of(c) for c in day_cells), start=0)
        for day, day_cells in _day_cells(indicator, cells).items()
    }
    return rates.coverage(indicator, values, through=until)


def _first_day(indicator, cells, tertials):
    type_ids = {t.pk for t in indicator.activity_types.all()}
    district_ids = {d.pk for d in indicator.districts.all()}
    days = [
        cell.first
        for (type_id, district_id, tertial), cell in cells.items()
        if tertial in tertials
        and type_id in type_ids
        and (not district_ids or district_id in district_ids)
        and cell.first is not None
    ]
    return min(days, default=None)


def _milestone(indicator, cells, tertials, until):
    """(the date it was reached or None, its points): a step from not done to done."""
    reached_on = indicator.milestone_reached_on
    if reached_on is None and indicator.kind == Indicator.Kind.DERIVED:
        reached_on = _first_day(indicator, cells, set(tertials))
    if reached_on is not None and until is not None and reached_on > until:
        reached_on = None
    start = indicator.promise.start_date
    area = _area(indicator.districts.all())
    points = [
        Point(formats.date_format(start), 0, area=area, start=start, text=gettext("not done"))
    ]
    if reached_on is not None:
        done = gettext("done")
        if indicator.milestone_note:
            done = f"{done}: {indicator.milestone_note}"
        points.append(
            Point(formats.date_format(reached_on), 1, area=area, start=reached_on, text=done)
        )
    return reached_on, points


def indicator_figures(indicators, cells, *, tertials, until=None, public=True):
    """IndicatorFigures of each indicator (from `load_indicators`), in order.

    Derived indicators sum the activity cells over their types and districts per tertial
    and in total; measured ones list their Measurement rows, whole area first. A rate is
    judged over the weeks or months ended by `until` (the last day the figures run to), a
    milestone is reached by then or not. A withdrawn indicator has no figures: the page says
    it was withdrawn, when and why.
    """
    result = []
    for indicator in indicators:
        coverage = reached_on = None
        years = []
        if indicator.is_withdrawn:
            result.append(IndicatorFigures(indicator, "", [], None, None, "", []))
            continue
        if indicator.target_kind == Target.MILESTONE:
            reached_on, points = _milestone(indicator, cells, tertials, until)
            total = latest = None
            chart_points = points
            progress = _progress(indicator, None, cumulative=False, reached_on=reached_on)
        elif indicator.kind == Indicator.Kind.DERIVED:
            area = _area(indicator.districts.all())
            points = [
                Point(
                    str(t),
                    _protect_indicator(indicator, _derived_value(indicator, cells, {t}), public),
                    area=area,
                    start=t.start,
                    end=t.end,
                )
                for t in tertials
            ]
            total = _protect_indicator(
                indicator, _derived_value(indicator, cells, set(tertials)), public
            )
            latest = None
            chart_points = points
            if indicator.target_kind == Target.RATE:
                coverage = _rate_coverage(indicator, cells, until or indicator.promise.end_date)
                for point, tertial in zip(points, tertials, strict=True):
                    judged = [p for p in coverage.periods if Tertial.of(p.start) == tertial]
                    point.met, point.judged = sum(p.met for p in judged), len(judged)
            in_year = {
                year: _derived_value(indicator, cells, {t for t in tertials if t.year == year})
                for year, _target in indicator.targets_by_year()
            }
            years = _year_results(
                indicator,
                {year: _protect_indicator(indicator, v, public) for year, v in in_year.items()},
            )
            progress = _progress(indicator, total, cumulative=True, coverage=coverage, years=years)
        else:
            measurements = sorted(
                indicator.measurements.all(),
                key=lambda m: (
                    m.period_start,
                    m.period_end,
                    m.district is not None,
                    m.district.order if m.district else 0,
                ),
            )
            points = [
                Point(
                    _period_label(m.period_start, m.period_end),
                    m.value,
                    area=_area([m.district] if m.district else []),
                    district=m.district,
                    start=m.period_start,
                    end=m.period_end,
                )
                for m in measurements
            ]
            chart_points = [p for p in points if p.district is None]
            total = None
            if chart_points:
                latest = chart_points[-1]
                # A measured year's figure is its last value.
                years = _year_results(indicator, {p.end.year: p.value for p in chart_points})
                progress = _progress(indicator, latest.value, cumulative=False, years=years)
            else:
                # Values only per district: the chart draws each, the status speaks of each.
                chart_points = points
                latest = None
                last = {p.district.pk: p for p in points}
                progress = " ".join(
                    f"{p.district.name} ({p.label}): "
                    f"{_progress(indicator, p.value, cumulative=False)}"
                    for p in last.values()
                ) or _progress(indicator, None, cumulative=False)
        result.append(
            IndicatorFigures(
                indicator=indicator,
                counting_rule=counting_rule(indicator),
                points=points,
                latest=latest,
                total=total,
                progress=progress,
                chart_points=chart_points,
                coverage=coverage,
                reached_on=reached_on,
                years=years,
            )
        )
    return result


def _period_label(start, end):
    """A tertial's name when the period is one (T1 2018), else the dates."""
    tertial = Tertial.of(start)
    if tertial.start == start and tertial.end == end:
        return str(tertial)
    return f"{formats.date_format(start)} – {formats.date_format(end)}"
