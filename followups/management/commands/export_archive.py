"""Write everything of one promise to a zip archive (followups/archive.py)."""

from django.core.management.base import BaseCommand, CommandError

from commitments.models import Promise
from followups.archive import ArchiveError, export_promise


class Command(BaseCommand):
    help = (
        "Write everything of a promise (rows, audit history, PDFs) to a zip of JSON and CSV "
        "files with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the promise's slug, e.g. eskilstuna-2018")
        parser.add_argument("file", help="the zip file to write")

    def handle(self, *args, slug, file, **options):
        promise = Promise.objects.filter(slug=slug).first()
        if promise is None:
            raise CommandError(f"No promise with the slug {slug!r}.")
        try:
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
