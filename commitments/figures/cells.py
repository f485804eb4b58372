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
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from ..models import Activity, ActivityValue, PublicSummary, SummaryState
from ..models.activity import publication_cutoff
from ..tertials import Tertial, tertial_number
from .display import ZERO


@dataclass
class Cell:
    """The totals of one activity type in one district and tertial."""

    count: int = 0
    hours: Decimal = ZERO
    values: dict = field(default_factory=dict)  # measure id → sum

    def add(self, other):
        self.count += other.count
        self.hours += other.hours
        for measure_id, value in other.values.items():
            self.values[measure_id] = self.values.get(measure_id, ZERO) + value


def _grouped(activities):
    """(counts, sums): the activities' number and hours, and each measure's sum, grouped by
    commitment, activity type, district, year and tertial in the database."""
    activities = activities.order_by()
    counts = (
        activities.annotate(year=ExtractYear("date"), tertial=tertial_number("date"))
        .values("commitment_id", "activity_type_id", "district_id", "year", "tertial")
        .annotate(n=Count("id"), h=Sum("hours"))
    )
    sums = (
        ActivityValue.objects.filter(activity__in=activities.values("pk"))
        .annotate(year=ExtractYear("activity__date"), tertial=tertial_number("activity__date"))
        .values(
            "activity__commitment_id",
            "activity__activity_type_id",
            "activity__district_id",
            "year",
            "tertial",
            "measure_id",
        )
        .annotate(total=Sum("value"))
        .order_by()
    )
    return counts, sums


def activity_cells(activities):
    """{(activity type id, district id, Tertial): Cell} of the activities: the definition."""
    counts, sums = _grouped(activities)
    cells = defaultdict(Cell)
    for row in counts:
        cell = cells[row["activity_type_id"], row["district_id"], _tertial(row)]
        cell.count += row["n"]
        cell.hours += row["h"] or ZERO
    for row in sums:
        key = (row["activity__activity_type_id"], row["activity__district_id"], _tertial(row))
        values = cells[key].values
        values[row["measure_id"]] = values.get(row["measure_id"], ZERO) + (row["total"] or ZERO)
    return dict(cells)


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
        counts, sums = _grouped(activities)
        rows = [
            PublicSummary(
                promise=promise,
                commitment_id=r["commitment_id"],
                activity_type_id=r["activity_type_id"],
                district_id=r["district_id"],
                year=r["year"],
                tertial=r["tertial"],
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
                measure_id=r["measure_id"],
                total=r["total"] or ZERO,
            )
            for r in sums
        ]
        PublicSummary.objects.filter(promise=promise).delete()
        PublicSummary.objects.bulk_create(rows, batch_size=2000)
        state.data_version, state.built_through = promise.public_version, cutoff
        state.save()
    return state


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
        "measure_id",
        "count",
        "hours",
        "total",
    )
    cells = defaultdict(Cell)
    for type_id, district_id, year, number, measure_id, n, hours, total in rows:
        cell = cells[type_id, district_id, Tertial(year, number)]
        if measure_id is None:
            cell.count += n
            cell.hours += hours
        else:
            cell.values[measure_id] = cell.values.get(measure_id, ZERO) + total
    return dict(cells)
