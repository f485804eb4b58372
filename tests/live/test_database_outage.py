"""While PostgreSQL is down or hangs, pages answer 503 within 2.5 s; the app recovers by itself.

Public pages rendered before the outage are served from the shared cache meanwhile.

A real gunicorn in production mode (DEBUG off) in front of a throwaway PostgreSQL server that
the test stops, freezes and starts again; the app server is never restarted.
"""

import os
import signal
import time

import pytest

from .conftest import ADMIN_PASSWORD, REDIS_URL
from .servers import AppServer, Browser, free_port, production_env

SERVED_WHILE_DOWN = "X-Served-While-Database-Unavailable"
VISITED = "/loften/eskilstuna-2018/atagande/1/"
NOT_VISITED = [
    "/loften/eskilstuna-2018/",
    "/en/loften/eskilstuna-2018/atagande/1/",
    # Open data and the feed are not in the page cache; each answers 503 after one attempt.
    "/loften/eskilstuna-2018/data/aktiviteter.csv",
    "/loften/eskilstuna-2018/data/sammanstallning.json",
    "/loften/eskilstuna-2018/flode/",
]


@pytest.fixture
def start_app(cluster, live_db, static_root):
    servers = []

    def start(**env):
        server = AppServer(
            free_port(),
            production_env(
                DATABASE_URL=cluster.url(live_db),
                DATABASE_CONNECT_TIMEOUT=2,
                STATIC_ROOT=static_root,
                OUTAGE_RETRY_AFTER=30,
                **env,
            ),
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def timed_get(app, path):
    started = time.monotonic()
    answer = app.get(path)
    return (*answer, time.monotonic() - started)


def assert_outage_answer(app, path):
    status, headers, body, seconds = timed_get(app, path)
    assert status == 503, path
    assert headers["Retry-After"] == "30", path
    # In Swedish; in English under /en/.
    if path.startswith("/en/"):
        assert "The service is temporarily unavailable" in body, path
    else:
        assert "Tjänsten är tillfälligt otillgänglig" in body, path
    assert seconds < 2.5, path


def test_a_stopped_database_gives_503_with_retry_after_and_the_app_recovers(
    start_app, cluster, shared_redis
):
    # Kept connections with health checks and the shared cache, as in production.
    app = start_app(CONN_MAX_AGE=60, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=shared_redis)
    status, headers, before = app.get(VISITED)
    assert status == 200
    assert "Medborgarlöfte" in before
    assert SERVED_WHILE_DOWN not in headers

    cluster.stop()
    try:
        # A page visited before the outage: its last rendering, said to be one.
        status, headers, body, seconds = timed_get(app, VISITED)
        assert (status, seconds < 2.5) == (200, True)
        assert body == before
        assert headers[SERVED_WHILE_DOWN] == "1"
        assert headers["Cache-Control"] == "no-cache"
        assert int(headers["Age"]) >= 0
        # Pages not visited before (the same page in English too): the cache cannot have them.
        for path in NOT_VISITED:
            assert_outage_answer(app, path)
        status, _headers, body, seconds = timed_get(app, "/healthz/")
        assert (status, seconds < 2.5) == (503, True)
        assert '"unreachable"' in body
    finally:
        cluster.start()

    status, headers, body = app.get(VISITED)
    assert status == 200
    assert SERVED_WHILE_DOWN not in headers
    for path in NOT_VISITED:
        assert app.get(path)[0] == 200, path
    assert app.get("/healthz/")[0] == 200


def test_a_hanging_database_gives_503_within_the_connect_timeout(start_app, cluster, shared_redis):
    """A frozen server takes the TCP connection but never answers: the connect timeout decides.

    Each request waits for one connection attempt only, whatever the view would read next.
    """
    app = start_app(CONN_MAX_AGE=0, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=shared_redis)
    assert app.get(VISITED)[0] == 200
    # Someone logged in: the session, the user and the page each need the database.
    staff = Browser()
    staff.log_in(app, "admin", ADMIN_PASSWORD)
    postmaster = cluster.postmaster_pid()
    os.kill(postmaster, signal.SIGSTOP)
    try:
        status, headers, _body, seconds = timed_get(app, VISITED)
        assert (status, headers[SERVED_WHILE_DOWN], seconds < 2.5) == (200, "1", True)
        for path in NOT_VISITED:
            assert_outage_answer(app, path)
        for path in ["/personal/", "/admin/commitments/activity/"]:
            started = time.monotonic()
            status, body = staff.open(app, path)
            assert (path, status, time.monotonic() - started < 2.5) == (path, 503, True)
            assert "Tjänsten är tillfälligt otillgänglig" in body
    finally:
        os.kill(postmaster, signal.SIGCONT)
    assert app.get("/loften/eskilstuna-2018/")[0] == 200
