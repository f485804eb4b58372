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
from django.utils.translation import gettext

from ..models import Indicator, Measurement, Promise
from ..models.promise import EARLIER_YEARS
from ..tertials import Tertial
from .display import ZERO, Masked, display, is_hidden
from .tables import promise_tertials


@dataclass
class Point:
    """One value of an indicator: for a tertial or a measured period, in a district or all."""

    label: str
    value: object
    area: str = ""
    district: object | None = None
    start: object = None
    end: object = None


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

    @property
    def baseline(self):
        return self.indicator.baseline_value

    @property
    def target(self):
        return self.indicator.target_value


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
    """The promise's indicators with their activity types, districts, measure and measurements,
    in four queries whatever their number.

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
    earlier = [i for i in indicators if i.promise_id != promise.pk]
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
        return gettext(
            "Measured values entered per period, for the whole area or per district. "
            "Source: %(source)s."
        ) % {"source": indicator.source}
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
    return gettext(
        "Counted as %(what)s %(where)s, per tertial, from the public activities logged by "
        "the police and the municipality. Source: %(source)s."
    ) % {"what": what, "where": where, "source": indicator.source}


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


def _progress(indicator, current, *, cumulative):
    """A plain statement of where the indicator stands against its baseline and target."""
    if current is None:
        return gettext("No value yet.")
    if is_hidden(current):
        return gettext("The figure is too small to show without identifying anyone.")
    higher = indicator.direction == Indicator.Direction.HIGHER
    target = indicator.target_value
    parts = []
    if target is not None:
        reached = current >= target if higher else current <= target
        if reached:
            parts.append(gettext("The target is reached."))
        elif cumulative and target:
            parts.append(
                gettext("%(share)s %% of the target so far.")
                % {"share": display(round(Decimal(current) * 100 / target))}
            )
        else:
            parts.append(gettext("The target is not reached yet."))
    baseline = indicator.baseline_value
    if baseline is not None and not cumulative:
        if current == baseline:
            parts.append(gettext("Unchanged since the baseline."))
        elif (current > baseline) == higher:
            parts.append(gettext("Better than the baseline."))
        else:
            parts.append(gettext("Worse than the baseline."))
    return " ".join(parts) or gettext("There is no target to compare with.")


def indicator_figures(indicators, cells, *, tertials, public=True):
    """IndicatorFigures of each indicator (from `load_indicators`), in order.

    Derived indicators sum the activity cells over their types and districts per tertial
    and in total; measured ones list their Measurement rows, whole area first.
    """
    result = []
    for indicator in indicators:
        if indicator.kind == Indicator.Kind.DERIVED:
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
            progress = _progress(indicator, total, cumulative=True)
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
                progress = _progress(indicator, latest.value, cumulative=False)
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
        past = [
            (
                earlier.promise,
                indicator_figures(
                    [earlier], cells, tertials=promise_tertials(earlier.promise), public=public
                )[0],
            )
            for earlier in getattr(item.indicator, "history", [])
        ]
        item.earlier = [year_promise for year_promise, _ in past]
        item.points = [p for _, earlier_item in past for p in earlier_item.points] + item.points
        item.chart_points = [
            p for _, earlier_item in past for p in earlier_item.chart_points
        ] + item.chart_points
    return items
