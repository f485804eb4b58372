"""The activity tables: what was done of each activity type, per tertial and district.

Arithmetic over cells (`figures.cells`): no query. In public, a sensitive type is counted per
tertial only (not split by district), small counts are masked and a total that would reveal
them is withheld; district pages leave sensitive types out for the same reason.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext

from ..models import Indicator
from ..tertials import Tertial, tertials_between
from .cells import Cell
from .display import ZERO, Masked, Withheld, is_hidden


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
    measures: list  # the counting measure first, if the type has one
    rows: list
    total: Row
    by_district: bool

    @property
    def counted(self):
        """The measure the work is counted in, when an entry may log many (controls, walks):
        the table leads with it and calls its count the number of log entries."""
        return self.activity_type.counted_measure

    @property
    def headings(self):
        """The headings of the figure columns, in the order `figures_of` gives a row's figures:
        the counting measure and the log entries (or the activities), the hours, the rest."""
        counted = self.counted
        if counted:
            first = [f"{counted.name} ({counted.unit})", gettext("Log entries")]
        else:
            first = [gettext("Activities")]
        rest = [f"{m.name} ({m.unit})" for m in self.measures if m != counted]
        return [*first, gettext("Hours"), *rest]

    def figures_of(self, row):
        """A row's figures beside their column headings: [(heading, figure)], one per column."""
        counted = self.counted
        by_measure = list(zip(self.measures, row.values, strict=True))
        first = [v for m, v in by_measure if m == counted] + [row.count]
        rest = [v for m, v in by_measure if m != counted]
        return list(zip(self.headings, [*first, row.hours, *rest], strict=True))

    @property
    def is_empty(self):
        return self.total.count == 0

    def in_tertial(self, tertial):
        """The tertial's own row: all districts together (masked like the table's rows)."""
        rows = [r for r in self.rows if r.tertial == tertial]
        if not rows:
            return None
        totals = [r for r in rows if r.district is None]
        return totals[0] if totals else rows[0]


@dataclass
class CommitmentFigures:
    """What a page shows of one commitment: its tables, indicators and latest assessment."""

    commitment: object
    tables: list
    indicators: list = field(default_factory=list)
    assessment: object = None

    @property
    def key_indicator(self):
        return key_indicator(self.indicators)


def key_indicator(items):
    """The figure that answers "is it kept?" at a glance, of a commitment's IndicatorFigures:
    its first indicator with a target, else its first, or None (the at-a-glance tables of the
    promise page, the follow-up's page and the report)."""
    shown = [item for item in items if not item.is_withdrawn]
    targeted = [item for item in shown if item.indicator.target_kind != Indicator.Target.NONE]
    return (targeted or shown or [None])[0]


def promise_tertials(promise):
    return tertials_between(promise.start_date, promise.end_date)


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
    of rows (only combinations with activities get a row). With `split=False` (a district's
    page) rows are per tertial only.
    """
    threshold = settings.SENSITIVE_THRESHOLD
    tables = []
    for activity_type in activity_types:
        measures = sorted(activity_type.measures.all(), key=lambda m: not m.counts_the_work)
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


def commitment_overview(commitments, cells, indicator_items, *, districts, tertials):
    """Per commitment (types and measures prefetched): its activity tables and indicators."""
    return [
        CommitmentFigures(
            commitment=commitment,
            tables=activity_tables(
                cells,
                activity_types=commitment.activity_types.all(),
                districts=districts,
                tertials=tertials,
            ),
            indicators=[i for i in indicator_items if i.indicator.commitment_id == commitment.pk],
        )
        for commitment in commitments
    ]


def district_overview(commitments, cells, *, district, tertials):
    """Per commitment, what was done in one district, per tertial; sensitive types left out
    (a district's small counts beside the whole area's could be subtracted to reveal one)."""
    return [
        CommitmentFigures(
            commitment=commitment,
            tables=activity_tables(
                cells,
                activity_types=[t for t in commitment.activity_types.all() if not t.is_sensitive],
                districts=[district],
                tertials=tertials,
                split=False,
            ),
        )
        for commitment in commitments
    ]
