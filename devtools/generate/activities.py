"""Fictional activities with measure values, added to existing promises in bulk.

Additive: every call adds rows. On PostgreSQL they go in with COPY, elsewhere with bulk_create.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import chain, islice

from django.db import connection, transaction
from django.db.models import Prefetch

from commitments.models import Activity, ActivityType, ActivityValue, Commitment, Promise

from .catalogue import (
    DEFAULT_SEED,
    DEFAULT_TYPE,
    DEFAULT_YEARS,
    INTERNAL_NOTES,
    MEASURE_RANGES,
    TYPES_BY_SLUG,
)
from .promises import create_promises

BATCH = 50_000
BULK_CREATE_BATCH = 5_000
# Share of activities marked internal (not public).
INTERNAL_SHARE = 0.1
# More work outdoors in the light half of the year: a relative weight per month.
MONTH_WEIGHT = [0.7, 0.7, 0.8, 0.9, 1.1, 1.3, 1.2, 1.1, 1.2, 1.0, 0.9, 0.8]


@dataclass
class _Plan:
    """What an activity of one promise can be: (commitment, type, districts, organisations)."""

    promise: Promise
    days: list
    day_weights: list
    slots: list = field(default_factory=list)  # (commitment_id, type_id, [districts], [orgs])
    coverage: list = field(default_factory=list)  # (slot index, district_id)


def _plans(promises, years):
    promises = list(
        Promise.objects.filter(pk__in=[p.pk for p in promises]).prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.prefetch_related(
                    "districts",
                    "responsible_organisations",
                    Prefetch(
                        "activity_types", queryset=ActivityType.objects.prefetch_related("measures")
                    ),
                ),
            )
        )
    )
    plans = []
    for promise in promises:
        start = max(promise.start_date, date(years[0], 1, 1))
        end = min(promise.end_date, date(years[1], 12, 31))
        if end < start:
            continue
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        weights = [MONTH_WEIGHT[d.month - 1] * (0.8 if d.weekday() >= 5 else 1.0) for d in days]
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        plan = _Plan(promise, days, cumulative)
        own_orgs = {promise.police_area_id, promise.municipality_id}
        covered = set()
        for commitment in promise.commitments.all():
            district_ids = [d.pk for d in commitment.districts.all()] or [
                d.pk for d in promise.districts.all()
            ]
            orgs = [o.pk for o in commitment.responsible_organisations.all() if o.pk in own_orgs]
            for activity_type in commitment.activity_types.all():
                spec = TYPES_BY_SLUG.get(activity_type.slug, DEFAULT_TYPE)
                type_orgs = orgs or [promise.police_area_id]
                if spec.municipal and promise.municipality_id in own_orgs:
                    type_orgs = [promise.municipality_id]
                measures = [
                    (m.pk, MEASURE_RANGES.get(m.name, (0, 10)))
                    for m in activity_type.measures.all()
                ]
                plan.slots.append(
                    (commitment.pk, activity_type.pk, district_ids, type_orgs, spec, measures)
                )
                district = district_ids[len(plan.slots) % len(district_ids)]
                plan.coverage.append((len(plan.slots) - 1, district))
                covered.add(district)
        for district in promise.districts.all():
            if district.pk not in covered:
                slot = next((i for i, s in enumerate(plan.slots) if district.pk in s[2]), None)
                if slot is not None:
                    plan.coverage.append((slot, district.pk))
        if plan.slots:
            plans.append(plan)
    return plans


def _split(count, weights):
    """Share `count` out in proportion to the weights, the remainder to the first ones."""
    total = sum(weights)
    shares = [int(count * w / total) for w in weights]
    for index in range(count - sum(shares)):
        shares[index % len(shares)] += 1
    return shares


def _rows(plan, count, rng):
    """Activities of one promise: first one per (type, district) to cover, then at random."""
    dates = rng.choices(plan.days, cum_weights=plan.day_weights, k=count)
    slots = plan.slots
    random_ = rng.random  # int(random() * n) is several times faster than randrange(n)
    for index in range(count):
        if index < len(plan.coverage):
            slot_index, district = plan.coverage[index]
            commitment, type_id, _districts, orgs, spec, measures = slots[slot_index]
        else:
            commitment, type_id, districts, orgs, spec, measures = slots[
                int(random_() * len(slots))
            ]
            district = districts[int(random_() * len(districts))]
        yield (
            commitment,
            type_id,
            district,
            orgs[int(random_() * len(orgs))],
            dates[index],
            max(1, spec.hours - 1 + int(random_() * 4)),
            max(1, spec.staff - 1 + int(random_() * 3)),
            spec.summaries[int(random_() * len(spec.summaries))],
            INTERNAL_NOTES[int(random_() * len(INTERNAL_NOTES))],
            random_() >= INTERNAL_SHARE,
            [(m, low + int(random_() * (high - low + 1))) for m, (low, high) in measures],
        )


@dataclass
class Result:
    activities: int = 0
    values: int = 0
    seconds: float = 0.0
    method: str = ""

    @property
    def rows_per_second(self):
        return (self.activities + self.values) / self.seconds if self.seconds else 0.0


def choose_method(method="auto"):
    if method == "auto":
        return "copy" if connection.vendor == "postgresql" else "bulk_create"
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL.")
    return method


def generate_activities(
    count, promises=None, years=DEFAULT_YEARS, seed=DEFAULT_SEED, method="auto", weights=None
):
    """Add `count` activities spread over the promises (default: all) within the years.

    Additive: every call adds rows. Returns a Result with counts and the rows per second.
    """
    method = choose_method(method)
    rng = random.Random(seed)
    if promises is None:
        promises = Promise.objects.all()
    plans = _plans(promises, years)
    if not plans:
        raise ValueError("No promise with commitments and activity types in those years.")
    weights = [(weights or {}).get(plan.promise.pk) or rng.uniform(0.3, 1.7) for plan in plans]
    shares = _split(count, weights)
    started = time.perf_counter()
    result = Result(method=method)
    write = _write_copy if method == "copy" else _write_bulk
    # One stream over every promise, written in large batches whatever the promises' sizes.
    stream = chain.from_iterable(
        _rows(plan, share, rng) for plan, share in zip(plans, shares, strict=True)
    )
    remaining = count
    with transaction.atomic():
        while remaining:
            size = min(BATCH, remaining)
            activities, values = write(islice(stream, size), size)
            result.activities += activities
            result.values += values
            remaining -= size
        # Published figures changed: their pages are rendered anew as readers come.
        Promise.objects.filter(pk__in=[plan.promise.pk for plan in plans]).touch()
    result.seconds = time.perf_counter() - started
    return result


def generate_national(promises, activities, years=DEFAULT_YEARS, seed=DEFAULT_SEED, method="auto"):
    """Create (or reuse) `promises` fictional promises and add `activities` activities to them."""
    made = create_promises(promises, years=years, seed=seed)
    rng = random.Random(seed + 1)
    # Uneven sizes, as in reality: a few busy promises, many small ones.
    weights = {promise.pk: rng.lognormvariate(0, 0.6) for promise in made}
    return made, generate_activities(
        activities, promises=made, years=years, seed=seed + 2, method=method, weights=weights
    )


def _write_bulk(rows, size):
    batch = list(rows)
    now = datetime.now(UTC)
    objects = [
        Activity(
            commitment_id=row[0],
            activity_type_id=row[1],
            district_id=row[2],
            organisation_id=row[3],
            date=row[4],
            hours=row[5],
            staff_count=row[6],
            summary=row[7],
            internal_note=row[8],
            is_public=row[9],
            created_at=now,
            updated_at=now,
        )
        for row in batch
    ]
    Activity.objects.bulk_create(objects, batch_size=BULK_CREATE_BATCH)
    values = [
        ActivityValue(activity_id=activity.pk, measure_id=measure, value=value)
        for activity, row in zip(objects, batch, strict=True)
        for measure, value in row[10]
    ]
    ActivityValue.objects.bulk_create(values, batch_size=BULK_CREATE_BATCH)
    return len(objects), len(values)


_ACTIVITY_COLUMNS = [
    "id", "commitment_id", "activity_type_id", "district_id", "organisation_id", "date",
    "hours", "staff_count", "summary", "internal_note", "is_public", "external_id",
    "created_at", "updated_at", "version",
]  # fmt: skip


def _copy_text(value):
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _write_copy(rows, size):
    """COPY into PostgreSQL; ids are taken from the table's sequence first, for the values.

    Activity lines are sent in chunks as they are generated, so that PostgreSQL inserts while
    Python generates the next ones.
    """
    activity_table = Activity._meta.db_table
    value_table = ActivityValue._meta.db_table
    now = datetime.now(UTC).isoformat()
    columns = ", ".join(_ACTIVITY_COLUMNS)
    value_lines, written = [], 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{activity_table}', 'id')) "
            "FROM generate_series(1, %s)",
            [size],
        )
        ids = iter([row[0] for row in cursor.fetchall()])
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {activity_table} ({columns}) FROM STDIN") as copy:
            while True:
                lines = []
                for row, pk in zip(islice(rows, 5000), ids, strict=False):
                    lines.append(
                        f"{pk}\t{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4].isoformat()}\t"
                        f"{row[5]}\t{row[6]}\t{_copy_text(row[7])}\t{_copy_text(row[8])}\t"
                        f"{'t' if row[9] else 'f'}\t\t{now}\t{now}\t1\n"
                    )
                    value_lines += [f"{pk}\t{measure}\t{value}\n" for measure, value in row[10]]
                if not lines:
                    break
                copy.write("".join(lines))
                written += len(lines)
        with raw.copy(f"COPY {value_table} (activity_id, measure_id, value) FROM STDIN") as copy:
            copy.write("".join(value_lines))
    return written, len(value_lines)
