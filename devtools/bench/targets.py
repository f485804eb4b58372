"""The targets of issues 9 and 15, each measured against its figure: met, or missed by how
much and why."""

from .config import CONNECTIONS, PAGES, WORKERS

# Queries a public page may cost: issue 9's 15, and issue 16's marks of unreported tertials
# (the promise page), as tests/test_public_performance.py's MAX_QUERIES.
QUERY_BUDGET = 16


def fmt_ms(value):
    return f"{value:,.1f} ms"


def verdict(ok):
    return "met" if ok else "**missed**"


# What would fix a miss, per target: the measured part says by how much and where the time goes.
FIXES = {
    "public": "The figures come from the public summary (one query); what remains is the "
    "outline's and indicators' prefetches and rendering the tables. Readers meet this only "
    "when no rendering is stored: the worker renders a changed promise's pages.",
    "cached": "A cached page still reads its promise's version from the database and passes "
    "every middleware; keep the versions in the shared cache (Redis) and answer before the "
    "session and locale middleware, or let a reverse proxy serve cached pages.",
    "mixed": "The readers and the worker share the machine's two cores: each change renders "
    "the promise's read pages again. Fewer renders per change (coalesce a promise's changes "
    "for a few seconds) or a worker on a machine of its own.",
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

    rows.extend(mixed_rows(data.get("mixed"), verdict))
    for name, _kind in pages({"public", "search"}):
        single = uncached.get(name, {}).get("single", {})
        if "median_ms" not in single:
            missing(name, "a cold page, one client: ≤ 100 ms")
            continue
        result = uncached[name]
        add(
            f"a cold page, one client: ≤ 100 ms — {name}",
            f"median {fmt_ms(single['median_ms'])} (p95 {fmt_ms(single['p95_ms'])}); "
            f"{CONNECTIONS} clients: median {fmt_ms(result['median_ms'])}, p95 "
            f"{fmt_ms(result['p95_ms'])}",
            single["median_ms"] <= 100,
            f"Over by {single['median_ms'] - 100:.0f} ms. {service_time(result)}"
            f"Its slowest SQL query takes {slowest.get(name, 0):.1f} ms alone (EXPLAIN below).",
            "public",
        )
    for name, _kind in pages({"public"}):
        result = cached.get(name, {})
        if "rps" not in result or not health:
            missing(name, "cached public page ≥ 0.8 × /healthz/ throughput")
            continue
        ratio = result["rps"] / health
        add(
            f"cached public page ≥ 0.8 × /healthz/ throughput — {name}",
            f"{result['rps']:,.0f} req/s = {ratio:.2f} × /healthz/ ({health:,.0f} req/s)",
            ratio >= 0.8,
            f"Short by {0.8 - ratio:.2f} × /healthz/.",
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
    for name, _kind in pages({"public", "search", "csv"}):
        small, large = data["small"].get(name, {}), data["large"].get(name, {})
        target = f"same query count at 10 and {data['activities']:,} activities, ≤ {QUERY_BUDGET}"
        if large.get("status") != 200:
            missing(name, target)
            continue
        add(
            f"{target} — {name}",
            f"{small.get('queries')} and {large['queries']}",
            small.get("queries") == large["queries"] <= QUERY_BUDGET,
            f"The count grows with the data, or exceeds {QUERY_BUDGET}.",
            "queries",
        )
    if data["large"].get("/ (all promises)", {}).get("status") == 200:
        rows.append(
            (
                "/ finds any published promise within the public targets",
                f"{data['public_promises']} published promises, searched, filtered and "
                "listed 20 a page (commitments/home.py)",
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
        "### Targets (issues 9 and 15)",
        "",
        "| target | measured | | by how much, why, and what would fix it |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return [*lines, ""]


def mixed_rows(mixed, verdict):
    """The national mixed load's targets (issue 15)."""
    if not mixed:
        return [("national mixed load", "not run", "not measured", "")]
    rows = []
    visible = [s for s in mixed["visible_seconds"] if s is not None]
    late = len(mixed["visible_seconds"]) - len(visible)
    checks = [
        (
            "mixed load: public pages median ≤ 20 ms",
            fmt_ms(mixed["median_ms"]),
            mixed["median_ms"] <= 20,
        ),
        ("mixed load: p95 ≤ 50 ms", fmt_ms(mixed["p95_ms"]), mixed["p95_ms"] <= 50),
        ("mixed load: p99 ≤ 200 ms", fmt_ms(mixed["p99_ms"]), mixed["p99_ms"] <= 200),
        (
            "mixed load: cache hit ratio ≥ 95 %",
            f"{mixed['hit_ratio']:.1%} of {mixed['requests']:,} answers (hit "
            f"{mixed['answers']['hit']:,}, stale while renewed {mixed['answers']['stale']:,}, "
            f"rendered {mixed['answers']['render']:,})",
            mixed["hit_ratio"] >= 0.95,
        ),
        (
            "mixed load: 0 errors",
            f"{mixed['errors']} reader errors, {mixed['write_errors']} writer errors, "
            f"{mixed['writes']} writes in {mixed['seconds']} s",
            mixed["errors"] == 0 and mixed["write_errors"] == 0,
        ),
        (
            "mixed load: a changed promise's page shows the change within 10 s",
            ", ".join(f"{s:.1f} s" for s in visible)
            + (f"; {late} not within 30 s" if late else ""),
            bool(visible) and not late and max(visible) <= 10,
        ),
    ]
    for target, measured, ok in checks:
        why = "" if ok else FIXES["mixed"]
        rows.append((target, measured, verdict(ok), why))
    return rows
