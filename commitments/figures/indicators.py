"""Indicators: what each one counts or measures, its values per tertial or period, and the
years before (the same indicators in the promises it continues).

Derived indicators sum the cells (`figures.cells`) over their activity types and districts;
measured ones list their entered values. Every figure says how it is counted
(`counting_rule`), in words made from the indicator's own definition.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from ..models import Indicator, Measurement, Promise
from ..models.promise import EARLIER_YEARS
from ..tertials import Tertial
from . import rates
from .display import ZERO, Masked, display, is_hidden
from .tables import promise_tertials

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


def target_text(indicator):
    value = indicator.target_value
    number = display(value)
    unit = indicator.unit_for(value)
    kind = indicator.target_kind
    if kind == Target.AT_LEAST:
        return gettext("at least %(number)s %(unit)s") % {"number": number, "unit": unit}
    if kind == Target.AT_MOST:
        return gettext("at most %(number)s %(unit)s") % {"number": number, "unit": unit}
    if kind == Target.RATE:
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return gettext("at least %(number)s %(unit)s every week") % {
                "number": number,
                "unit": unit,
            }
        return gettext("at least %(number)s %(unit)s every month") % {
            "number": number,
            "unit": unit,
        }
    if kind == Target.MILESTONE:
        return gettext("a milestone: done or not")
    return gettext("none")


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


def counting_rule(indicator):
    """How a reader can check the figure, in words generated from the indicator's definition."""
    districts = [d.name for d in indicator.districts.all()]
    where = (
        gettext("in %(districts)s") % {"districts": get_text_list(districts, gettext("and"))}
        if districts
        else gettext("in every district of the promise")
    )
    if indicator.kind == Indicator.Kind.MEASURED:
        rule = gettext(
            "Measured values entered per period, for the whole area or per district. "
            "Source: %(source)s."
        ) % {"source": indicator.source}
        return f"{rule} {target_rule(indicator)}"
    quoted = [gettext("“%(name)s”") % {"name": t.name} for t in indicator.activity_types.all()]
    types = get_text_list(quoted, gettext("and"))
    if indicator.aggregation == Indicator.Aggregation.SUM_MEASURE:
        what = gettext(
            "the sum of “%(measure)s” (%(unit)s) over activities of the types %(types)s"
        ) % {
            "measure": indicator.measure.name,
            "unit": indicator.measure.unit,
            "types": types,
        }
    elif indicator.aggregation == Indicator.Aggregation.SUM_HOURS:
        what = gettext("the sum of hours spent on activities of the types %(types)s") % {
            "types": types
        }
    else:
        what = gettext("the number of activities of the types %(types)s") % {"types": types}
    rule = gettext(
        "Counted as %(what)s %(where)s, per tertial, from the public activities logged by "
        "the police and the municipality. Source: %(source)s."
    ) % {"what": what, "where": where, "source": indicator.source}
    return f"{rule} {target_rule(indicator)}"


def target_rule(indicator):
    """How the figure is judged against the target, for a reader."""
    kind = indicator.target_kind
    text = target_text(indicator)
    derived = indicator.kind == Indicator.Kind.DERIVED
    if kind in (Target.AT_LEAST, Target.AT_MOST):
        if derived:
            rule = gettext("The target is %(target)s over the whole promise.") % {"target": text}
        else:
            rule = gettext("The target is %(target)s, judged by the latest value.") % {
                "target": text
            }
        years = indicator.targets_by_year()
        if years:
            each = [f"{year}: {display(value)}" for year, value in years]
            rule += " " + gettext("Each year has its own target as well (%(years)s).") % {
                "years": "; ".join(each)
            }
        return rule
    if kind == Target.RATE:
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return gettext(
                "The target is %(target)s. A week (Monday to Sunday) meets it when its figure "
                "reaches that; a week is judged once it has ended and its activities are "
                "public, one at the promise's start or end when at least four of its days "
                "fall within the promise. The share is the weeks that met it out of those "
                "judged."
            ) % {"target": text}
        return gettext(
            "The target is %(target)s. A calendar month meets it when its figure reaches "
            "that; a month is judged once it has ended and its activities are public, one "
            "at the promise's start or end when at least half of its days fall within the "
            "promise. The share is the months that met it out of those judged."
        ) % {"target": text}
    if kind == Target.MILESTONE:
        if derived and not indicator.milestone_reached_on:
            return gettext(
                "A milestone: done on the day of the first public activity counted here."
            )
        return gettext("A milestone: done on the date the police or the municipality gave.")
    return gettext("There is no target: the figure is shown as it is.")


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


def _progress(indicator, current, *, cumulative, coverage=None, reached_on=None, years=()):
    """A plain statement of where the indicator stands against its target and baseline."""
    if indicator.target_kind == Target.MILESTONE:
        if reached_on is None:
            return gettext("Not done yet.")
        return gettext("Done on %(date)s.") % {"date": formats.date_format(reached_on)}
    if current is None:
        return gettext("No value yet.")
    if is_hidden(current):
        return gettext("The figure is too small to show without identifying anyone.")
    parts = [_against_target(indicator, current, cumulative=cumulative, coverage=coverage)]
    for year in years:
        parts.append(_year_statement(indicator, year))
    baseline = indicator.baseline_value
    higher = indicator.direction == Indicator.Direction.HIGHER
    if baseline is not None and not cumulative:
        if current == baseline:
            parts.append(gettext("Unchanged since the baseline."))
        elif (current > baseline) == higher:
            parts.append(gettext("Better than the baseline."))
        else:
            parts.append(gettext("Worse than the baseline."))
    return " ".join(p for p in parts if p)


def _against_target(indicator, current, *, cumulative, coverage):
    kind, target = indicator.target_kind, indicator.target_value
    if kind == Target.RATE:
        if not coverage.judged:
            if indicator.rate_period == Indicator.RatePeriod.WEEK:
                return gettext("No week has ended yet.")
            return gettext("No month has ended yet.")
        values = {"met": coverage.met, "judged": coverage.judged, "share": coverage.share}
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return (
                ngettext(
                    "%(met)s of %(judged)s week met the target (%(share)s %%).",
                    "%(met)s of %(judged)s weeks met the target (%(share)s %%).",
                    coverage.judged,
                )
                % values
            )
        return (
            ngettext(
                "%(met)s of %(judged)s month met the target (%(share)s %%).",
                "%(met)s of %(judged)s months met the target (%(share)s %%).",
                coverage.judged,
            )
            % values
        )
    if kind == Target.AT_LEAST:
        if current >= target:
            return gettext("The target is reached.")
        if cumulative and target:
            return gettext("%(share)s %% of the target so far.") % {
                "share": display(round(Decimal(current) * 100 / target))
            }
        return gettext("The target is not reached yet.")
    if kind == Target.AT_MOST:
        if current > target:
            return gettext("Above the most the target allows: the target is not reached.")
        if cumulative:
            return gettext("Within the most the target allows so far.")
        return gettext("The target is reached.")
    if cumulative:
        return gettext("A count with no target.")
    return gettext("There is no target to compare with.")


def _year_statement(indicator, year):
    values = {"year": year.year, "value": display(year.value), "target": display(year.target)}
    if year.reached is None:
        return ""
    if indicator.target_kind == Target.AT_MOST:
        if year.reached:
            return gettext("%(year)s: %(value)s, at most %(target)s: reached.") % values
        return gettext("%(year)s: %(value)s, at most %(target)s: not reached.") % values
    if year.reached:
        return gettext("%(year)s: %(value)s of at least %(target)s: reached.") % values
    return gettext("%(year)s: %(value)s of at least %(target)s: not reached yet.") % values


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
