"""Restore a promise from a zip archive into an empty database (followups/archive.py)."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from followups.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive: checks every checksum first, then "
        "restores all rows and files in one transaction, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the zip file to read")
        parser.add_argument(
            "--from-storage",
            action="store_true",
            help="the file is a name in the file storage (archives/…), as export_archive wrote",
        )

    def handle(self, *args, file, from_storage, **options):
        try:
            if from_storage:
                with default_storage.open(file, "rb") as handle:
                    restored = import_archive(handle)
            else:
                restored = import_archive(file)
        except ArchiveError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        for name, count in restored.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(restored.values())} rows."))
