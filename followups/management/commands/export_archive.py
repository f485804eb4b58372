"""Write everything of one promise to a zip archive (followups/archive.py).

To a local file, or with --to-storage into the file storage under archives/ (the media folder
or the S3 bucket the reports are in, promise_portal/storages.py).
"""

import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments.models import Promise
from followups.archive import ArchiveError, export_promise


class Command(BaseCommand):
    help = (
        "Write everything of a promise (rows, audit history, PDFs) to a zip of JSON and CSV "
        "files with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the promise's slug, e.g. eskilstuna-2018")
        parser.add_argument("file", nargs="?", help="the zip file to write")
        parser.add_argument(
            "--to-storage",
            action="store_true",
            help="store it in the file storage as archives/<slug>-<time>.zip instead",
        )

    def handle(self, *args, slug, file, to_storage, **options):
        if bool(file) == to_storage:
            raise CommandError("Name a file to write, or give --to-storage.")
        promise = Promise.objects.filter(slug=slug).first()
        if promise is None:
            raise CommandError(f"No promise with the slug {slug!r}.")
        try:
            if to_storage:
                with tempfile.TemporaryFile() as handle:
                    manifest = export_promise(promise, handle)
                    handle.seek(0)
                    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
                    file = default_storage.save(f"archives/{slug}-{stamp}.zip", File(handle))
            else:
                manifest = export_promise(promise, file)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["models"].values())
        files = sum(1 for name in manifest["files"] if name.startswith("files/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {file}: {rows} rows in {len(manifest['models'])} tables, {files} files."
            )
        )
