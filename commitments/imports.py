"""The import engine: a CSV or XLSX file of activities in, all rows or none written.

Used by the staff page (/personal/import/) and `manage.py import_activities`. The file is
checked before any row is read (size, zip bomb, format, columns), counted (row limit, headers
only), then fed to ActivityResource (resources.py) in chunks inside one transaction: rows are
streamed, never all held in memory. A dry run, or a file with any error, is rolled back.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import islice

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult

from . import permissions
from .import_cells import (
    COLUMNS,
    HEADER_ALIASES,
    MEASURE_KEY,
    REQUIRED_COLUMNS,
    ROW_KEY,
    Lookups,
    cell_text,
    normalise_header,
    suggestion,
)
from .import_files import FileRefused, Formula, open_table
from .models import ActivityImport, Organisation
from .resources import ActivityResource

CHUNK_ROWS = 1000
PREVIEW_ROWS = 10
# django-import-export's row outcomes, as the report counts them.
_STATUS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "changed",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}


@dataclass
class RowError:
    """One error: its row in the spreadsheet (1 is the header row), its column, a message."""

    row: int | None
    column: str
    message: str
    code: str = ""

    def __str__(self):
        if self.row is None:
            return self.message
        return f"row {self.row}, column {self.column or '-'}: {self.message}"


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    # The first rows as in the file, each with its row number and outcome.
    preview: list = field(default_factory=list)
    record: ActivityImport | None = None

    @property
    def ok(self):
        return not self.errors

    def refuse(self, message, row=None, column="", code=""):
        self.errors.append(RowError(row, column, str(message), code))
        return self

    @property
    def codes(self):
        return [error.code for error in self.errors]


# Permissions.


def may_import(user, promise, organisation):
    """Whether `user` may import `organisation`'s activities into `promise`.

    The staff area's rule (`permissions.loggable_organisations`): one's own organisation in a
    promise it takes part in; a coordinator of the promise any organisation taking part.
    `user` None is the command line, run by whoever runs the server.
    """
    if user is None:
        return True
    return Organisation.objects.filter(
        permissions.loggable_organisations(user, promise), pk=organisation.pk
    ).exists()


# Columns.


def _fixed_headers():
    headers = {}
    for key, swedish, english in COLUMNS:
        headers[normalise_header(swedish)] = key
        headers[normalise_header(english)] = key
    headers.update(HEADER_ALIASES)
    return headers


def map_headers(header_cells, lookups, report):
    """Each column's key (or None for an empty one), and the measure columns found."""
    fixed = _fixed_headers()
    known = {normalise_header(sv): sv for _key, sv, _en in COLUMNS}
    known.update({normalise_header(name): name for name in lookups.measure_names})
    keys, measure_columns, seen = [], [], {}
    for index, cell in enumerate(header_cells):
        text = cell_text(cell)
        header = normalise_header(text)
        if not header:
            keys.append(None)
            continue
        if header in fixed:
            key = fixed[header]
        elif header in lookups.measures_by_name:
            measures = lookups.measures_by_name[header]
            # "Beslag" and "Beslag (st)" are one column written twice.
            key = next(
                (k for k, known_measures in measure_columns if known_measures is measures),
                MEASURE_KEY.format(len(measure_columns)),
            )
            if key not in seen:
                measure_columns.append((key, measures))
        else:
            near = suggestion(text, known)
            message = (
                _("Unknown column “%(column)s”. Did you mean “%(suggestion)s”?")
                % {"column": text, "suggestion": near}
                if near
                else _(
                    "Unknown column “%(column)s”. The columns are %(columns)s, and one per "
                    "measure: %(measures)s."
                )
                % {
                    "column": text,
                    "columns": ", ".join(sv for _key, sv, _en in COLUMNS),
                    "measures": ", ".join(lookups.measure_names) or "-",
                }
            )
            report.refuse(message, row=1, column=text, code="unknown_column")
            keys.append(None)
            continue
        if key in seen:
            report.refuse(
                _("The column “%(column)s” appears twice.") % {"column": text},
                row=1,
                column=text,
                code="duplicate_column",
            )
        seen[key] = (index, text)
        keys.append(key)
    for key in REQUIRED_COLUMNS:
        if key not in seen:
            swedish = next(sv for k, sv, _en in COLUMNS if k == key)
            report.refuse(
                _("The column “%(column)s” is missing.") % {"column": swedish},
                row=1,
                column=swedish,
                code="missing_column",
            )
    report.headers = [cell_text(cell) for cell in header_cells]
    return keys, measure_columns, {key: text for key, (_i, text) in seen.items()}


