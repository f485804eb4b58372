"""`make bench`: issue 9's benchmark at national scale, written to docs/benchmarks.md.

On PostgreSQL it creates its own database (a unique name, dropped at the end, also on error),
migrates, runs seed_demo, generates 1,000,000 activities across 300 promises (the Eskilstuna
promise holding 100,000), then:

- counts SQL queries per page in-process (Django's test client and CaptureQueriesContext) at
  10 activities (inside a transaction that is rolled back) and at full volume, and runs
  EXPLAIN (ANALYZE) on the activity queries of every page;
- serves the app with gunicorn (2 sync workers, DEBUG off, a fresh SECRET_KEY, ALLOWED_HOSTS
  127.0.0.1, bound to 127.0.0.1 only) twice: once with every cache a DummyCache
  (bench/settings_uncached.py, so every request renders from the database) and once with the
  project's own cache settings (pages warmed first); each URL is loaded with wrk for a fixed
  time, and /healthz/ in the same run gives the ratio;
- reads each worker's RSS from /proc after each run, and samples it during the CSV export;
- times the PDF report and the import when those exist, and says so when they do not.

A URL that answers 404 is reported as "not built yet", not as a failure. Settings through the
environment: BENCH_DATABASE_URL (the server, default postgres://postgres@127.0.0.1:5432),
BENCH_DB_PREFIX (default "bench"), BENCH_SECONDS (per URL, default 8), BENCH_ACTIVITIES,
BENCH_PROMISES, BENCH_ESKILSTUNA (defaults 1,000,000, 300, 100,000), BENCH_PORT.
"""

import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

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

# name, path, kind: "public" pages must meet the public targets; "staff" ones are logged in.
PAGES = [
    ("/healthz/", "/healthz/", "health"),
    ("/ (all promises)", "/", "public"),
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


# --- Set-up ---------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (Debian package) with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env).returncode:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True)
        return shutil.which("wrk")
    sys.exit("wrk is missing: install it with `sudo apt-get install wrk` and run make bench again.")


def admin_connection():
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=5)


def create_database():
    name = f"{DB_PREFIX}_{datetime.now(UTC):%Y%m%d%H%M%S}_{os.getpid()}"
    with admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name):
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(database):
    os.environ.update(
        DATABASE_URL=f"{SERVER_URL}/{database}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DEMO_PASSWORD=secrets.token_urlsafe(12),
        DJANGO_SETTINGS_MODULE="promise_portal.settings",
    )
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


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


# --- In-process: query counts and EXPLAIN -------------------------------------------------


def request_options():
    """Headers a production setting needs over plain http (e.g. SECURE_SSL_REDIRECT)."""
    from django.conf import settings

    if getattr(settings, "SECURE_SSL_REDIRECT", False) and settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        return {header: value}
    return {}


def staff_client():
    from django.test import Client

    from commitments.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=STAFF_USER))
    return client


