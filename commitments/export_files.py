"""Staff exports of any size: the task worker writes the file into the storage, in steps.

`request_export` records what a user asked for and queues `tasks.prepare_export`; `prepare`
(what the task calls, and the tests) chooses the rows from what the requester may see when it
runs, streams them from server-side cursors into a temporary file (CSV, or XLSX in openpyxl's
write-only mode), reports its progress on the row and stores the file. Memory stays flat: a
200,000-activity export is measured in docs/benchmarks.md.
"""

import logging
import resource
import tempfile
import time

from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from . import exports, permissions
from .forms import ActivityFilterForm
from .models import Activity, ActivityExport

logger = logging.getLogger(__name__)
# The progress on the export's row is written every this many rows.
PROGRESS_EVERY = 5000


def selected_activities(user, query):
    """The activities the staff list shows `user` with the filter `query`: visible_to first."""
    commitments = permissions.commitment_ids(user)
    activities = Activity.objects.visible_to(user, commitments=commitments)
    form = ActivityFilterForm(QueryDict(query) or None, user=user, commitments=commitments)
    return form.filter(activities)


def request_export(*, user, fmt, query):
    """Record the export and queue its preparation once the row is committed."""
    from .tasks import prepare_export

    export = ActivityExport.objects.create(requested_by=user, format=fmt, query=query[:1000])
    transaction.on_commit(lambda: prepare_export.enqueue(export.pk))
    return export


def _claim(export):
    """Only one worker prepares an export: the one that moves it from queued to running."""
    return ActivityExport.objects.filter(pk=export.pk, state=ActivityExport.State.QUEUED).update(
        state=ActivityExport.State.RUNNING
    )


def _counted(rows, export):
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            ActivityExport.objects.filter(pk=export.pk).update(rows_done=done)


def _write(export, activities, handle):
    if export.format == ActivityExport.Format.XLSX:
        measures, rows = exports.activity_table(activities)
        exports.write_xlsx(
            exports.activity_columns(measures),
            _counted(rows, export),
            str(exports.activities_title()),
            target=handle,
        )
        return
    lines = exports.csv_lines(activities)
    handle.write(next(lines).encode())  # the header
    for line in _counted(lines, export):
        handle.write(line.encode())


def prepare(export):
    """Write the export's file; a no-op when another worker has it or it is done."""
    if not _claim(export):
        return export
    started, peak_before = time.perf_counter(), _peak_rss_mb()
    user = export.requested_by
    try:
        if not user.is_active:
            raise PermissionError("the requester's account is no longer active")
        activities = selected_activities(user, export.query)
        total = activities.count()
        ActivityExport.objects.filter(pk=export.pk).update(rows_total=total)
        with tempfile.TemporaryFile() as handle:
            _write(export, activities, handle)
            handle.seek(0)
            export.file.save(export.file_name, File(handle), save=False)
    except Exception as error:
        ActivityExport.objects.filter(pk=export.pk).update(
            state=ActivityExport.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    ActivityExport.objects.filter(pk=export.pk).update(
        state=ActivityExport.State.READY,
        file=export.file.name,
        rows_total=total,
        rows_done=total,
        finished_at=timezone.now(),
    )
    seconds, peak = time.perf_counter() - started, _peak_rss_mb()
    logger.info(
        "Export %s ready: %s rows as %s in %.1f s, peak memory %.0f MB (%.0f MB before)",
        *(export.pk, total, export.format, seconds, peak, peak_before),
        extra={
            "export_rows": total,
            "export_seconds": round(seconds, 1),
            "export_peak_rss_mb": round(peak),
            "export_peak_rss_mb_before": round(peak_before),
        },
    )
    export.refresh_from_db()
    return export


def _peak_rss_mb():
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def remove_expired():
    """Delete exports older than EXPORT_HOURS with their files; returns how many."""
    removed = 0
    for export in ActivityExport.objects.expired():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return removed
