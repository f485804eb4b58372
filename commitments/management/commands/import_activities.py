"""Import activities from a CSV or XLSX file: `manage.py import_activities FILE --promise ...`."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commitments.imports import run_import
from commitments.models import Organisation, Promise


class Command(BaseCommand):
    help = (
        "Import one organisation's activities in one promise from a CSV or XLSX file: every row "
        "or none. Exit status 0 when imported (or a dry run found no error), 1 on errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--promise", required=True, help="The promise's slug.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded as the importer (default: none, the command line)."
        )

    def handle(self, *args, file, promise, organisation, dry_run, user, **options):
        translation.activate("sv")
        promise_obj = Promise.objects.filter(slug=promise).first()
        if promise_obj is None:
            raise CommandError(f"No promise with the slug {promise}.")
        organisation_obj = Organisation.objects.filter(slug=organisation).first()
        if organisation_obj is None:
            raise CommandError(f"No organisation with the slug {organisation}.")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user {user}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = run_import(
            data,
            file_name=file.name,
            promise=promise_obj,
            organisation=organisation_obj,
            user=importer,
            dry_run=dry_run,
        )
        for error in report.errors:
            self.stderr.write(str(error))
        summary = (
            f"{report.rows} rows: {report.new} new, {report.changed} changed, "
            f"{report.unchanged} unchanged, {len(report.errors)} errors"
        )
        if not report.ok:
            self.stderr.write(f"{summary}. Nothing was imported.")
            raise SystemExit(1)
        written = "dry run, nothing written" if dry_run else f"import {report.record.pk}"
        self.stdout.write(f"{summary} ({written}).")
