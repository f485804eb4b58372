"""Restore a promise from a zip archive into an empty database (followups/archive.py)."""

from django.core.management.base import BaseCommand, CommandError

from followups.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive: checks every checksum first, then "
        "restores all rows and files in one transaction, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the zip file to read")

    def handle(self, *args, file, **options):
        try:
            restored = import_archive(file)
        except ArchiveError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        for name, count in restored.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(restored.values())} rows."))
