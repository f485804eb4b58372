"""Exports that finish: 200,000 activities as CSV and XLSX under production settings.

gunicorn as production runs it (gunicorn.conf.py: sync workers killed after 30 s) streams the
CSV; the task worker (`manage.py db_worker`) prepares the XLSX into the storage while the staff
page shows its progress. Time and peak memory are printed (`pytest -s`) and recorded in
docs/benchmarks.md, "Staff exports".
"""

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import ADMIN_PASSWORD
from .servers import AppServer, Browser, free_port, manage, production_env

ACTIVITIES = 200_000
# gunicorn's own limit: a request still running after this is killed (gunicorn.conf.py).
GUNICORN_TIMEOUT = 30
PEAK_MEMORY_MB = 400


def _children(pid):
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _peak_mb(pid):
    """The process's peak resident memory (VmHWM) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


@pytest.fixture
def large(cluster, live_db, static_root, tmp_path):
    env = production_env(
        DATABASE_URL=cluster.url(live_db), STATIC_ROOT=static_root, MEDIA_ROOT=tmp_path / "media"
    )
    manage(
        "generate_activities",
        *("--count", str(ACTIVITIES), "--promise", "eskilstuna-2018"),
        env={**env, "BENCH": "1"},  # the generators are development tools (devtools/)
    )
    server = AppServer(free_port(), env).start()
    log = open(tmp_path / "worker.log", "w+b")  # noqa: SIM115 (closed below)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield server, worker, log
    worker.terminate()
    worker.wait(timeout=30)
    log.close()
    server.stop()


def test_two_hundred_thousand_activities_export_as_csv_and_xlsx(cluster, live_db, large):
    server, _worker, log = large
    total = cluster.execute("SELECT count(*) FROM commitments_activity", dbname=live_db)[0][0]
    assert total >= ACTIVITIES
    visitor = Browser()
    visitor.log_in(server, "admin", ADMIN_PASSWORD)
    (web_worker,) = _children(server.process.pid)
    before = _peak_mb(web_worker)

    started = time.monotonic()
    status, _headers, body = visitor.fetch(
        server, "/personal/aktiviteter/aktiviteter.csv", timeout=120
    )
    csv_seconds = time.monotonic() - started
    assert status == 200
    assert body.count(b"\r\n") == total + 1 and body.endswith(b"\r\n")
    assert _children(server.process.pid) == [web_worker]  # not killed by the timeout
    csv_peak = _peak_mb(web_worker)
    assert csv_seconds < GUNICORN_TIMEOUT

    token = visitor.csrf_token(server, "/personal/aktiviteter/")
    fields = {"csrfmiddlewaretoken": token, "format": "xlsx", "query": ""}
    status, _body = visitor.open(server, "/personal/aktiviteter/exportera/", fields)
    assert status == 302
    (export_id,) = cluster.execute("SELECT id FROM commitments_activityexport", dbname=live_db)[0]
    page = f"/personal/exporter/{export_id}/"
    started, progress = time.monotonic(), set()
    while True:
        status, text = visitor.open(server, page)
        assert status == 200
        if "/fil/" in text:
            break
        progress.update(re.findall(r'<progress[^>]*value="(\d+)"', text))
        assert time.monotonic() - started < 600, "the XLSX is not ready after 10 minutes"
        time.sleep(1)
    xlsx_wait = time.monotonic() - started
    status, headers, workbook = visitor.fetch(server, f"{page}fil/", timeout=60)
    assert status == 200
    assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<row ") == total + 1

    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if b"export_rows" in line]
    (ready,) = lines
    assert ready["export_rows"] == total
    assert ready["export_peak_rss_mb"] < PEAK_MEMORY_MB
    print(
        f"\nCSV streamed: {total} rows, {len(body) / 1e6:.1f} MB in {csv_seconds:.1f} s; "
        f"gunicorn worker peak memory {before:.0f} MB before, {csv_peak:.0f} MB after."
        f"\nXLSX by the worker: {total} rows, {len(workbook) / 1e6:.1f} MB in "
        f"{ready['export_seconds']} s (ready after {xlsx_wait:.0f} s); worker peak memory "
        f"{ready['export_peak_rss_mb_before']} MB before, {ready['export_peak_rss_mb']} MB "
        f"after; progress seen: {sorted(progress, key=int)}"
    )
    assert csv_peak < PEAK_MEMORY_MB
