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

from .models import Measure

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


def activity_values(activity, measures):
    """One activity's cells as typed values (date, Decimal, int, str), text neutralised."""
    values = {v.measure_id: v.value for v in activity.values.all()}
    entered_by = activity.created_by
    return [
        activity.date,
        neutralise(activity.commitment.promise.title),
        neutralise(str(activity.commitment)),
        neutralise(activity.activity_type.name),
        neutralise(activity.district.name),
        neutralise(activity.organisation.name),
        activity.hours,
        activity.staff_count,
        *[values.get(m.pk) for m in measures],
        neutralise(activity.summary),
        neutralise(activity.internal_note),
        _("yes") if activity.is_public else _("no"),
        neutralise(entered_by.get_full_name() or entered_by.username) if entered_by else "",
        neutralise(activity.external_id or f"{PORTAL_ID_PREFIX}{activity.pk}"),
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


def activity_row(activity, measures):
    return [csv_cell(value) for value in activity_values(activity, measures)]


class _Echo:
    """A file-like object that hands back what is written, for a streaming response."""

    def write(self, value):
        return value


def _measures_and_rows(activities):
    measures = list(
        Measure.objects.filter(activity_type__in=activities.values("activity_type"))
        .select_related("activity_type")
        .order_by("activity_type__commitment__number", "activity_type__order", "order", "name")
    )
    rows = activities.select_related(
        "commitment__promise", "activity_type", "district", "organisation", "created_by"
    ).prefetch_related("values")
    return measures, rows.iterator(chunk_size=1000)


def csv_lines(activities):
    """The CSV of the activities, line by line (for a StreamingHttpResponse).

    `activities` must already be limited to what the reader may see (`visible_to`).
    """
    measures, rows = _measures_and_rows(activities)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([neutralise(c) for c in activity_columns(measures)])
    for activity in rows:
        yield writer.writerow(activity_row(activity, measures))


def write_csv(header, rows):
    """A CSV file for Swedish Excel (BOM, semicolons, decimal commas) from typed rows."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    lines = [BOM + writer.writerow([neutralise(c) for c in header])]
    lines.extend(writer.writerow([csv_cell(value) for value in row]) for row in rows)
    return "".join(lines).encode("utf-8")


def write_xlsx(header, rows, sheet_title):
    """An XLSX workbook of one sheet: dates as date cells, numbers as numbers, text neutralised.

    Written with openpyxl's write-only mode, which streams rows to the file.
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(activities):
    """The XLSX of the activities; `activities` already limited by `visible_to`."""
    measures, rows = _measures_and_rows(activities)
    return write_xlsx(
        activity_columns(measures),
        (activity_values(activity, measures) for activity in rows),
        str(_("Activities")),
    )
