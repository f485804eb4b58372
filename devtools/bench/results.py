"""The results section of docs/benchmarks.md: written between its markers, the rest kept."""

import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from .config import (
    CONNECTIONS,
    CSV_SECONDS_MAX,
    PAGES,
    ROOT,
    SECONDS,
    SLUG,
    STAFF_USER,
    THREADS,
    WORKERS,
)
from .targets import fmt_ms, targets_table

RESULTS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


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


def build_report(data):
    m = data["machine"]
    lines = [
        "## Results of `make bench`",
        "",
        "Written by `devtools/bench/run.py`; everything between the bench markers is replaced "
        "on each run. Reproduce with `make bench` (PostgreSQL on 127.0.0.1, about "
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
    lines += mixed_section(data)
    lines += load_table(data)
    lines += query_table(data)
    lines += explain_section(data)
    lines += other_measures(data)
    return "\n".join(lines)


def load_table(data):
    lines = [
        "### Load (wrk)",
        "",
        f"{CONNECTIONS} connections per URL for {SECONDS} s. Uncached: gunicorn with every "
        "cache a DummyCache (`devtools/bench/settings_uncached.py`), so each request renders "
        "from the database. Cached: the project's own cache settings, each URL warmed first. "
        "Ratio: requests per second over `/healthz/` in the same gunicorn run. The CSV export is "
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
        "### Public summaries (what earns them their place)",
        "",
        f"- Aggregating the public activities of {SLUG} ({data['eskilstuna']:,}) live, as "
        f"`figures.activity_cells` does: {data['live_cells_seconds'] * 1000:,.0f} ms; reading "
        f"its summary: {data['summary_read_seconds'] * 1000:,.1f} ms. Without the summary a "
        "cold page of this promise could not render within 100 ms.",
        f"- Rebuilding the summary of {SLUG}: {data['summary_seconds'] * 1000:,.0f} ms, done "
        "by the worker after a change (or by a reader when no rendering was stored in time).",
        f"- `refresh_public_summaries` for every published promise "
        f"({data['activities']:,} activities): {data['summaries_seconds']:.1f} s.",
        "- A summary is used only while built at its promise's version and through today's "
        "publication cut-off (or past the promise's end); there is no live part.",
        "",
    ]


def mixed_section(data):
    mixed = data.get("mixed")
    if not mixed:
        return []
    return [
        "### National mixed load (issue 15)",
        "",
        f"{mixed['pages']:,} public pages of {data['public_promises']} published promises, read "
        f"with a Zipf-like popularity by {CONNECTIONS} connections for {mixed['seconds']} s "
        f"({mixed['rps']:,.0f} req/s) while {mixed['writes']} activity changes went through "
        "the staff area's code path (2 a second over 20 promises) and the task worker rendered "
        "the changed promises' pages again; gunicorn, the worker and the writers share one "
        "Redis (`devtools/bench/mixed.py`). Readers: median "
        f"{fmt_ms(mixed['median_ms'])}, p95 {fmt_ms(mixed['p95_ms'])}, p99 "
        f"{fmt_ms(mixed['p99_ms'])}; answers from a stored rendering {mixed['hit_ratio']:.1%}. "
        "Seconds until a renamed commitment was on its promise's page: "
        + ", ".join("–" if s is None else f"{s:.1f}" for s in mixed["visible_seconds"])
        + ".",
        "",
    ]
