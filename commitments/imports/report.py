"""What one import reports: counts, the file's first rows, every error by row and column.

The staff page shows it as the preview and the summary, the command prints it, and tests
assert its error codes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.results import RowResult

from ..models import ActivityImport
from .cells import cell_text

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

    def preview_row(self, number, cells, *, error):
        """Keep the file's first rows as they are, for the preview page."""
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(
                {
                    "row": number,
                    "cells": [cell_text(c) for c in cells],
                    "status": "error" if error else "",
                }
            )

    def count(self, result, *, row_numbers, headers):
        """Add one chunk's outcome (django-import-export's Result) to the counts and errors.

        `row_numbers` are the rows of the spreadsheet in the order the chunk was imported;
        `headers` each column key's header as the file wrote it, to name an error's column.
        """
        totals = result.totals
        self.new += totals[RowResult.IMPORT_TYPE_NEW]
        self.changed += totals[RowResult.IMPORT_TYPE_UPDATE]
        self.unchanged += totals[RowResult.IMPORT_TYPE_SKIP]
        statuses = {
            row_numbers[index]: _STATUS.get(row_result.import_type, "")
            for index, row_result in enumerate(result.rows)
        }
        for line in self.preview:
            line["status"] = line["status"] or statuses.get(line["row"], line["status"])
        for invalid in result.invalid_rows:
            number = row_numbers[invalid.number - 1]
            for key, errors in invalid.error.error_dict.items():
                column = "" if key == NON_FIELD_ERRORS else headers.get(_column_key(key), key)
                for error in errors:
                    message = error.message % error.params if error.params else error.message
                    self.refuse(message, row=number, column=column, code=error.code or "")
        for index, errors in result.row_errors():
            for error in errors:
                self.refuse(error.error, row=row_numbers[index - 1], code="error")
        for error in result.base_errors:
            self.refuse(
                _("The database refused the rows: %(error)s") % {"error": error.error},
                code="database",
            )
        self.errors.sort(key=lambda error: error.row or 0)


def _column_key(field_name):
    return "id" if field_name == "external_id" else field_name
