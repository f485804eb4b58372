"""The spreadsheet import: a CSV or XLSX file of activities in, all rows or none written.

Used by the staff pages (commitments/views/imports.py) and `manage.py import_activities`. The
modules, in the order a file meets them:

- files.py    reading the upload (size, zip bomb, encoding, separator); keeping it between
              preview and confirmation
- columns.py  the columns and their other names, the header row mapped onto them, the
              template to fill in
- cells.py    Swedish cell formats; commitments, types and districts looked up by name
- rows.py     how a parsed row becomes an Activity (the django-import-export Resource)
- writes.py   the bulk writes with history, none once a row has failed
- report.py   what a run reports: counts, the first rows, every error by row and column
- run.py      one import: the checks, the chunks, one transaction

The export (commitments/exports.py) stays beside the staff list it serves; the import reads
its columns, so an export re-imports unchanged.
"""

from .columns import template_table
from .files import FileRefused, discard, stash, unstash
from .report import ImportReport, RowError
from .run import may_import, run_import

__all__ = [
    "FileRefused",
    "ImportReport",
    "RowError",
    "discard",
    "may_import",
    "run_import",
    "stash",
    "template_table",
    "unstash",
]
