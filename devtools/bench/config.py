"""What `make bench` measures and with what: the settings, the pages, and shared helpers.

Settings through the environment: BENCH_DATABASE_URL (the server, default
postgres://postgres@127.0.0.1:5432), BENCH_DB_PREFIX (default "bench"), BENCH_SECONDS (per URL,
default 8), BENCH_ACTIVITIES, BENCH_PROMISES, BENCH_ESKILSTUNA (defaults 1,000,000, 300,
100,000), BENCH_PORT.
"""

import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS, THREADS, WORKERS = 8, 2, 2
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "1000000"))
PROMISES = int(os.environ.get("BENCH_PROMISES", "300"))
ESKILSTUNA = int(os.environ.get("BENCH_ESKILSTUNA", "100000"))
SLUG = "eskilstuna-2018"
STAFF_USER = "samordnare"  # the coordinator sees every activity of the promise: the most rows
IMPORT_ROWS = 5000
CSV_SECONDS_MAX = 30

# name, path, kind: "public" pages must meet the public targets; "search" pages too, except
# the cached one (a free-text search is rendered for each request: commitments/home.py);
# "staff" ones are logged in.
PAGES = [
    ("/healthz/", "/healthz/", "health"),
    ("/ (all promises)", "/", "public"),
    ("/ filtered, page 2", "/?lan=04&sida=2", "public"),
    ("/ searched", "/?q=trygghet", "search"),
    ("promise page", f"/loften/{SLUG}/", "public"),
    ("commitment page", f"/loften/{SLUG}/atagande/1/", "public"),
    ("district page", f"/loften/{SLUG}/omraden/skiftinge/", "public"),
    ("CSV export", f"/loften/{SLUG}/data/aktiviteter.csv", "csv"),
    ("staff dashboard", "/personal/", "staff"),
    ("staff activity list", "/personal/aktiviteter/", "staff"),
]
SEQ_SCAN = re.compile(r"Seq Scan on commitments_activity(?!\w)")


def log(message):
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


def quiet_command(*args, **kwargs):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **kwargs)
    return out.getvalue()
