"""The benchmark's own database: created, migrated and filled at national scale, then dropped."""

import os
import secrets
import sys
from datetime import UTC, datetime

from .config import (
    ACTIVITIES,
    DB_PREFIX,
    ESKILSTUNA,
    PROMISES,
    ROOT,
    SERVER_URL,
    SLUG,
    log,
    quiet_command,
    timed,
)


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
        # The development tools (devtools.generate) are an app here and in the gunicorn
        # servers, which inherit this environment, though DEBUG is off.
        BENCH="1",
    )
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def prepare():
    """Migrate, collect the static files and seed the demo, as a new production site would."""
    _, seconds = timed(quiet_command, "migrate", "--noinput")
    log(f"migrated in {seconds:.1f} s")
    # DEBUG is off: hashed static files need their manifest, as in production.
    _, seconds = timed(quiet_command, "collectstatic", "--noinput")
    log(f"collectstatic in {seconds:.1f} s")
    _, seconds = timed(quiet_command, "seed_demo")
    log(f"seed_demo in {seconds:.1f} s")


def fill():
    """Generate the national data set (bulk_create measured on a sample first, rolled back)."""
    from django.db import connection, transaction

    from commitments.models import Activity, ActivityValue, Promise
    from devtools.generate import generate_activities, generate_national

    data = {}
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
    return data


def summaries():
    """The public summaries (commitments.figures), timed.

    One promise as a reader after a change would find it, then every published promise as the
    nightly job does.
    """
    from commitments.figures import activity_cells, public_cells, rebuild_public_summary
    from commitments.models import Activity, Promise

    data = {}
    Promise.objects.all().touch()  # every summary stale, as after a change
    eskilstuna = Promise.objects.get(slug=SLUG)
    _, data["summary_seconds"] = timed(rebuild_public_summary, eskilstuna)
    eskilstuna = Promise.objects.select_related("summary_state").get(slug=SLUG)
    _, data["summary_read_seconds"] = timed(public_cells, [eskilstuna])
    live = Activity.objects.public().filter(commitment__promise=eskilstuna)
    _, data["live_cells_seconds"] = timed(activity_cells, live)
    _, data["summaries_seconds"] = timed(quiet_command, "refresh_public_summaries")
    log(
        f"summary of {SLUG} rebuilt in {data['summary_seconds']:.2f} s; all published "
        f"promises in {data['summaries_seconds']:.1f} s"
    )
    return data
