"""Every number a reader sees, aggregated in the database.

Pages, charts, the CSV and JSON, the feed and the PDF report all take their figures from
here, so that they agree to the digit. Each function takes a base activity queryset:
`Activity.objects.public()` for anything a citizen reads, a staff queryset in the staff
area. Activities are grouped by activity type, district and tertial in SQL (one query
whatever the volume: `activity_cells`); everything else is arithmetic over those few cells.

Sensitive activity types (e.g. social task-force cases about young people) concern few,
identifiable people. In public output their counts below `settings.SENSITIVE_THRESHOLD` are
a `Masked` value ("färre än 3"), never the number, and a total that would let a reader
subtract their way to a masked count is `Withheld`. Public tables of sensitive types are
not split by district, and district pages leave them out, for the same reason.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import Count, FilteredRelation, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext

from .models import Activity, ActivityValue, Indicator, Promise, PublicSummary, SummaryState
from .models.activity import publication_cutoff
from .outline import collect, columns, prefetched
from .tertials import Tertial, tertial_number, tertials_between

ZERO = Decimal(0)


@dataclass(frozen=True)
class Masked:
    """A public count of a sensitive activity type too small to show: "färre än 3"."""

    threshold: int

    def __str__(self):
        return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}


@dataclass(frozen=True)
class Withheld:
    """A figure not shown because it would reveal a masked count by subtraction."""

    def __str__(self):
        return gettext("not shown")


def is_hidden(value):
    return isinstance(value, Masked | Withheld)


def _plain(value):
    """A Decimal without trailing zeros or exponent: 2.50 → 2.5, 100.00 → 100."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.normalize()
    return value


def display(value):
    """A figure as a reader sees it, in the active language: 1 234,5 in Swedish."""
    if value is None:
        return "–"
    if is_hidden(value):
        return str(value)
    return formats.number_format(_plain(value), use_l10n=True, force_grouping=True)


def machine(value):
    """A figure for the CSV: a decimal comma, no grouping, masked figures as words."""
    if value is None:
        return ""
    if is_hidden(value):
        return str(value)
    return str(_plain(value)).replace(".", ",")


def as_json(value):
    """A figure for the JSON: a number, or an object saying why there is none."""
    if isinstance(value, Masked):
        return {"fewer_than": value.threshold}
    if isinstance(value, Withheld):
        return {"withheld": True}
    value = _plain(value)
    return float(value) if isinstance(value, Decimal) else value


# ---------------------------------------------------------------------------------------
# Activities, per activity type, district and tertial


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


def activity_cells(activities):
    """{(activity type id, district id, Tertial): Cell}, aggregated in the database.

    One query whatever the number of activities: the counts and hours, and the sums of each
    measure, as the two parts of a UNION ALL.
    """
    sql, params = _union(_live_parts(activities))
    return _read_cells(activities.db, sql, params)[1]


# ---------------------------------------------------------------------------------------
# The public summary: a promise's public cells, precomputed (commitments.models.summary)

# Activities that became public since a summary was built are added by a live query; once that
# would span more than this, the summary is rebuilt instead (`public_cells`).
SUMMARY_MAX_LAG = timedelta(days=7)
_NEVER = date(1900, 1, 1)
_CENT = Decimal("0.01")


def _grouped_queries(activities):
    """The two aggregates of `activity_cells`, grouped by commitment as well.

    Counts and hours: (commitment_id, activity_type_id, district_id, year, tertial, n, h);
    measure sums: (activity__commitment_id, activity__activity_type_id, activity__district_id,
    year, tertial, measure_id, total).
    """
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


