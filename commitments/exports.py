"""Exports of staff activity lists: CSV that opens correctly in Swedish Excel.

UTF-8 with a byte-order mark (so Excel reads å, ä, ö), semicolons between cells and decimal
commas (Excel's Swedish list and decimal separators). Text cells that a spreadsheet would run
as a formula are neutralised. The import/export work adds XLSX next to `write_csv`.
"""

import csv
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Measure

BOM = "\ufeff"
# A cell starting with one of these is read as a formula (or its start) by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """Prefix an apostrophe to text that a spreadsheet would otherwise evaluate."""
    text = str(text)
    if text.startswith(_FORMULA_START):
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


def activity_row(activity, measures):
    values = {v.measure_id: v.value for v in activity.values.all()}
    entered_by = activity.created_by
    return [
        activity.date.isoformat(),
        neutralise(activity.commitment.promise.title),
        neutralise(str(activity.commitment)),
        neutralise(activity.activity_type.name),
        neutralise(activity.district.name),
        neutralise(activity.organisation.name),
        number(activity.hours),
        number(activity.staff_count),
        *[number(values.get(m.pk)) for m in measures],
        neutralise(activity.summary),
        neutralise(activity.internal_note),
        _("yes") if activity.is_public else _("no"),
        neutralise(entered_by.get_full_name() or entered_by.username) if entered_by else "",
        neutralise(activity.external_id),
    ]


class _Echo:
    """A file-like object that hands back what is written, for a streaming response."""

    def write(self, value):
        return value


def csv_lines(activities):
    """The CSV of the activities, line by line (for a StreamingHttpResponse).

    `activities` must already be limited to what the reader may see (`visible_to`).
    """
    measures = list(
        Measure.objects.filter(activity_type__in=activities.values("activity_type"))
        .select_related("activity_type")
        .order_by("activity_type__commitment__number", "activity_type__order", "order", "name")
    )
    rows = activities.select_related(
        "commitment__promise", "activity_type", "district", "organisation", "created_by"
    ).prefetch_related("values")
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow(activity_columns(measures))
    for activity in rows.iterator(chunk_size=1000):
        yield writer.writerow(activity_row(activity, measures))