def _data_rows(table, keys):
    """(row number, values by key) for each non-blank row; blank rows are skipped."""
    for number, cells in enumerate(islice(table.rows(), 1, None), start=2):
        values = {}
        for key, cell in zip(keys, cells, strict=False):
            if key is not None:
                values[key] = cell
        if any(cell_text(value) for value in values.values()):
            yield number, values, cells


# The import.


def run_import(data, *, file_name, promise, organisation, user=None, dry_run=False):
    """Import a file's activities for one organisation in one promise: all rows or none."""
    report = ImportReport(
        file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    if not may_import(user, promise, organisation):
        raise PermissionDenied
    if len(data) > settings.IMPORT_MAX_BYTES:
        return report.refuse(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once.")
            % {
                "size": f"{len(data) / 1_048_576:.1f}".replace(".", ","),
                "limit": f"{settings.IMPORT_MAX_BYTES / 1_048_576:g}".replace(".", ","),
            },
            code="too_large",
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        return report.refuse(_("The file is empty."), code="empty")
    lookups = Lookups(promise)
    try:
        table = open_table(data, file_name)
    except FileRefused as error:
        return report.refuse(error, code=error.code)
    try:
        return _import_table(table, report, lookups, organisation, user, dry_run)
    except FileRefused as error:
        report.preview = []
        return report.refuse(error, code=error.code)
    finally:
        table.close()


def _import_table(table, report, lookups, organisation, user, dry_run):
    header_cells = next(iter(table.rows()), None)
    if not header_cells or not any(cell_text(cell) for cell in header_cells):
        return report.refuse(_("The file is empty."), code="empty")
    keys, measure_columns, headers = map_headers(header_cells, lookups, report)
    if report.errors:
        return report
    # Refused before any row is processed when the file says it is too long: a CSV is counted
    # (cheap), a workbook declares its size. Counted again while importing, in case it lied.
    declared = table.count_rows(lambda: sum(1 for _row in _data_rows(table, keys)))
    if declared == 0:
        return _headers_only(report)
    if declared is not None and declared > settings.IMPORT_MAX_ROWS:
        return _too_many_rows(report, declared)
    with transaction.atomic():
        record = ActivityImport.objects.create(
            promise=lookups.promise,
            organisation=organisation,
            imported_by=user,
            file_name=report.file_name[:255],
            sha256=report.sha256,
        )
        resource = ActivityResource(
            lookups=lookups,
            organisation=organisation,
            user=user,
            measure_columns=measure_columns,
            change_reason=record.change_reason,
        )
        present = [key for key in dict.fromkeys(keys) if key is not None]
        columns = [ROW_KEY, *dict.fromkeys(["id", *present])]
        rows = _data_rows(table, keys)
        while chunk := list(islice(rows, CHUNK_ROWS)):
            report.rows += len(chunk)
            if report.rows > settings.IMPORT_MAX_ROWS:
                report.errors, report.preview = [], []
                _too_many_rows(report, report.rows)
                break
            _import_chunk(chunk, columns, resource, report, headers)
            resource.failed = not report.ok
        if report.rows == 0:
            _headers_only(report)
        if report.ok and not dry_run:
            record.rows = report.rows
            record.created_count = report.new
            record.updated_count = report.changed
            record.unchanged_count = report.unchanged
            record.save()
            report.record = record
            lookups.promise.touch()
        else:
            transaction.set_rollback(True)
    return report


def _headers_only(report):
    return report.refuse(_("The file has column headers but no rows."), code="headers_only")


def _too_many_rows(report, rows):
    return report.refuse(
        _("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
        % {"rows": rows, "limit": settings.IMPORT_MAX_ROWS},
        code="too_many_rows",
    )


def _import_chunk(chunk, columns, resource, report, headers):
    dataset = tablib.Dataset(headers=columns)
    formula_rows = set()
    for number, values, cells in chunk:
        for key, value in values.items():
            if isinstance(value, Formula):
                formula_rows.add(number)
                report.refuse(
                    _("The cell holds a formula (%(formula)s): enter its value instead.")
                    % {"formula": value.text},
                    row=number,
                    column=headers.get(key, ""),
                    code="formula",
                )
        if number not in formula_rows:
            dataset.append([number, *(values.get(key) for key in columns[1:])])
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(
                {
                    "row": number,
                    "cells": [cell_text(c) for c in cells],
                    "status": "error" if number in formula_rows else "",
                }
            )
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    totals = result.totals
    report.new += totals[RowResult.IMPORT_TYPE_NEW]
    report.changed += totals[RowResult.IMPORT_TYPE_UPDATE]
    report.unchanged += totals[RowResult.IMPORT_TYPE_SKIP]
    row_numbers = dataset.get_col(0)
    statuses = {
        row_numbers[index]: _STATUS.get(row_result.import_type, "")
        for index, row_result in enumerate(result.rows)
    }
    for line in report.preview:
        line["status"] = line["status"] or statuses.get(line["row"], line["status"])
    for invalid in result.invalid_rows:
        number = row_numbers[invalid.number - 1]
        for key, errors in invalid.error.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else headers.get(_column_key(key), key)
            for error in errors:
                message = error.message % error.params if error.params else error.message
                report.refuse(message, row=number, column=column, code=error.code or "")
    for index, errors in result.row_errors():
        for error in errors:
            report.refuse(error.error, row=row_numbers[index - 1], code="error")
    for error in result.base_errors:
        report.refuse(
            _("The database refused the rows: %(error)s") % {"error": error.error}, code="database"
        )
    report.errors.sort(key=lambda error: error.row or 0)


def _column_key(field_name):
    return "id" if field_name == "external_id" else field_name


# The template to fill in.


def template_table(promise):
    """The import's columns for a promise and two example rows, as typed values."""
    lookups = Lookups(promise)
    types = sorted(
        lookups.types_by_pk.values(), key=lambda t: (t.commitment.number, t.order, t.name)
    )
    districts = sorted(lookups.districts_by_pk.values(), key=lambda d: (d.order, d.name))
    header = [swedish for _key, swedish, _english in COLUMNS] + lookups.measure_names
    rows = []
    if not types or not districts:
        return header, rows
    counted = next((t for t in types if t.measure_list), types[0])
    other = next((t for t in types if t is not counted), counted)
    for number, (activity_type, district, hours) in enumerate(
        [(counted, districts[0], Decimal("2.5")), (other, districts[-1], Decimal(3))], start=1
    ):
        day = min(promise.start_date + timedelta(days=13 * number), promise.end_date)
        measures = {m.name for m in activity_type.measure_list}
        rows.append(
            [
                f"exempel-{number}",
                day,
                activity_type.commitment.number,
                activity_type.name,
                district.name,
                hours,
                2,
                _("Example: %(type)s in %(district)s. Replace this row with your own.")
                % {"type": activity_type.name, "district": district.name},
                "",
                "ja" if number == 1 else "nej",
                *[10 * number if name in measures else None for name in lookups.measure_names],
            ]
        )
    return header, rows
