"""Activities summed per activity type, district and tertial: the cells every table is made of.

`activity_cells(activities)` is the definition: the activities grouped in the database (one
query for counts and hours, one for measure sums, whatever the volume). `public_cells(promise)`
gives the same for `Activity.objects.public()` of a promise, read from its `PublicSummary`,
which holds exactly those sums (tests/test_public_summary.py compares them). Aggregating a
promise of 100,000 activities takes some 650 ms on PostgreSQL; reading its summary 7 ms
(docs/benchmarks.md), which is what keeps a page rendered cold within its 100 ms.

A summary is usable while it was built at the promise's current version and through today's
publication cut-off, or through a date past the promise's end (then no later day adds an
activity to it). Otherwise it is built again, in one transaction under a row lock, so that two
renderers of a stale summary build it once. The background worker renders a promise's pages
after each change, so it is the one that rebuilds; a reader does only when nothing rendered
the page in time (commitments/cache.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Min, Sum
from django.db.models.functions import ExtractYear

from ..models import Activity, ActivityValue, Indicator, PublicSummary, SummaryState
from ..models.activity import publication_cutoff
from ..tertials import Tertial, tertial_number
from .display import ZERO


@dataclass
class Cell:
    """The totals of one activity type in one district and tertial (or day)."""

    count: int = 0
    hours: Decimal = ZERO
    values: dict = field(default_factory=dict)  # measure id → sum
    first: date | None = None  # the first activity's date

    def add(self, other):
        self.count += other.count
        self.hours += other.hours
        for measure_id, value in other.values.items():
            self.values[measure_id] = self.values.get(measure_id, ZERO) + value
        self.first = _earliest(self.first, other.first)


def _earliest(a, b):
    return b if a is None else a if b is None else min(a, b)


class Cells(dict):
    """{(activity type id, district id, Tertial): Cell}, and in `days` the cells of single
    days, {(activity type id, district id, date): Cell}, of the types a rate target counts:
    a rate is judged week by week or month by month (figures.indicators)."""

    def __init__(self, *args, days=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days if days is not None else {}

    def merged(self, other):
        merged = Cells(self, days={**self.days, **other.days})
        merged.update(other)
        return merged


def rate_types(promises):
    """Ids of the activity types the promises' shown rate indicators count: their cells are
    kept per day as well."""
    return set(
        Indicator.objects.shown()
        .filter(promise__in=promises, target_kind=Indicator.Target.RATE)
        .exclude(activity_types=None)
        .values_list("activity_types", flat=True)
    )


def _grouped(activities, *, by_day=False):
    """(counts, sums): the activities' number, hours and first date, and each measure's sum,
    grouped by commitment, activity type, district, year and tertial in the database; with
    `by_day`, by day instead of tertial (then year and tertial are the day's)."""
    activities = activities.order_by()
    when = {"year": ExtractYear("date"), "tertial": tertial_number("date")}
    keys = ["commitment_id", "activity_type_id", "district_id", "year", "tertial"]
    value_when = {
        "year": ExtractYear("activity__date"),
        "tertial": tertial_number("activity__date"),
    }
    value_keys = [
        "activity__commitment_id",
        "activity__activity_type_id",
        "activity__district_id",
        "year",
        "tertial",
    ]
    if by_day:
        keys.append("date")
        value_keys.append("activity__date")
    counts = (
        activities.annotate(**when)
        .values(*keys)
        .annotate(n=Count("id"), h=Sum("hours"), first=Min("date"))
    )
    sums = (
        ActivityValue.objects.filter(activity__in=activities.values("pk"))
        .annotate(**value_when)
        .values(*value_keys, "measure_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return counts, sums


def activity_cells(activities, *, day_types=()):
    """Cells of the activities, with the days of `day_types`: the definition."""
    counts, sums = _grouped(activities)
    cells = defaultdict(Cell)
    for row in counts:
        cell = cells[row["activity_type_id"], row["district_id"], _tertial(row)]
        cell.count += row["n"]
        cell.hours += row["h"] or ZERO
        cell.first = _earliest(cell.first, row["first"])
    for row in sums:
        key = (row["activity__activity_type_id"], row["activity__district_id"], _tertial(row))
        values = cells[key].values
        values[row["measure_id"]] = values.get(row["measure_id"], ZERO) + (row["total"] or ZERO)
    days = defaultdict(Cell)
    if day_types:
        counts, sums = _grouped(activities.filter(activity_type__in=day_types), by_day=True)
        for row in counts:
            cell = days[row["activity_type_id"], row["district_id"], row["date"]]
            cell.count += row["n"]
            cell.hours += row["h"] or ZERO
            cell.first = row["first"]
        for row in sums:
            key = (
                row["activity__activity_type_id"],
                row["activity__district_id"],
                row["activity__date"],
            )
            values = days[key].values
            values[row["measure_id"]] = values.get(row["measure_id"], ZERO) + (row["total"] or ZERO)
    return Cells(cells, days=dict(days))


def _tertial(row):
    return Tertial(int(row["year"]), int(row["tertial"]))


# The public summary.


def usable(state, promise, cutoff):
    """Whether a summary state still describes the promise's public activities today."""
    if state is None or state.data_version != promise.public_version:
        return False
    return state.built_through == cutoff or promise.end_date <= state.built_through <= cutoff


def rebuild_public_summary(promise):
    """Build a promise's summary from `Activity.objects.public()`, through today's cut-off.

    Under a lock on the promise's summary state, so that two workers finding it stale build it
    once: the second finds it usable when the lock is free. Returns the state.
    """
    cutoff = publication_cutoff()
    with transaction.atomic():
        state, _created = SummaryState.objects.select_for_update().get_or_create(
            promise=promise, defaults={"data_version": 0, "built_through": cutoff}
        )
        if usable(state, promise, cutoff) and not _created:
            return state
        # The cut-off is applied once more: `public()` reads the date again, and a summary
        # built through a later date than its state says would count activities twice.
        activities = Activity.objects.public().filter(commitment__promise=promise, date__lte=cutoff)
        rows = _summary_rows(promise, *_grouped(activities))
        day_types = rate_types([promise])
        if day_types:
            by_day = _grouped(activities.filter(activity_type__in=day_types), by_day=True)
            rows += _summary_rows(promise, *by_day, by_day=True)
        PublicSummary.objects.filter(promise=promise).delete()
        PublicSummary.objects.bulk_create(rows, batch_size=2000)
        state.data_version, state.built_through = promise.public_version, cutoff
        state.save()
    return state


def _summary_rows(promise, counts, sums, *, by_day=False):
    rows = [
        PublicSummary(
            promise=promise,
            commitment_id=r["commitment_id"],
            activity_type_id=r["activity_type_id"],
            district_id=r["district_id"],
            year=r["year"],
            tertial=r["tertial"],
            day=r["date"] if by_day else None,
            first_day=r["first"],
            count=r["n"],
            hours=r["h"] or ZERO,
        )
        for r in counts
    ]
    rows += [
        PublicSummary(
            promise=promise,
            commitment_id=r["activity__commitment_id"],
            activity_type_id=r["activity__activity_type_id"],
            district_id=r["activity__district_id"],
            year=r["year"],
            tertial=r["tertial"],
            day=r["activity__date"] if by_day else None,
            measure_id=r["measure_id"],
            total=r["total"] or ZERO,
        )
        for r in sums
    ]
    return rows


def _state(promise):
    """The promise's summary state: loaded with it (select_related("summary_state")) or read."""
    try:
        return promise.summary_state
    except SummaryState.DoesNotExist:
        return None


def public_cells(promises):
    """`activity_cells(Activity.objects.public() …)` of these promises, from their summaries.

    One query whatever the volume, when the promises come with their summary states
    (`select_related("summary_state")`); a stale summary is rebuilt first. Each promise's
    activity types are its own, so the promises' cells stand apart.
    """
    cutoff = publication_cutoff()
    by_pk = {promise.pk: promise for promise in promises}
    stale = [p for p in by_pk.values() if not usable(_state(p), p, cutoff)]
    for promise in stale:
        rebuild_public_summary(promise)
    rows = PublicSummary.objects.filter(promise__in=by_pk).values_list(
        "activity_type_id",
        "district_id",
        "year",
        "tertial",
        "day",
        "first_day",
        "measure_id",
        "count",
        "hours",
        "total",
    )
    cells, days = defaultdict(Cell), defaultdict(Cell)
    for type_id, district_id, year, number, day, first, measure_id, n, hours, total in rows:
        if day is None:
            cell = cells[type_id, district_id, Tertial(year, number)]
        else:
            cell = days[type_id, district_id, day]
        if measure_id is None:
            cell.count += n
            cell.hours += hours
            cell.first = _earliest(cell.first, first)
        else:
            cell.values[measure_id] = cell.values.get(measure_id, ZERO) + total
    return Cells(cells, days=dict(days))