def rebuild_public_summary(promise, data_version, *, force=False):
    """Recompute a promise's summary from `Activity.objects.public()`, through today's cut-off.

    In the database (INSERT … SELECT, a constant six queries whatever the volume), in a
    transaction holding the promise's row, so that two workers finding the same stale summary
    build it once. Returns the new state.
    """
    cutoff = publication_cutoff()
    # On the primary, whatever the replica router says of this request's reads.
    db = router.db_for_write(SummaryState)
    with transaction.atomic(using=db):
        list(Promise.objects.using(db).select_for_update().filter(pk=promise.pk).values_list("pk"))
        state = SummaryState.objects.using(db).filter(promise=promise).first()
        if not force and _usable(state, data_version, cutoff) and state.built_through == cutoff:
            return state  # built by another worker meanwhile
        PublicSummary.objects.using(db).filter(promise=promise).delete()
        # The cut-off is applied once more: `public()` reads the date again, and a summary
        # built through a later date than its state says would count activities twice.
        activities = Activity.objects.public().filter(commitment__promise=promise, date__lte=cutoff)
        counts, sums = _grouped_queries(activities)
        q = connection.ops.quote_name
        table = q(PublicSummary._meta.db_table)
        columns = ", ".join(q(c) for c in ("promise_id", "commitment_id", *_SUMMARY_COLUMNS))
        with connections[db].cursor() as cursor:
            for queryset, selected in (
                (counts, ["commitment_id", *_COUNT_COLUMNS]),
                (sums, ["activity__commitment_id", *_SUM_COLUMNS]),
            ):
                sql, params = queryset.query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT %s, {_columns(selected)} "
                    f"FROM ({sql}) s",
                    [promise.pk, *params],
                )
        SummaryState.objects.using(db).filter(promise=promise).delete()
        state = SummaryState.objects.using(db).create(
            promise=promise, data_version=data_version, built_through=cutoff
        )
    return state


def _columns(selected):
    """A derived table's columns by name; None is NULL, a number is itself, a name may be NULL
    (a sum over no rows) and then counts as 0 except for the measure."""
    q = connection.ops.quote_name
    out = []
    for c in selected:
        if c is None:
            out.append("NULL")
        elif isinstance(c, int):
            out.append(str(c))
        elif c in ("h", "total", "hours"):
            out.append(f"COALESCE(s.{q(c)}, 0)")
        else:
            out.append(f"s.{q(c)}")
    return ", ".join(out)


def _usable(state, data_version, cutoff):
    return (
        state is not None
        and state.data_version == data_version
        and state.built_through <= cutoff
        and cutoff - state.built_through <= SUMMARY_MAX_LAG
    )


