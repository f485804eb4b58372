"""While PostgreSQL is down or hangs, pages answer 503 within 2.5 s; the app recovers by itself.

A real gunicorn in production mode (DEBUG off) in front of a throwaway PostgreSQL server that
the test stops, freezes and starts again; the app server is never restarted.
"""

import os
import signal
import time

import pytest

from .servers import AppServer, free_port, production_env


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


def assert_outage_answer(status, headers, body, seconds):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Tjänsten är tillfälligt otillgänglig" in body
    assert seconds < 2.5


def test_a_stopped_database_gives_503_with_retry_after_and_the_app_recovers(start_app, cluster):
    # Kept connections with health checks, as in production: the broken one is replaced.
    app = start_app(CONN_MAX_AGE=60)
    status, _headers, body = app.get("/")
    assert status == 200
    assert "Medborgarlöfte" in body

    cluster.stop()
    try:
        # Pages not visited before: a page cache cannot have them.
        assert_outage_answer(*timed_get(app, "/loften/eskilstuna-2018/"))
        assert_outage_answer(*timed_get(app, "/loften/eskilstuna-2018/atagande/1/"))
        status, _headers, body, seconds = timed_get(app, "/healthz/")
        assert (status, seconds < 2.5) == (503, True)
        assert '"unreachable"' in body
    finally:
        cluster.start()

    status, _headers, body = app.get("/loften/eskilstuna-2018/")
    assert status == 200
    assert "Eskilstuna" in body
    assert app.get("/healthz/")[0] == 200


def test_a_hanging_database_gives_503_within_the_connect_timeout(start_app, cluster):
    """A frozen server takes the TCP connection but never answers: the connect timeout decides."""
    app = start_app(CONN_MAX_AGE=0)
    assert app.get("/")[0] == 200
    postmaster = cluster.postmaster_pid()
    os.kill(postmaster, signal.SIGSTOP)
    try:
        assert_outage_answer(*timed_get(app, "/loften/eskilstuna-2018/"))
    finally:
        os.kill(postmaster, signal.SIGCONT)
    assert app.get("/loften/eskilstuna-2018/")[0] == 200
