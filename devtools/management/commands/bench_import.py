"""Measure the spreadsheet import: `manage.py bench_import --rows 10000` (rolled back after)."""

import csv
import io
import os
import time
import tracemalloc
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from commitments.exports import write_xlsx
from commitments.imports import run_import
from commitments.loading import load_promise_file
from commitments.models import ActivityType

FIXTURE = settings.BASE_DIR / "fixtures" / "eskilstuna_2018.toml"


def bench_file(promise, rows, *, variant=""):
    """A Swedish Excel CSV of `rows` activities over every type, district and measure."""
    types = list(
        ActivityType.objects.filter(commitment__promise=promise)
        .select_related("commitment")
        .prefetch_related("measures")
    )
    districts = list(promise.districts.all())
    measures = list(dict.fromkeys(m.name for t in types for m in t.measures.all()))
    header = [
        "Id",
        "Datum",
        "Åtagande",
        "Aktivitetstyp",
        "Område",
        "Timmar",
        "Antal personal",
        "Sammanfattning",
        "Intern anteckning",
        "Publik",
        *measures,
    ]
    lines = [";".join(header)]
    days = (promise.end_date - promise.start_date).days + 1
    for n in range(rows):
        activity_type = types[n % len(types)]
        own = {m.name for m in activity_type.measures.all()}
        values = [str((n * 7 + i) % 60) if name in own else "" for i, name in enumerate(measures)]
        day = promise.start_date + timedelta(days=n % days)
        lines.append(
            ";".join(
                [
                    f"bench-{n}",
                    f"{day.day}/{day.month}/{day.year}" if n % 2 else day.isoformat(),
                    str(activity_type.commitment.number),
                    activity_type.name,
                    districts[n % len(districts)].name,
                    f"{1 + n % 7},{n % 4 * 25}",
                    str(1 + n % 5),
                    f"Insats {n} {variant}".strip(),
                    "",
                    "ja" if n % 3 else "nej",
                    *values,
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def as_xlsx(data):
    """The same rows as an XLSX workbook (text cells as Excel would have them)."""
    rows = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))
    return write_xlsx(rows[0], rows[1:], "Aktiviteter")


class Command(BaseCommand):
    help = (
        "Time the import of a generated file (new rows, the same file again, every row changed) "
        "on the configured database; everything is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--memory",
            action="store_true",
            help="Also trace peak memory at a fifth of the rows and at all of them (slower).",
        )

    def handle(self, *args, rows, memory, format, **options):
        # As in production: with DEBUG on, Django keeps the text of every query (here bulk
        # inserts of a thousand rows), which costs time and memory the import does not.
        settings.DEBUG = False
        vendor = connection.vendor
        convert = as_xlsx if format == "xlsx" else (lambda data: data)
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        self.stdout.write(
            f"Import benchmark: {rows} rows of {format.upper()} on {vendor}, "
            f"{os.cpu_count()} CPUs, load average {load}"
        )
        with transaction.atomic():
            promise = load_promise_file(FIXTURE)
            organisation = promise.police_area
            first = convert(bench_file(promise, rows))
            phases = [
                ("new", first, "new"),
                ("same file again", first, "unchanged"),
                (
                    "every row changed",
                    convert(bench_file(promise, rows, variant="ändrad")),
                    "changed",
                ),
            ]
            for label, data, counted in phases:
                queries = []

                def count(execute, *args, queries=queries):
                    queries.append(1)
                    return execute(*args)

                with connection.execute_wrapper(count):
                    start, cpu = time.perf_counter(), time.process_time()
                    report = run_import(
                        data,
                        file_name=f"bench.{format}",
                        promise=promise,
                        organisation=organisation,
                    )
                    seconds = time.perf_counter() - start
                    cpu = time.process_time() - cpu
                assert report.ok, report.errors[:5]
                self.stdout.write(
                    f"  {label}: {getattr(report, counted)} {counted} in {seconds:.2f} s = "
                    f"{rows / seconds:,.0f} rows/s (Python CPU {cpu:.2f} s), "
                    f"{len(queries)} queries ({len(queries) / rows:.4f} per row), "
                    f"file {len(data) / 1e6:.1f} MB"
                )
            if memory:
                for size in (rows // 5, rows):
                    data = convert(bench_file(promise, size, variant=f"m{size}"))
                    tracemalloc.start()
                    run_import(
                        data,
                        file_name=f"m.{format}",
                        promise=promise,
                        organisation=organisation,
                    )
                    _current, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    self.stdout.write(
                        f"  peak memory importing {size} rows: {peak / 1e6:.1f} MB "
                        f"(file {len(data) / 1e6:.1f} MB)"
                    )
            transaction.set_rollback(True)
        self.stdout.write(f"Done: {rows} rows, rolled back ({date.today()}).")