def _decimal(value):
    """A sum as a Decimal of cents (SQLite answers a raw query's decimal sums as floats)."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        value = Decimal(repr(value))
    return Decimal(value).quantize(_CENT)


# The columns of a cells query: (type, district, year, tertial, measure or NULL, count, hours,
# total), then the summary state's (data version, built through), NULL but in the state's part.
_SUMMARY_COLUMNS = [
    "activity_type_id",
    "district_id",
    "year",
    "tertial",
    "measure_id",
    "count",
    "hours",
    "total",
]
_COUNT_COLUMNS = ["activity_type_id", "district_id", "year", "tertial", None, "n", "h", 0]
_SUM_COLUMNS = [
    "activity__activity_type_id",
    "activity__district_id",
    "year",
    "tertial",
    "measure_id",
    0,
    0,
    "total",
]
_NO_STATE = [None, None]


def _union(parts):
    """One UNION ALL query of (queryset, columns) parts, each column a name, NULL or number."""
    sql, params = [], []
    for queryset, selected in parts:
        part_sql, part_params = queryset.query.sql_with_params()
        sql.append(f"SELECT {_columns(selected)} FROM ({part_sql}) s")
        params.extend(part_params)
    return " UNION ALL ".join(sql), params


def _live_parts(activities):
    counts, sums = _grouped_queries(activities)
    return [(counts, _COUNT_COLUMNS + _NO_STATE), (sums, _SUM_COLUMNS + _NO_STATE)]


def _summary_sql(promise, *, commitment=None, district=None, earlier_years=False):
    """One UNION ALL query: the summary's state, its rows, then what became public since.

    The state comes first (its columns give the union their types on PostgreSQL): the row of
    (NULL × 8, data version, built through); the live part counts activities dated after that
    built_through, read in the same statement, so that state and rows always agree.
    """
    state = SummaryState.objects.filter(promise=promise).order_by()
    rows = PublicSummary.objects.filter(promise=promise)
    live = Activity.objects.public().filter(
        commitment__promise=promise, date__gt=Subquery(state.values("built_through")[:1])
    )
    if commitment is not None:
        rows = rows.filter(commitment=commitment)
        live = live.filter(commitment=commitment)
    if district is not None:
        rows = rows.filter(district=district)
        live = live.filter(district=district)
    parts = [
        (
            state.values("data_version", "built_through"),
            [None] * len(_SUMMARY_COLUMNS) + ["data_version", "built_through"],
        ),
        (rows.order_by().values(*_SUMMARY_COLUMNS), _SUMMARY_COLUMNS + _NO_STATE),
        *_live_parts(live),
    ]
    if earlier_years and promise.previous_id is not None:
        earlier = Activity.objects.public().filter(
            commitment__promise__in=earlier_promises(promise)
        )
        parts += _live_parts(earlier)
    return _union(parts)


def _read_cells(db, sql, params):
    """(summary state or None, {(type id, district id, Tertial): Cell}) from a cells query."""
    cells = defaultdict(Cell)
    state = None
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            type_id, district_id, year, number, measure_id, n, hours, total, version, through = row
            if version is not None:
                if isinstance(through, str):  # SQLite answers a raw query's dates as text
                    through = date.fromisoformat(through)
                state = SummaryState(data_version=version, built_through=through)
                continue
            cell = cells[type_id, district_id, Tertial(int(year), int(number))]
            if measure_id is None:
                cell.count += n
                cell.hours += _decimal(hours)
            else:
                cell.values[measure_id] = cell.values.get(measure_id, ZERO) + _decimal(total)
    return state, dict(cells)


def public_cells(promise, *, commitment=None, district=None, earlier_years=False):
    """`activity_cells(Activity.objects.public() …)` of a promise, one commitment or one
    district of it, read from the promise's summary: one query whatever the volume.

    The summary is rebuilt first when the data version changed since it was built, when the
    publication cut-off moved back (a longer PUBLICATION_DELAY) or more than SUMMARY_MAX_LAG
    ahead; activities that became public since it was built are counted live. The state is
    read with the rows; a rebuild reads them again.

    With `earlier_years`, the cells of the promises it continues (`earlier_promises`, counted
    live) come in the same query, for `add_earlier_years`; their activity types are their own,
    so their cells stand apart from the promise's.
    """
    cutoff = publication_cutoff()
    sql, params = _summary_sql(
        promise, commitment=commitment, district=district, earlier_years=earlier_years
    )
    # The state and the rows from one database: the replica for a public page when the router
    # says so, the primary right after a rebuild (a replica may not have replayed it yet).
    data_version = promise.public_version
    state, cells = _read_cells(router.db_for_read(SummaryState), sql, params)
    if not _usable(state, data_version, cutoff):
        rebuild_public_summary(promise, data_version)
        state, cells = _read_cells(router.db_for_write(SummaryState), sql, params)
    return cells


@dataclass
class Row:
    """One line of an activity table: a tertial in a district, a tertial, or the whole period."""

    tertial: Tertial | None
    district: object | None
    count: object
    hours: object
    values: list  # aligned with the table's measures
    is_total: bool = False


@dataclass
class ActivityTable:
    """What was done of one activity type: count, hours, each measure; per tertial, district."""

    activity_type: object
    measures: list
    rows: list
    total: Row
    by_district: bool

    @property
    def is_empty(self):
        return self.total.count == 0


def _row(cell, measures, *, tertial, district, is_total=False):
    return Row(
        tertial=tertial,
        district=district,
        count=cell.count,
        hours=cell.hours,
        values=[cell.values.get(m.pk, ZERO) for m in measures],
        is_total=is_total,
    )


def _masked_row(row, threshold):
    """A sensitive row in public: a small count masked, with the figures that would betray it."""
    if 0 < row.count < threshold:
        return Row(
            row.tertial,
            row.district,
            Masked(threshold),
            Withheld(),
            [Withheld() for _v in row.values],
            row.is_total,
        )
    return row


def _withheld_row(row):
    return Row(
        row.tertial, row.district, Withheld(), Withheld(), [Withheld() for _v in row.values], True
    )


def activity_tables(cells, *, activity_types, districts, tertials, public=True, split=True):
    """One ActivityTable per activity type, in the order given.

    `activity_types` need their measures prefetched; `districts` and `tertials` give the order
    of rows (only combinations with activities get a row). In public, a sensitive type is
    counted per tertial only, small counts are masked and a total that would reveal them is
    withheld. With `split=False` (a district's page) rows are per tertial only.
    """
    threshold = settings.SENSITIVE_THRESHOLD
    tables = []
    for activity_type in activity_types:
        measures = list(activity_type.measures.all())
        protect = public and activity_type.is_sensitive
        by_district = split and not protect
        rows = []
        grand = Cell()
        for tertial in tertials:
            in_tertial = Cell()
            district_rows = []
            for district in districts:
                cell = cells.get((activity_type.pk, district.pk, tertial))
                if cell is None:
                    continue
                in_tertial.add(cell)
                district_rows.append(_row(cell, measures, tertial=tertial, district=district))
            if not in_tertial.count:
                continue
            grand.add(in_tertial)
            subtotal = _row(in_tertial, measures, tertial=tertial, district=None, is_total=True)
            if protect:
                rows.append(_masked_row(subtotal, threshold))
            elif not by_district:
                rows.append(subtotal)
            else:
                rows.extend(district_rows)
                if len(district_rows) > 1:
                    rows.append(subtotal)
        total = _row(grand, measures, tertial=None, district=None, is_total=True)
        if protect:
            total = _masked_row(total, threshold)
            if not is_hidden(total.count) and any(is_hidden(r.count) for r in rows):
                total = _withheld_row(total)
        tables.append(ActivityTable(activity_type, measures, rows, total, by_district=by_district))
    return tables


def promise_tertials(promise):
    return tertials_between(promise.start_date, promise.end_date)


@dataclass
class CommitmentFigures:
    """What a promise or district page shows of one commitment."""

    commitment: object
    tables: list
    indicators: list = field(default_factory=list)
    assessment: object = None


def commitment_overview(
    commitments, cells, indicator_items, *, promise, assessments=None, public=True
):
    """Per commitment (types and measures prefetched): its activity tables, indicators and
    latest assessment (from `Promise.latest_assessments`)."""
    assessments = assessments or {}
    tertials = promise_tertials(promise)
    districts = list(promise.districts.all())
    return [
        CommitmentFigures(
            commitment=commitment,
            tables=activity_tables(
                cells,
                activity_types=commitment.activity_types.all(),
                districts=districts,
                tertials=tertials,
                public=public,
            ),
            indicators=[i for i in indicator_items if i.indicator.commitment_id == commitment.pk],
            assessment=assessments.get(commitment.pk),
        )
        for commitment in commitments
    ]


def district_overview(commitments, cells, *, district, promise, public=True):
    """Per commitment, what was done in one district, per tertial.

    In public, sensitive types are left out: a district's small counts beside the whole
    area's could be subtracted to reveal a masked one.
    """
    tertials = promise_tertials(promise)
    result = []
    for commitment in commitments:
        types = [t for t in commitment.activity_types.all() if not (public and t.is_sensitive)]
        tables = activity_tables(
            cells,
            activity_types=types,
            districts=[district],
            tertials=tertials,
            public=public,
            split=False,
        )
        result.append(CommitmentFigures(commitment=commitment, tables=tables))
    return result


# ---------------------------------------------------------------------------------------
# Indicators


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


def indicators_queryset(indicators):
    """The prefetches `indicator_figures` needs, so that it adds no query per indicator."""
    return indicators.select_related("measure", "measure__activity_type").prefetch_related(
        "activity_types", "districts", "measurements__district"
    )


# Of a district joined to an indicator's rows: what pages read of it (not its boundary).
_DISTRICT_FIELDS = ("id", "promise_id", "name", "slug", "kind", "order")
# Of an earlier year's promise: what add_earlier_years and the pages read of it.
_PROMISE_FIELDS = ("id", "title", "slug", "start_date", "end_date")


def load_indicators(indicators, *, activity_types, districts, measured_until=None, history_of=None):
    """The indicators with everything `indicator_figures` reads, in one query.

    `activity_types` and `districts` are the promise's, already loaded by the page
    (commitments.outline): each indicator's links to them, its measure and its measurements
    are LEFT JOINs of one values() query instead of a prefetch query per relation; the rows
    multiply by an indicator's links and measurements, a few each. With `measured_until`, only
    the measurements of periods ending by then: a report shows what was known of its tertial,
    whenever it is rendered.

    With `history_of` (the indicators' promise), the indicators of the same names in the
    promises it continues come in the same query, each current indicator's `history` those of
    its name and kind, oldest first, with their own links, measurements and (partly loaded)
    promise: what `add_earlier_years` reads.
    """
    from .models import ActivityType, District, Measure, Measurement

    types = {t.pk: t for t in activity_types}
    by_pk = {d.pk: d for d in districts}
    if history_of is not None and history_of.previous_id is not None:
        indicators = Indicator.objects.filter(
            Q(pk__in=indicators.values("pk"))
            | Q(promise__in=earlier_promises(history_of), name__in=indicators.values("name"))
        )
    measured = "measurements__"
    if measured_until is not None:
        indicators = indicators.annotate(
            known=FilteredRelation(
                "measurements", condition=Q(measurements__period_end__lte=measured_until)
            )
        )
        measured = "known__"
    rows = indicators.values(
        *columns(Indicator),
        *columns(Promise, "promise__", _PROMISE_FIELDS),
        *columns(Measure, "measure__"),
        *columns(ActivityType, "measure__activity_type__"),
        *columns(Measurement, measured),
        *columns(District, f"{measured}district__", _DISTRICT_FIELDS),
        *columns(ActivityType, "activity_types__"),
        *columns(District, "districts__", _DISTRICT_FIELDS),
    )
    found, promises, promise_of, measures, measurements = {}, {}, {}, {}, {}
    joined = {ActivityType: {}, District: {}}  # linked or measurement rows, by primary key
    links = defaultdict(set)  # (indicator id, "activity_types" or "districts") → linked ids
    for row in rows:
        indicator = collect(found, Indicator, row, db=rows.db)
        promise_of[indicator.pk] = collect(
            promises, Promise, row, "promise__", db=rows.db, fields=_PROMISE_FIELDS
        )
        measure = collect(measures, Measure, row, "measure__", db=rows.db)
        if measure is not None:
            indicator.measure = measure
            measure.activity_type = collect(
                joined[ActivityType], ActivityType, row, "measure__activity_type__", db=rows.db
            )
        measurement = collect(measurements, Measurement, row, measured, db=rows.db)
        if measurement is not None:
            measurement.district = collect(
                joined[District],
                District,
                row,
                f"{measured}district__",
                db=rows.db,
                fields=_DISTRICT_FIELDS,
            )
        for name, model, fields in (
            ("activity_types", ActivityType, None),
            ("districts", District, _DISTRICT_FIELDS),
        ):
            other = collect(joined[model], model, row, f"{name}__", db=rows.db, fields=fields)
            if other is not None:
                links[indicator.pk, name].add(other.pk)
    measurements_of = defaultdict(list)
    for measurement in sorted(
        measurements.values(), key=lambda m: (m.period_start, m.period_end, m.district_id or 0)
    ):
        measurements_of[measurement.indicator_id].append(measurement)
    current, earlier = [], []
    for indicator in found.values():
        this_year = history_of is None or indicator.promise_id == history_of.pk
        # This year's links are to the promise's own types and districts, as the page loaded
        # them; an earlier year's to its own.
        own_types = types if this_year else joined[ActivityType]
        own_districts = by_pk if this_year else joined[District]
        linked = [own_types[i] for i in links[indicator.pk, "activity_types"] if i in own_types]
        prefetched(
            indicator,
            "activity_types",
            sorted(linked, key=lambda t: (t.commitment_id, t.order, t.name, t.pk)),
        )
        linked = [own_districts[i] for i in links[indicator.pk, "districts"] if i in own_districts]
        prefetched(indicator, "districts", sorted(linked, key=lambda d: (d.order, d.name, d.pk)))
        prefetched(indicator, "measurements", measurements_of[indicator.pk])
        if this_year:
            current.append(indicator)
        else:
            indicator.promise = promise_of[indicator.pk]
            earlier.append(indicator)
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
    total = Decimal(0) if indicator.aggregation != Indicator.Aggregation.COUNT else 0
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
    """IndicatorFigures of each indicator (from `load_indicators`, `indicators_queryset`), in order.

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


# How many years back a promise's chain of predecessors is followed (one subquery whatever the
# depth).
EARLIER_YEARS = 5


def earlier_promises(promise, *, depth=EARLIER_YEARS, public=True):
    """The (published, if public) promises this one continues (commitments.copying).

    A queryset, to filter by: the predecessor, and each promise whose successors'
    successors… lead to it, in one subquery whatever the depth. None when it continues none.
    """
    promises = Promise.objects.public() if public else Promise.objects.all()
    if promise.previous_id is None:
        return promises.none()
    lookups, path = Q(pk=promise.previous_id), "successors"
    for _ in range(depth - 1):
        lookups |= Q(**{path: promise.previous_id})
        path += "__successors"
    return promises.filter(lookups)


def add_earlier_years(items, cells, *, public=True):
    """Put the values of the same indicators in the promise's earlier years before each item's.

    A promise copied to a new year keeps its indicators' names, so an indicator's history is
    the indicators of that name and kind in the promises it continues: `load_indicators`
    reads them with this year's (`history_of`), and `cells` must hold their promises'
    activities too (`public_cells(earlier_years=True)`, or `activity_cells` over
    `earlier_promises`). Their points come from `indicator_figures` like this year's; the
    total and the status stay this year's. No query.
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
