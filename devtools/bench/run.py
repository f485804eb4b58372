"""`make bench`: issue 9's benchmark at national scale, written to docs/benchmarks.md.

On PostgreSQL it creates its own database (a unique name, dropped at the end, also on error),
migrates, runs seed_demo, generates 1,000,000 activities across 300 promises (the Eskilstuna
promise holding 100,000), then:

- counts SQL queries per page in-process (Django's test client and CaptureQueriesContext) at
  10 activities (inside a transaction that is rolled back) and at full volume, and runs
  EXPLAIN (ANALYZE) on the activity queries of every page;
- serves the app with gunicorn (2 sync workers, DEBUG off, a fresh SECRET_KEY, ALLOWED_HOSTS
  127.0.0.1, bound to 127.0.0.1 only) twice: once with every cache a DummyCache
  (settings_uncached.py, so every request renders from the database) and once with the
  project's own cache settings (pages warmed first); each URL is loaded with wrk for a fixed
  time, and /healthz/ in the same run gives the ratio;
- reads each worker's RSS from /proc after each run, and samples it during the CSV export;
- runs issue 15's national mixed load (mixed.py): readers of every promise's pages, writers
  changing activities, the task worker renewing pages, Redis shared;
- times the PDF report and the import when those exist, and says so when they do not.

A URL that answers 404 is reported as "not built yet", not as a failure. The settings through
the environment are config.py's. This module only runs the steps in order; each is its own
module's: database.py (the database and its data), queries.py (query counts, EXPLAIN),
servers.py and load.py (gunicorn under wrk), timings.py (PDF, import), targets.py and
results.py (the report written to docs/benchmarks.md).
"""

import os
import time

from . import database, load, mixed, queries, results, timings
from .config import ROOT, log


def main():
    started = time.perf_counter()
    wrk_path = load.ensure_wrk()
    name = database.create_database()
    log(f"database {name}")
    try:
        database.setup_django(name)
        run(wrk_path, started)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # the drop below must run
            log(f"closing connections: {error!r}")
        database.drop_database(name)
        log(f"dropped {name}")


def run(wrk_path, started):
    database.prepare()
    data = {"load_average": os.getloadavg()[0]}
    data["small"] = queries.queries_at_ten()
    data.update(database.fill())
    data.update(database.summaries())

    data["large"] = queries.count_queries(f"{data['activities']:,} activities")
    data["plans"] = queries.explain(data["large"])
    for plan in data["plans"][:5]:
        log(f"EXPLAIN {plan['page']}: {plan['ms']:.1f} ms{' SEQ SCAN' if plan['seq_scan'] else ''}")

    client = queries.staff_client()
    session_key = client.session.session_key
    from django.db import connections

    connections.close_all()
    data["load"], data["rss"] = {}, {}
    data["load_average_wrk"] = os.getloadavg()[0]
    for mode in ("uncached", "cached"):
        data["load"][mode], data["rss"][mode], growth = load.load_run(
            wrk_path, mode, data["large"], session_key
        )
        if mode == "uncached":
            data["csv_growth"] = growth
    data["mixed"] = mixed.mixed_run(wrk_path)

    data["pdf"] = timings.pdf_timing()
    log(f"PDF: {data['pdf']}")
    data["import"] = timings.import_timing()
    log(f"import: {data['import']}")
    data["machine"] = results.machine()
    data["total_minutes"] = (time.perf_counter() - started) / 60 + 0.1  # + the drop
    results.write_results(results.build_report(data))
    log(f"wrote {results.RESULTS.relative_to(ROOT)} in {data['total_minutes']:.1f} minutes")


if __name__ == "__main__":
    main()
