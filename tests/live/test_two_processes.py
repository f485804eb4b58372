"""Two app processes on one database and one Redis serve the same pages: no state in a process.

Two gunicorn servers and the task worker share a throwaway PostgreSQL database and a key prefix
of their own on the machine's Redis (deleted afterwards). A visitor logs in through one and is
logged in on the other; a change saved through one is on the public page of the other within
PUBLIC_PAGE_STALE_SECONDS, rendered by the worker in the meantime.
"""

import subprocess
import sys
import time

import pytest
from django.conf import settings

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
    worker = subprocess.Popen(  # the background renderer, as `make serve` runs it
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield servers
    worker.terminate()
    worker.wait(timeout=15)
    for server in servers:
        server.stop()


def test_a_change_through_one_process_is_visible_through_the_other_within_ten_seconds(
    two_servers,
):
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
    changed = time.monotonic()
    # Meanwhile readers get the page as it was (served at once, no reader waits for a render)
    # until the worker has stored the new one.
    while True:
        status, body = Browser().open(second, PROMISE)
        assert status == 200
        if "Ändrad titel" in body:
            break
        assert "Medborgarlöfte Eskilstuna 2018" in body
        assert time.monotonic() - changed < 10, "the change is not visible after 10 s"
        time.sleep(0.1)
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
