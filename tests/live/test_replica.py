"""Public-page reads go to a streaming replica; staff reads and writes to the primary; a replica
that lags or is down is passed over.

A throwaway primary and a replica made from it with `pg_basebackup -R`, each on its own port.
Pausing the replica's replay makes it stale on purpose: what a page shows then says which
server it read.
"""

import itertools
import time

import pytest

from .conftest import ADMIN_PASSWORD
from .servers import AppServer, Browser, Cluster, free_port, production_env

PROMISE = "/loften/eskilstuna-2018/"
OLD_TITLE = "Medborgarlöfte Eskilstuna 2018"
NEW_TITLE = "Ny titel på löftet"
VISITS = itertools.count()


@pytest.fixture(scope="module")
def replica(cluster, pg_folder):
    server = Cluster(pg_folder / "replica", free_port()).replica_of(cluster).start()
    yield server
    server.stop_quietly()


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def has_database(server, name):
    return bool(server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]))


@pytest.fixture
def servers(cluster, replica, live_db, static_root):
    if not (replica.data / "postmaster.pid").exists():
        replica.start()
    wait_until(lambda: has_database(replica, live_db))

    def app(port, **env):
        return AppServer(
            port,
            production_env(
                DATABASE_URL=cluster.url(live_db),
                DATABASE_REPLICA_URL=replica.url(live_db),
                STATIC_ROOT=static_root,
                # A changed page is rendered by its next reader: the test reads which database
                # answered, not how the worker renews pages (tests/live/test_two_processes.py).
                PUBLIC_PAGE_STALE_SECONDS=0,
                **env,
            ),
        ).start()

    # `trusting` checks the replica once and then trusts it: a failed read is retried on the
    # primary. `strict` checks before every public page, and allows half a second of lag.
    trusting = app(free_port(), DATABASE_REPLICA_CHECK_INTERVAL=3600, DATABASE_REPLICA_MAX_LAG=3600)
    strict = app(free_port(), DATABASE_REPLICA_CHECK_INTERVAL=0, DATABASE_REPLICA_MAX_LAG=0.5)
    yield trusting, strict
    trusting.stop()
    strict.stop()
    if (replica.data / "postmaster.pid").exists():
        replica.execute("SELECT pg_wal_replay_resume()")


def title_on(server, path=None, browser=None):
    # A new query string each time: a page cache must not answer instead of the database.
    status, body = (browser or Browser()).open(server, path or f"{PROMISE}?n={next(VISITS)}")
    assert status == 200, body
    return NEW_TITLE if NEW_TITLE in body else OLD_TITLE if OLD_TITLE in body else None


def test_public_reads_use_the_replica_staff_reads_the_primary_and_lag_or_failure_falls_back(
    servers, replica
):
    trusting, strict = servers
    assert title_on(trusting) == title_on(strict) == OLD_TITLE
    staff = Browser()
    staff.log_in(trusting, "admin", ADMIN_PASSWORD)
    wait_until(
        lambda: replica.execute("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")[0][0]
    )

    replica.execute("SELECT pg_wal_replay_pause()")
    staff.change_in_admin(
        trusting, "/admin/commitments/promise/1/change/", "promise_form", title=NEW_TITLE
    )
    # The write is on the primary at once: the admin (staff) reads it there.
    assert title_on(trusting, "/admin/commitments/promise/", browser=staff) == NEW_TITLE
    # The public page reads the paused replica, so it still shows the old title.
    assert title_on(trusting) == OLD_TITLE
    # Half a second behind is too far for `strict`: it reads the primary instead.
    wait_until(lambda: title_on(strict) == NEW_TITLE, timeout=5)

    replica.execute("SELECT pg_wal_replay_resume()")
    wait_until(lambda: title_on(trusting) == NEW_TITLE, timeout=5)

    replica.stop()
    # `trusting` still believes in the replica: its failed read is run again on the primary.
    assert title_on(trusting) == NEW_TITLE
    assert title_on(strict) == NEW_TITLE
    status, _body = Browser().open(trusting, "/healthz/")
    assert status == 200
