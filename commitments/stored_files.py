"""Temporary files in the storage that expire: import uploads and staff exports.

Both live under a prefix of their own in the default storage (the media folder or the S3
bucket, promise_portal/storages.py); nothing here touches reports/ or archives/, which are
kept. `remove_expired` is what `manage.py run_jobs` calls.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone


def _files_under(prefix):
    """Every file name under `prefix`, walking its folders (S3 has prefixes, not folders)."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from _files_under(f"{prefix}/{folder}")


def remove_expired(prefix, *, hours, now=None):
    """Delete the files under `prefix` older than `hours`; returns how many were deleted.

    Safe to run twice at once: a file another run deleted first is simply gone.
    """
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    removed = 0
    for name in list(_files_under(prefix)):
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
