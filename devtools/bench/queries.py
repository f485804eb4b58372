"""In-process checks: SQL queries per page at two volumes, and EXPLAIN (ANALYZE) of each."""

import re
import time

from .config import PAGES, SEQ_SCAN, STAFF_USER, log, quiet_command


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

    from commitments.models import Activity, Promise

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            keep = list(Activity.objects.order_by("id").values_list("id", flat=True)[:10])
            Activity.objects.exclude(id__in=keep).delete()
            assert Activity.objects.count() == 10
            # As every change of public data does; the pages' summaries are rebuilt first (as
            # the worker does), so that the counts are those of a page read, not of a rebuild.
            Promise.objects.all().touch()
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
