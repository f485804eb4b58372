"""One import: a CSV or XLSX file of activities in, all rows or none written.

Used by the staff page (/personal/import/) and `manage.py import_activities`. The file is
checked before any row is read (size, zip bomb, format, columns), counted (row limit, headers
only), then fed to ActivityResource (rows.py) in chunks inside one transaction: rows are
streamed, never all held in memory. A dry run, or a file with any error, is rolled back.
"""

import hashlib
from itertools import islice

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import ActivityImport, Organisation
from .cells import Lookups, cell_text
from .columns import ROW_KEY, map_headers
from .files import FileRefused, Formula, open_table
from .report import ImportReport
from .rows import ActivityResource

CHUNK_ROWS = 1000


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
        report.preview_row(number, cells, error=number in formula_rows)
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    report.count(result, row_numbers=dataset.get_col(0), headers=headers)
