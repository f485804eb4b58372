"""The load runs: every page under wrk, uncached and cached, against a gunicorn server."""

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .config import CONNECTIONS, CSV_SECONDS_MAX, PAGES, SECONDS, THREADS, WORKERS, log
from .queries import request_options
from .servers import RssSampler, Server, free_port


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


def wrk(wrk_path, url, headers, connections=CONNECTIONS, seconds=SECONDS):
    command = [
        wrk_path,
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={max(30, CSV_SECONDS_MAX)}s",
        "-s",
        str(Path(__file__).with_name("report.lua")),
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
    settings_module = (
        "devtools.bench.settings_uncached" if mode == "uncached" else "promise_portal.settings"
    )
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
            if mode == "uncached" and kind in {"public", "search"}:
                # Issue 15's cold page: rendered once, for one client at a time.
                results[name]["single"] = wrk(
                    wrk_path, server.url(path), headers, 1, max(3, SECONDS // 2)
                )
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
