"""Exports of staff activity lists: CSV that opens correctly in Swedish Excel, and XLSX.

UTF-8 with a byte-order mark (so Excel reads å, ä, ö), semicolons between cells and decimal
commas (Excel's Swedish list and decimal separators). Text cells that a spreadsheet would run
as a formula are neutralised, in every export (`neutralise`). An export re-imports unchanged
(commitments/imports/ reads these columns, takes the neutralising apostrophe off again and
finds each activity by its id).
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import ActivityValue, Measure

BOM = "\ufeff"
# A cell starting with one of these is read as a formula (or its start) by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """Prefix an apostrophe to text that a spreadsheet would otherwise evaluate."""
    text = str(text)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def number(value):
    """A number with a decimal comma and no needless zeros: 2,5 and 3, not 2.50 and 3.00."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def activity_columns(measures):
    return [
        _("Date"),
        _("Promise"),
        _("Commitment"),
        _("Activity type"),
        _("District"),
        _("Organisation"),
        _("Hours"),
        _("Number of staff"),
        *[f"{m.name} ({m.unit})" for m in measures],
        _("Public summary"),
        _("Internal note"),
        _("Public"),
        _("Entered by"),
        _("External id"),
    ]


# An activity without an external id is exported as this prefix and its pk, so that the file
# re-imports onto the same activity instead of adding a copy.
PORTAL_ID_PREFIX = "portal-"


# The columns an export reads, in the database: plain values, no model instances.
_FIELDS = (
    "pk",
    "date",
    "commitment__promise__title",
    "commitment__number",
    "commitment__title",
    "activity_type__name",
    "district__name",
    "organisation__name",
    "hours",
    "staff_count",
    "summary",
    "internal_note",
    "is_public",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__username",
    "external_id",
)
ORDER = ("-date", "-id")  # the staff list's order
CHUNK = 2000


def _values_by_activity(activities):
    """(activity id, {measure id: value}) in the export's order, for the activities that have
    values: read alongside the activities on a server-side cursor of its own."""
    rows = (
        ActivityValue.objects.filter(activity__in=activities.values("pk"))
        .order_by("-activity__date", "-activity_id")
        .values_list("activity_id", "measure_id", "value")
        .iterator(chunk_size=CHUNK)
    )
    current, values = None, {}
    for activity_id, measure_id, value in rows:
        if activity_id != current:
            if current is not None:
                yield current, values
            current, values = activity_id, {}
        values[measure_id] = value
    if current is not None:
        yield current, values


def activity_table(activities):
    """(measures, rows): every activity's cells as typed values (date, Decimal, int, str),
    text neutralised, streamed from two server-side cursors merged in the list's order, so
    memory stays flat whatever the number of activities.

    `activities` must already be limited to what the reader may see (`visible_to`).
    """
    measures = list(
        Measure.objects.filter(activity_type__in=activities.values("activity_type"))
        .select_related("activity_type")
        .order_by("activity_type__commitment__number", "activity_type__order", "order", "name")
    )
    measure_ids = [m.pk for m in measures]
    return measures, _rows(activities, measure_ids)


def _rows(activities, measure_ids):
    yes, no = _("yes"), _("no")
    values = _values_by_activity(activities)
    pending = next(values, None)
    rows = activities.order_by(*ORDER).values_list(*_FIELDS).iterator(chunk_size=CHUNK)
    for (pk, day, promise, number, title, kind, district, organisation, hours, staff,
         summary, note, public, first, last, username, external_id) in rows:  # fmt: skip
        own = {}
        if pending is not None and pending[0] == pk:
            own = pending[1]
            pending = next(values, None)
        entered_by = (f"{first} {last}".strip() or username) if username else ""
        yield [
            day,
            neutralise(promise),
            neutralise(f"{number}. {title}"),
            neutralise(kind),
            neutralise(district),
            neutralise(organisation),
            hours,
            staff,
            *[own.get(m) for m in measure_ids],
            neutralise(summary),
            neutralise(note),
            yes if public else no,
            neutralise(entered_by),
            neutralise(external_id or f"{PORTAL_ID_PREFIX}{pk}"),
        ]


def csv_cell(value):
    """A typed cell as Swedish Excel reads it from CSV."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return number(value)
    if value is None:
        return ""
    return neutralise(value)


class _Echo:
    """A file-like object that hands back what is written, for a streaming response."""

    def write(self, value):
        return value


def csv_lines(activities):
    """The CSV of the activities, line by line (for a StreamingHttpResponse or a file).

    `activities` must already be limited to what the reader may see (`visible_to`).
    """
    measures, rows = activity_table(activities)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([neutralise(c) for c in activity_columns(measures)])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def write_csv(header, rows):
    """A CSV file for Swedish Excel (BOM, semicolons, decimal commas) from typed rows."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    lines = [BOM + writer.writerow([neutralise(c) for c in header])]
    lines.extend(writer.writerow([csv_cell(value) for value in row]) for row in rows)
    return "".join(lines).encode("utf-8")


def write_xlsx(header, rows, sheet_title, target=None):
    """An XLSX workbook of one sheet: dates as date cells, numbers as numbers, text neutralised.

    Written with openpyxl's write-only mode, which streams rows to a temporary file: into
    `target` (a file) when given, else returned as bytes (small files: the templates).
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=neutralise(title))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(
            [
                value
                if isinstance(value, date | int | Decimal) or value is None
                else neutralise(value)
                for value in row
            ]
        )
    if target is not None:
        workbook.save(target)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_activities_xlsx(activities, target):
    """The XLSX of the activities into the file `target`; `activities` limited by visible_to."""
    measures, rows = activity_table(activities)
    write_xlsx(activity_columns(measures), rows, str(activities_title()), target=target)


def activities_title():
    return _("Activities")
