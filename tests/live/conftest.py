"""Fixtures of the live tests: one migrated PostgreSQL cluster per run, a database per test.

The cluster and the collected static files are made once per run (a few seconds); each test
gets its own database copied from a migrated template with the Eskilstuna promise, so the
tests may stop the server, change rows and run in any order.
"""

import itertools
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from ..xdist_groups import claim_for_one_worker
from .servers import Cluster, free_port, manage, postgres_bin, production_env

TEMPLATE = "portal_template"
ADMIN_PASSWORD = "live-test-admin-password"
REDIS_URL = "redis://127.0.0.1:6379/0"
_databases = itertools.count(1)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the xdist_group marks
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/live/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.live)
            # One xdist worker runs them all, so the throwaway cluster starts once per run.
            item.add_marker(pytest.mark.xdist_group("live"))


@pytest.fixture(scope="session")
def pg_tools():
    if postgres_bin() is None:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not installed on this machine")
    return postgres_bin()


@pytest.fixture(scope="session")
def collectstatic(tmp_path_factory):
    """collectstatic as production runs it, started in the background while PostgreSQL starts."""
    folder = tmp_path_factory.mktemp("static")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=production_env(STATIC_ROOT=folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield folder, process
    process.kill()
    process.wait()


@pytest.fixture(scope="session")
def static_root(collectstatic):
    """The collected static files, for the manifest storage of DEBUG-off servers."""
    folder, process = collectstatic
    _out, errors = process.communicate(timeout=180)
    assert process.returncode == 0, errors.decode()
    return folder


@pytest.fixture(scope="session")
def pg_folder():
    """A temporary folder the postgres OS user can reach (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster(pg_tools, pg_folder, collectstatic, tmp_path_factory):
    """A migrated throwaway PostgreSQL server with the Eskilstuna promise in a template database."""
    claim_for_one_worker(tmp_path_factory, "live")
    server = Cluster(pg_folder / "primary", free_port()).init().start()
    server.execute(f"CREATE DATABASE {TEMPLATE}")
    env = production_env(DATABASE_URL=server.url(TEMPLATE), DEBUG="1")
    manage("migrate", "--noinput", env=env)
    manage(
        "shell",
        "-c",
        "from commitments.loading import load_promise_file; from followups.demo import FIXTURE;"
        " from commitments.models import User; load_promise_file(FIXTURE);"
        f" User.objects.create_superuser('admin', '', '{ADMIN_PASSWORD}')",
        env=env,
    )
    yield server
    server.stop_quietly()


@pytest.fixture
def live_db(cluster):
    """A fresh copy of the template database on the throwaway cluster, dropped afterwards."""
    if not (cluster.data / "postmaster.pid").exists():
        cluster.start()
    name = f"portal_{next(_databases)}"
    cluster.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield name
    if not (cluster.data / "postmaster.pid").exists():
        cluster.start()
    cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def shared_redis():
    """A key prefix of its own on the machine's Redis, for the cache; its keys go afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"live-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()
