"""Two app processes on one database and one Redis serve the same pages: no state in a process.

Two gunicorn servers share a throwaway PostgreSQL database and a key prefix of their own on the
machine's Redis (deleted afterwards). A visitor logs in through one and is logged in on the
other; a change saved through one is on the public page of the other at once.
"""

import pytest

from .conftest import ADMIN_PASSWORD, REDIS_URL
from .servers import AppServer, Browser, free_port, production_env

PROMISE = "/loften/eskilstuna-2018/"


@pytest.fixture
def two_servers(cluster, live_db, static_root, shared_redis):
    env = production_env(
        DATABASE_URL=cluster.url(live_db),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=shared_redis,
        STATIC_ROOT=static_root,
        CONN_MAX_AGE=60,
    )
    servers = [AppServer(free_port(), env).start(), AppServer(free_port(), env).start()]
    yield servers
    for server in servers:
        server.stop()


def test_a_change_through_one_process_is_visible_through_the_other_at_once(two_servers):
    first, second = two_servers
    visitor = Browser()
    # Both processes render the page once, so that anything either might keep is warm.
    for server in (first, second):
        status, body = visitor.open(server, PROMISE)
        assert (status, "Medborgarlöfte Eskilstuna 2018" in body) == (200, True)

    visitor.log_in(first, "admin", ADMIN_PASSWORD)
    status, body = visitor.open(second, "/admin/")
    assert status == 200
    assert "Logga ut" in body or "Log out" in body

    visitor.change_in_admin(
        first, "/admin/commitments/promise/1/change/", "promise_form", title="Ändrad titel"
    )
    status, body = Browser().open(second, PROMISE)
    assert status == 200
    assert "Ändrad titel" in body
    assert "Medborgarlöfte Eskilstuna 2018" not in body


def test_static_files_are_served_with_hashed_names_and_compression(two_servers):
    first, _second = two_servers
    status, body = Browser().open(first, "/")
    assert status == 200
    stylesheet = body.split('href="/static/css/site.', 1)[1].split('"', 1)[0]
    assert stylesheet.endswith(".css") and len(stylesheet) > len("css")
    status, headers, _body = first.get(
        f"/static/css/site.{stylesheet}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
