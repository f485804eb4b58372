"""The recurring jobs, run together by `manage.py run_jobs` (a systemd timer, cron or compose).

Each job is safe to run again (reminders are claimed under a unique constraint, a summary is
rebuilt only when stale, expired files are simply gone), and a whole run holds a PostgreSQL
advisory lock, so that two runs at once, from two hosts' timers or a timer and an operator, do
not do the same work side by side: the second finds the lock taken and does nothing.
docs/operations.md says what runs when.
"""

import hashlib
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from commitments import export_files, figures, stored_files
from commitments.imports.files import UPLOADS
from commitments.models import Promise

from .reminders import send_reminders

logger = logging.getLogger(__name__)


def _refresh_public_summaries():
    count = 0
    for promise in Promise.objects.public().order_by("pk"):
        figures.rebuild_public_summary(promise)
        count += 1
    return count


def _remove_expired_exports():
    # The rows with their files first; then files whose row is gone (a crash in between).
    removed = export_files.remove_expired()
    return removed + stored_files.remove_expired("exports", hours=settings.EXPORT_HOURS)


def _remove_expired_uploads():
    return stored_files.remove_expired(UPLOADS, hours=settings.IMPORT_UPLOAD_HOURS)


def _remove_unconfirmed_subscriptions():
    from subscriptions.expiry import remove_unconfirmed

    return remove_unconfirmed()


# (name, what it does, the function): in this order, each run.
JOBS = [
    ("send_reminders", "reminders sent", send_reminders),
    ("refresh_public_summaries", "public summaries checked", _refresh_public_summaries),
    ("remove_expired_exports", "expired exports removed", _remove_expired_exports),
    ("remove_expired_uploads", "expired import uploads removed", _remove_expired_uploads),
    (
        "remove_unconfirmed_subscriptions",
        "subscriptions not confirmed within 7 days removed",
        _remove_unconfirmed_subscriptions,
    ),
]


def _lock_key(name):
    """A stable 64-bit key for pg_try_advisory_lock, from the job's name."""
    digest = hashlib.sha256(f"medborgarloften:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def exclusive(name):
    """True while this process holds the lock `name`; False when another one does.

    A session-level advisory lock of PostgreSQL: released when the run ends, or with its
    connection if the process dies. SQLite (development) has none: always True.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_jobs(only=None):
    """Run every job (or those named); returns {name: count}, or None when another run holds
    the lock. A job that fails is logged and the next one still runs; it is raised at the end."""
    results, failed = {}, None
    with exclusive("run_jobs") as held:
        if not held:
            logger.info("Another run of the jobs holds the lock: nothing done")
            return None
        for name, _summary, job in JOBS:
            if only and name not in only:
                continue
            started = time.perf_counter()
            try:
                results[name] = job()
            except Exception as error:
                logger.exception("The job %s failed", name)
                failed = failed or error
                continue
            logger.info(
                "Job %s: %s in %.1f s",
                name,
                results[name],
                time.perf_counter() - started,
                extra={"job": name, "count": results[name]},
            )
    if failed is not None:
        raise failed
    return results