def fetch(client, path):
    """GET the whole response (streamed or not), with its SQL queries captured."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():
        cache.clear()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **request_options())
        body = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - started
    sql = [q["sql"] for q in queries.captured_queries]
    return response.status_code, len(body), sql, seconds, response.get("ETag")


def count_queries(label):
    from django.test import Client

    clients = {"staff": staff_client()}
    results = {}
    for name, path, kind in PAGES:
        client = clients.get(kind) or Client(raise_request_exception=False)
        status, size, sql, seconds, etag = fetch(client, path)
        results[name] = {
            "etag": etag,
            "status": status,
            "queries": len(sql),
            "bytes": size,
            "sql": sql,
            "ms": seconds * 1000,
        }
        log(f"{label}: {name} {status}, {len(sql)} queries")
    return results


def queries_at_ten():
    """Query counts with only 10 activities in the database: rolled back afterwards."""
    from django.db import transaction

    from commitments.cache import bump_data_version
    from commitments.models import Activity

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            keep = list(Activity.objects.order_by("id").values_list("id", flat=True)[:10])
            Activity.objects.exclude(id__in=keep).delete()
            assert Activity.objects.count() == 10
            # As every change of public data does; the pages' summaries are rebuilt first, so
            # that the counts are those of a page read, not of the rebuild after a change.
            bump_data_version()
            quiet_command("refresh_public_summaries")
            results = count_queries("10 activities")
            raise Rollback
    except Rollback:
        pass
    return results


def explain(results):
    """EXPLAIN (ANALYZE) every query of every page that reads the activity tables."""
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for page, result in results.items():
            if result["status"] != 200:
                continue
            for sql in result["sql"]:
                if "commitments_activity" not in sql:
                    continue
                select = sql[sql.index("SELECT") :] if "CURSOR" in sql[:80] else sql
                if not select.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {select}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                found = re.search(r"Execution Time: ([\d.]+) ms", plan)
                plans.append(
                    {
                        "page": page,
                        "ms": float(found.group(1)) if found else 0.0,
                        "seq_scan": bool(SEQ_SCAN.search(plan)),
                        "sql": select,
                        "plan": plan,
                    }
                )
    return sorted(plans, key=lambda p: -p["ms"])


# --- Load: gunicorn and wrk ---------------------------------------------------------------


def free_port():
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, with production settings."""

    def __init__(self, settings_module, port):
        self.port = port
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            # Persistent database connections, as a production deployment has.
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        }
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "promise_portal.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{port}",
                "--timeout=120",
                # gunicorn.conf.py (production) applies too; recycling workers every 2,000
                # requests would empty their page caches in the middle of a measurement.
                "--max-requests=0",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the production access log, one JSON line a request
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.status("/healthz/") == 200 and len(self.workers()) == WORKERS:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def status(self, path, headers=None):
        request = urllib.request.Request(self.url(path), headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def workers(self):
        try:
            path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def rss(self):
        """Each worker's resident memory in MB, from /proc."""
        sizes = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kilobytes = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes[pid] = kilobytes / 1024
        return sizes

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(wrk_path, url, headers, connections=CONNECTIONS, seconds=SECONDS):
    command = [
        wrk_path,
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={max(30, CSV_SECONDS_MAX)}s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    return {
        "median_ms": data["p50"] / 1000,
        "p95_ms": data["p95"] / 1000,
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "requests": data["requests"],
        "errors": data["status"] + data["timeout"] + data["read"] + data["connect"],
    }


def cookie_headers(session_key):
    from django.conf import settings

    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}


def load_run(wrk_path, mode, large, session_key):
    """One gunicorn run: every built URL under wrk; RSS per worker; CSV memory growth.

    The CSV export is not page-cached: its cache is the conditional GET, so the cached run
    asks for it with the ETag the in-process request got (304 expected), and the uncached
    run downloads whole exports, for long enough that several finish.
    """
    settings_module = "bench.settings_uncached" if mode == "uncached" else "promise_portal.settings"
    server = Server(settings_module, free_port())
    results, csv_growth = {}, None
    # As a browser sends them: a cached public page is served gzipped to such a client.
    base_headers = {"Accept-Language": "sv", "Accept-Encoding": "gzip", **http_headers()}
    try:
        for name, path, kind in PAGES:
            page = large.get(name, {})
            if page.get("status") in (None, 404):
                continue
            headers, expected, seconds = dict(base_headers), 200, SECONDS
            if kind == "staff":
                headers.update(cookie_headers(session_key))
            export = kind == "csv" and mode == "uncached"
            if kind == "csv" and mode == "cached":
                if not page.get("etag"):
                    results[name] = {"status": "no ETag"}
                    continue
                headers["If-None-Match"], expected = page["etag"], 304
            if export:
                # Long enough for a few whole exports, within the time budget.
                seconds = min(CSV_SECONDS_MAX, max(SECONDS, math.ceil(3 * page["ms"] / 1000)))
            else:
                status = server.status(path, headers)
                if status != expected:
                    results[name] = {"status": status}
                    log(f"{mode}: {name} answered {status}; not loaded")
                    continue
                for _ in range(2 * WORKERS):  # warm every worker (and its page cache)
                    server.status(path, headers)
            sampler = RssSampler(server) if export else None
            # An export takes seconds: one client per worker, so that whole exports finish.
            connections = WORKERS if export else CONNECTIONS
            results[name] = wrk(wrk_path, server.url(path), headers, connections, seconds)
            results[name]["note"] = "conditional GET, 304" if expected == 304 else ""
            if sampler:
                csv_growth = sampler.stop()
            log(
                f"{mode}: {name}: median {results[name]['median_ms']:.1f} ms, p95 "
                f"{results[name]['p95_ms']:.1f} ms, {results[name]['rps']:.1f} req/s, "
                f"{results[name]['requests']} requests in {seconds} s"
            )
        rss = server.rss()
    finally:
        server.stop()
    return results, rss, csv_growth


def http_headers():
    """The proxy header production expects when it redirects plain http to https."""
    return {k[5:].replace("_", "-").title(): v for k, v in request_options().items()}


class RssSampler:
    """Each worker's peak RSS growth over its RSS when sampling started, in MB."""

    def __init__(self, server):
        self.server = server
        self.before = server.rss()
        self.peak = dict(self.before)
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            for pid, size in self.server.rss().items():
                self.peak[pid] = max(self.peak.get(pid, 0), size)
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join()
        return {pid: self.peak[pid] - self.before.get(pid, self.peak[pid]) for pid in self.peak}


# --- PDF and import -------------------------------------------------------------------------


def pdf_timing():
    try:
        from followups import reports
    except ImportError:
        return None, "skipped: followups.reports does not exist yet (the follow-up branch)."
    from followups.models import FollowUp

    followup = (
        FollowUp.objects.filter(promise__slug=SLUG, state=FollowUp.State.PUBLISHED)
        .order_by("year", "tertial")
        .first()
    )
    if followup is None:
        return None, "skipped: no published follow-up to render."
    kwargs = {}
    import inspect

    if "with_charts" in inspect.signature(reports.render_pdf).parameters:
        kwargs["with_charts"] = False  # charts are rendered in a warm batch by the task
    reports.render_pdf(followup, **kwargs)  # warm: fonts and templates
    # The median of five renders: one sample on a shared machine says more about the
    # neighbours than about the report.
    runs = sorted(
        (timed(reports.render_pdf, followup, **kwargs) for _ in range(5)), key=lambda r: r[1]
    )
    pdf, seconds = runs[len(runs) // 2]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    try:
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pass
    note = " (without charts)" if kwargs else ""
    return {"seconds": seconds, "pages": pages, "bytes": len(pdf)}, note


def import_timing():
    from django.core.management import get_commands

    if "import_activities" not in get_commands():
        return None, "skipped: no import_activities command yet (the import branch)."
    import csv
    import tempfile

    from commitments.models import ActivityType, Promise

    promise = Promise.objects.get(slug=SLUG)
    police = promise.police_area
    types = [
        t
        for t in ActivityType.objects.filter(commitment__promise=promise)
        .select_related("commitment")
        .prefetch_related(
            "measures", "commitment__districts", "commitment__responsible_organisations"
        )
        if police in t.commitment.responsible_organisations.all()
    ]
    measure_names = sorted({m.name for t in types for m in t.measures.all()})
    header = ["Id", "Datum", "Åtagande", "Aktivitetstyp", "Område", "Timmar", "Antal personal"]
    header += ["Sammanfattning", "Intern anteckning", "Publik", *measure_names]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for index in range(IMPORT_ROWS):
            activity_type = types[index % len(types)]
            districts = list(activity_type.commitment.districts.all())
            values = {m.name: index % 7 for m in activity_type.measures.all()}
            writer.writerow(
                [
                    f"bench-{index:05d}",
                    f"2018-{1 + index % 12:02d}-{1 + index % 28:02d}",
                    activity_type.commitment.number,
                    activity_type.name,
                    districts[index % len(districts)].name,
                    2,
                    2,
                    "Importerad aktivitet för prestandamätning.",
                    "",
                    "ja",
                    *[values.get(name, "") for name in measure_names],
                ]
            )
        path = file.name
    try:
        started = time.perf_counter()
        try:
            output = quiet_command(
                "import_activities", path, promise=SLUG, organisation=police.slug
            )
        except (SystemExit, Exception) as error:  # report, never abort the benchmark
            return None, f"failed: {error!r}"
        seconds = time.perf_counter() - started
    finally:
        os.unlink(path)
    from commitments.models import Activity

    imported = Activity.objects.filter(external_id__startswith="bench-").count()
    if imported != IMPORT_ROWS:
        return None, f"failed: {imported} of {IMPORT_ROWS} rows imported. {output[-300:]}"
    return {"rows": imported, "seconds": seconds, "rps": imported / seconds}, ""


# --- Results file -----------------------------------------------------------------------------


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kilobytes = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f"{kilobytes / 1024 / 1024:.1f} GB"
    except OSError:
        memory = "unknown"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "postgres": postgres,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def write_results(section):
    RESULTS.parent.mkdir(exist_ok=True)
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    block = f"{START}\n{section.strip()}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def fmt_ms(value):
    return f"{value:,.1f} ms"


def verdict(ok):
    return "met" if ok else "**missed**"


def build_report(data):
    m = data["machine"]
    lines = [
        "## Results of `make bench`",
        "",
        "Written by `bench/run.py`; everything between the bench markers is replaced on each "
        "run. Reproduce with `make bench` (PostgreSQL on 127.0.0.1, about "
        f"{data['total_minutes']:.0f} minutes).",
        "",
        "| machine | |",
        "|---|---|",
        f"| date | {m['date']} |",
        f"| commit | {m['commit']} |",
        f"| CPU | {m['nproc']} × {m['cpu']} |",
        f"| memory | {m['memory']} |",
        f"| software | Python {m['python']}, PostgreSQL {m['postgres']}, gunicorn "
        f"{WORKERS} sync workers, wrk {THREADS} threads × {CONNECTIONS} connections × "
        f"{SECONDS} s per URL |",
        f"| data | {data['activities']:,} activities ({data['eskilstuna']:,} in {SLUG}), "
        f"{data['values']:,} measure values, {data['promises']} promises |",
        f"| whole run | {data['total_minutes']:.1f} minutes |",
        f"| load average (1 min) | {data['load_average']:.1f} at the start, "
        f"{data['load_average_wrk']:.1f} before the load runs (other work on the machine "
        "shows here) |",
        "",
    ]
    lines += targets_table(data)
    lines += load_table(data)
    lines += query_table(data)
    lines += explain_section(data)
    lines += other_measures(data)
    return "\n".join(lines)


# What would fix a miss, per target: the measured part says by how much and where the time goes.
FIXES = {
    "public": "The figures come from the public summary (one query), the outline and the "
    "indicators from joined queries (commitments/outline.py); what remains is rendering the "
    "tables, which the page cache serves instead. Next: render the tables' rows in Python "
    "without the template engine.",
    "cached": "A cached page still reads the data version from the database and passes every "
    "middleware; keep the version in the shared cache (Redis) and answer before the session "
    "and locale middleware, or let a reverse proxy serve cached pages.",
    "staff": "The activity list picks its page's ids in a subquery over the activity table "
    "alone before joining names (commitments/views/staff.py); the dashboard counts this "
    "tertial's activities of the user's organisation through the (organisation, date) index. "
    "Next: the dashboard's counts from a per-organisation summary, as the public pages read "
    "theirs from PublicSummary.",
    "queries": "Join what the page reads to a query it already makes: the outline "
    "(commitments/outline.py), the indicators with their earlier years "
    "(figures.load_indicators), the cells (figures.public_cells); "
    "tests/test_public_performance.py lists each URL's count.",
    "csv": "Stream rows from a server-side cursor (`.iterator(chunk_size=...)`) into a "
    "StreamingHttpResponse instead of building the file in memory.",
    "import": "The import already looks names up once per file and writes in bulk "
    "(docs/benchmarks.md, Import); its own CPU time there, measured with `bench_import`, shows "
    "the rate with a core to itself. A miss here is the load of the run's other work.",
    "pdf": "Reports are rendered once, in the background task, and served from storage; a "
    "render costs WeasyPrint about 1 ms of CPU per table cell (docs/benchmarks.md, Reports, "
    "measures it on the demo report with `bench_report`). Fewer cells per page would help.",
}


def service_time(result):
    """What one request costs a worker, from the throughput, and why clients wait longer.

    With every worker busy, each answers one request per WORKERS / (req/s) seconds; the
    CONNECTIONS clients queue for the WORKERS workers, so a request waits for about
    CONNECTIONS / WORKERS of them: the median is that many renderings, not one.
    """
    if not result.get("rps"):
        return ""
    each = WORKERS / result["rps"] * 1000
    return (
        f"One request costs a worker about {each:,.0f} ms ({result['rps']:,.1f} req/s on "
        f"{WORKERS} workers); {CONNECTIONS} clients queue for {WORKERS} workers, so each "
        f"waits for about {CONNECTIONS // WORKERS} renderings. "
    )


def targets_table(data):
    rows = []
    uncached, cached = data["load"]["uncached"], data["load"]["cached"]
    health = data["load"]["cached"].get("/healthz/", {}).get("rps")
    slowest = {}
    for plan in data["plans"]:
        slowest[plan["page"]] = max(slowest.get(plan["page"], 0), plan["ms"])

    def add(target, measured, ok, why="", fix=""):
        text = "" if ok else f"{why} Fix: {FIXES[fix]}" if fix else why
        rows.append((target, measured, verdict(ok), text.strip()))

    def missing(name, target):
        status = data["large"].get(name, {}).get("status")
        found = "not built yet" if status == 404 else f"answered {status}"
        rows.append((f"{target} — {name}", found, "not measured", ""))

    def pages(kinds):
        return [(name, kind) for name, _path, kind in PAGES if kind in kinds]

    for name, _kind in pages({"public"}):
        result = uncached.get(name, {})
        if "median_ms" not in result:
            missing(name, "public page uncached: median ≤ 50 ms, p95 ≤ 100 ms")
            continue
        over = (result["median_ms"] - 50, result["p95_ms"] - 100)
        add(
            f"public page uncached: median ≤ 50 ms, p95 ≤ 100 ms — {name}",
            f"median {fmt_ms(result['median_ms'])}, p95 {fmt_ms(result['p95_ms'])}",
            max(over) <= 0,
            f"Over by {max(over[0], 0):.0f} ms (median) and {max(over[1], 0):.0f} ms (p95). "
            f"{service_time(result)}"
            f"Its slowest SQL query takes {slowest.get(name, 0):.1f} ms alone (EXPLAIN below); "
            "the rest is Python and template rendering.",
            "public",
        )
    for name, _kind in pages({"public"}):
        result = cached.get(name, {})
        if "rps" not in result or not health:
            missing(name, "cached public page ≥ 0.7 × /healthz/ throughput")
            continue
        ratio = result["rps"] / health
        add(
            f"cached public page ≥ 0.7 × /healthz/ throughput — {name}",
            f"{result['rps']:,.0f} req/s = {ratio:.2f} × /healthz/ ({health:,.0f} req/s)",
            ratio >= 0.7,
            f"Short by {0.7 - ratio:.2f} × /healthz/.",
            "cached",
        )
    for name, _kind in pages({"staff"}):
        result = uncached.get(name, {})
        if "p95_ms" not in result:
            missing(name, "staff page p95 ≤ 200 ms")
            continue
        add(
            f"staff page p95 ≤ 200 ms — {name}",
            f"median {fmt_ms(result['median_ms'])}, p95 {fmt_ms(result['p95_ms'])}",
            result["p95_ms"] <= 200,
            f"Over by {result['p95_ms'] - 200:.0f} ms. {service_time(result)}Its slowest SQL "
            f"query takes {slowest.get(name, 0):.1f} ms.",
            "staff",
        )
    for name, _kind in pages({"public", "csv"}):
        small, large = data["small"].get(name, {}), data["large"].get(name, {})
        target = f"same query count at 10 and {data['activities']:,} activities, ≤ 8"
        if large.get("status") != 200:
            missing(name, target)
            continue
        add(
            f"{target} — {name}",
            f"{small.get('queries')} and {large['queries']}",
            small.get("queries") == large["queries"] <= 8,
            "The count grows with the data, or exceeds 8.",
            "queries",
        )
    if data["large"].get("/ (all promises)", {}).get("status") == 200:
        rows.append(
            (
                "/ lists all promises within the public targets",
                f"{data['public_promises']} published promises listed",
                "see the rows for /",
                "",
            )
        )
    growth = data.get("csv_growth")
    if growth:
        worst = max(growth.values())
        add(
            f"CSV export of {data['eskilstuna']:,} activities: worker memory grows ≤ 50 MB",
            f"at most {worst:.1f} MB (per worker: "
            + ", ".join(f"{v:.1f}" for v in growth.values())
            + " MB)",
            worst <= 50,
            f"Over by {worst - 50:.0f} MB.",
            "csv",
        )
    else:
        missing("CSV export", "CSV export: worker memory grows ≤ 50 MB")
    imp, imp_note = data["import"]
    if imp:
        add(
            "import ≥ 1,000 rows per second",
            f"{imp['rows']:,} rows in {imp['seconds']:.1f} s = {imp['rps']:,.0f} rows/s",
            imp["rps"] >= 1000,
            f"Short by {1000 - imp['rps']:.0f} rows/s.",
            "import",
        )
    else:
        rows.append(("import ≥ 1,000 rows per second", imp_note, "not measured", ""))
    pdf, pdf_note = data["pdf"]
    if pdf:
        per_ten = pdf["seconds"] * 10 / max(pdf["pages"], 1)
        add(
            "a 10-page PDF ≤ 1 s",
            f"{pdf['pages']} pages in {pdf['seconds']:.2f} s{pdf_note}, median of 5 "
            f"(≈ {per_ten:.2f} s per 10 pages)",
            per_ten <= 1,
            f"Over by {per_ten - 1:.2f} s per 10 pages.",
            "pdf",
        )
    else:
        rows.append(("a 10-page PDF ≤ 1 s", pdf_note, "not measured", ""))
    gen = data["generation"]
    add(
        "bulk generation ≥ 20,000 rows per second",
        f"{gen['rows']:,} rows in {gen['seconds']:.1f} s = {gen['rps']:,.0f} rows/s (COPY); "
        f"bulk_create {data['bulk_create_rps']:,.0f} rows/s",
        gen["rps"] >= 20000,
        "Index and foreign-key upkeep on every row; the machine was shared (load average "
        f"{data['load_average']:.1f}).",
    )
    seq = sorted({p["page"] for p in data["plans"] if p["seq_scan"]})
    add(
        "no sequential scan of the activity table on a page request",
        f"{len(data['plans'])} activity queries explained, {len(seq)} pages with a Seq Scan"
        + (": " + ", ".join(seq) if seq else ""),
        not seq,
    )
    add(
        "make bench in under 10 minutes",
        f"{data['total_minutes']:.1f} minutes",
        data["total_minutes"] < 10,
    )
    lines = [
        "### Targets (issue 9)",
        "",
        "| target | measured | | by how much, why, and what would fix it |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return [*lines, ""]


def load_table(data):
    lines = [
        "### Load (wrk)",
        "",
        f"{CONNECTIONS} connections per URL for {SECONDS} s. Uncached: gunicorn with every "
        "cache a DummyCache (`bench/settings_uncached.py`), so each request renders from the "
        "database. Cached: the project's own cache settings, each URL warmed first. Ratio: "
        "requests per second over `/healthz/` in the same gunicorn run. The CSV export is "
        f"downloaded whole by {WORKERS} clients (one per worker) for up to {CSV_SECONDS_MAX} s "
        "when uncached; its cached form is the conditional GET (`If-None-Match`, 304). Every "
        "request says `Accept-Encoding: gzip`, as browsers do: a cached public page is then "
        "served in the gzip form stored beside it (`commitments/cache.py`); nothing is "
        "compressed per request.",
        "",
        "| URL | mode | median | p95 | req/s | × /healthz/ | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, path, _kind in PAGES:
        for mode in ("uncached", "cached"):
            result = data["load"][mode].get(name)
            health = data["load"][mode].get("/healthz/", {}).get("rps")
            if result is None:
                status = data["large"].get(name, {}).get("status")
                note = "not built yet" if status == 404 else f"answered {status}"
                lines.append(f"| `{path}` | {mode} | {note} | | | | |")
            elif "rps" not in result:
                lines.append(f"| `{path}` | {mode} | answered {result['status']} | | | | |")
            elif not result["requests"]:
                lines.append(f"| `{path}` | {mode} | no response finished within the run | | | | |")
            else:
                ratio = f"{result['rps'] / health:.2f}" if health else ""
                label = f"{mode} ({result['note']})" if result.get("note") else mode
                lines.append(
                    f"| `{path}` | {label} | {fmt_ms(result['median_ms'])} | "
                    f"{fmt_ms(result['p95_ms'])} | {result['rps']:,.1f} | {ratio} | "
                    f"{result['errors']} |"
                )
    lines += ["", "Worker memory (RSS) after each run:", ""]
    for mode, sizes in data["rss"].items():
        text = ", ".join(f"{size:.0f} MB" for size in sizes.values()) or "unknown"
        lines.append(f"- {mode}: {text}")
    return [*lines, ""]


def query_table(data):
    lines = [
        "### SQL queries per page",
        "",
        "Counted in-process with Django's test client and `CaptureQueriesContext`, caches "
        "cleared before each request; staff pages logged in as the coordinator "
        f"(`{STAFF_USER}`). The small volume is the seeded database cut down to 10 activities "
        "inside a transaction that is rolled back.",
        "",
        f"| URL | at 10 activities | at {data['activities']:,} | one request alone, "
        "in-process, at full volume |",
        "|---|---|---|---|",
    ]
    for name, path, _kind in PAGES:
        small, large = data["small"].get(name, {}), data["large"].get(name, {})
        if large.get("status") == 404:
            lines.append(f"| `{path}` | not built yet | not built yet | |")
            continue
        lines.append(
            f"| `{path}` | {small.get('queries')} ({small.get('status')}) | "
            f"{large.get('queries')} ({large.get('status')}) | {fmt_ms(large.get('ms', 0))} |"
        )
    return [*lines, ""]


def explain_section(data):
    plans = data["plans"]
    lines = [
        "### EXPLAIN (ANALYZE) of the heaviest activity queries",
        "",
        f"{len(plans)} queries of the pages above read the activity tables; the five slowest at "
        "full volume:",
        "",
    ]
    for plan in plans[:5]:
        lines += [
            f"**{plan['page']}**, {plan['ms']:.1f} ms"
            + (" — sequential scan of the activity table" if plan["seq_scan"] else ""),
            "",
            "```sql",
            plan["sql"][:1500],
            "```",
            "",
            "```",
            plan["plan"][:4000],
            "```",
            "",
        ]
    return lines


def other_measures(data):
    gen = data["generation"]
    return [
        "### Data generation",
        "",
        f"- `generate_activities` for {SLUG}: {gen['eskilstuna_seconds']:.1f} s; "
        f"`generate_national`: {gen['national_seconds']:.1f} s; together {gen['rows']:,} rows "
        f"(activities and measure values) at {gen['rps']:,.0f} rows/s with PostgreSQL COPY.",
        f"- The same generator with `bulk_create` (batches of 5,000), measured on "
        f"{data['bulk_create_rows']:,} rows and rolled back: "
        f"{data['bulk_create_rps']:,.0f} rows/s. "
        "COPY is used on PostgreSQL; bulk_create elsewhere.",
        f"- VACUUM ANALYZE after loading: {data['analyze_seconds']:.1f} s. Generated data has "
        "no history rows (django-simple-history) by design.",
        "",
        "### Public summaries",
        "",
        f"- Rebuilding the summary of {SLUG} ({data['eskilstuna']:,} activities): "
        f"{data['summary_seconds'] * 1000:,.0f} ms. This is what the first reader of one of "
        "its public pages waits for after a change of data (once; two workers build it once), "
        "unless `manage.py refresh_public_summaries` ran first.",
        f"- `refresh_public_summaries` for every published promise "
        f"({data['activities']:,} activities): {data['summaries_seconds']:.1f} s.",
        "- Pages read the summary (one query) and add the activities that became public "
        "since it was built (the same query, a date range of at most "
        "`SUMMARY_MAX_LAG`, 7 days); the query counts below are of such reads.",
        "",
    ]


# --- Main -------------------------------------------------------------------------------------


def main():
    started = time.perf_counter()
    wrk_path = ensure_wrk()
    database = create_database()
    log(f"database {database}")
    try:
        setup_django(database)
        run(wrk_path, started)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # the drop below must run
            log(f"closing connections: {error!r}")
        drop_database(database)
        log(f"dropped {database}")


def run(wrk_path, started):
    from django.db import connection, transaction

    from commitments.models import Activity, ActivityValue, Promise
    from devtools.generate import generate_activities, generate_national

    _, seconds = timed(quiet_command, "migrate", "--noinput")
    log(f"migrated in {seconds:.1f} s")
    # DEBUG is off: hashed static files need their manifest, as in production.
    _, seconds = timed(quiet_command, "collectstatic", "--noinput")
    log(f"collectstatic in {seconds:.1f} s")
    _, seconds = timed(quiet_command, "seed_demo")
    log(f"seed_demo in {seconds:.1f} s")
    data = {"load_average": os.getloadavg()[0]}
    data["small"] = queries_at_ten()
    eskilstuna = Promise.objects.get(slug=SLUG)

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            sample = generate_activities(5000, promises=[eskilstuna], method="bulk_create")
            raise Rollback
    except Rollback:
        pass
    data["bulk_create_rows"] = sample.activities + sample.values
    data["bulk_create_rps"] = sample.rows_per_second
    log(f"bulk_create: {sample.rows_per_second:,.0f} rows/s (rolled back)")

    existing = Activity.objects.filter(commitment__promise=eskilstuna).count()
    first = generate_activities(ESKILSTUNA - existing, promises=[eskilstuna])
    log(f"{SLUG}: {first.activities:,} activities in {first.seconds:.1f} s")
    _, second = generate_national(PROMISES - 1, ACTIVITIES - ESKILSTUNA)
    log(f"national: {second.activities:,} activities in {second.seconds:.1f} s")
    rows = first.activities + first.values + second.activities + second.values
    data["generation"] = {
        "rows": rows,
        "seconds": first.seconds + second.seconds,
        "rps": rows / (first.seconds + second.seconds),
        "eskilstuna_seconds": first.seconds,
        "national_seconds": second.seconds,
    }
    with connection.cursor() as cursor:
        _, data["analyze_seconds"] = timed(cursor.execute, "VACUUM ANALYZE")
    log(f"VACUUM ANALYZE in {data['analyze_seconds']:.1f} s")
    data["activities"] = Activity.objects.count()
    data["values"] = ActivityValue.objects.count()
    data["promises"] = Promise.objects.count()
    data["public_promises"] = Promise.objects.public().count()
    data["eskilstuna"] = Activity.objects.filter(commitment__promise=eskilstuna).count()
    # The public summaries (commitments.figures): one promise as a reader after a change would
    # find it, then every published promise as the nightly job does.
    from commitments.figures import rebuild_public_summary
    from commitments.models import DataVersion

    _, data["summary_seconds"] = timed(
        rebuild_public_summary, eskilstuna, DataVersion.current()[0], force=True
    )
    _, data["summaries_seconds"] = timed(quiet_command, "refresh_public_summaries")
    log(
        f"summary of {SLUG} rebuilt in {data['summary_seconds']:.2f} s; all published "
        f"promises in {data['summaries_seconds']:.1f} s"
    )

    data["large"] = count_queries(f"{data['activities']:,} activities")
    data["plans"] = explain(data["large"])
    for plan in data["plans"][:5]:
        log(f"EXPLAIN {plan['page']}: {plan['ms']:.1f} ms{' SEQ SCAN' if plan['seq_scan'] else ''}")

    client = staff_client()
    session_key = client.session.session_key
    from django.db import connections

    connections.close_all()
    data["load"], data["rss"] = {}, {}
    data["load_average_wrk"] = os.getloadavg()[0]
    for mode in ("uncached", "cached"):
        data["load"][mode], data["rss"][mode], growth = load_run(
            wrk_path, mode, data["large"], session_key
        )
        if mode == "uncached":
            data["csv_growth"] = growth

    data["pdf"] = pdf_timing()
    log(f"PDF: {data['pdf']}")
    data["import"] = import_timing()
    log(f"import: {data['import']}")
    data["machine"] = machine()
    data["eskilstuna"] = data["eskilstuna"]
    data["total_minutes"] = (time.perf_counter() - started) / 60 + 0.1  # + the drop
    write_results(build_report(data))
    log(f"wrote {RESULTS.relative_to(ROOT)} in {data['total_minutes']:.1f} minutes")


if __name__ == "__main__":
    main()
