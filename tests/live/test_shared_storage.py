"""Stored files in one S3 bucket, shared by every process: moto's S3 API on 127.0.0.1.

Two gunicorn servers (production settings) keep no file of their own: their MEDIA_ROOT is an
empty folder that must stay empty. An import previewed through one is confirmed through the
other; a report rendered by a third process (as the task worker renders it) is served by both,
checked against its SHA-256, and never served once its bytes in the bucket have changed.
"""

import hashlib
import re
from pathlib import Path

import pytest

from .conftest import ADMIN_PASSWORD
from .s3 import S3Server, multipart
from .servers import AppServer, Browser, free_port, manage, production_env

REPORT = "/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf"


@pytest.fixture
def s3():
    server = S3Server(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def shared(cluster, live_db, static_root, s3, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    env = production_env(
        DATABASE_URL=cluster.url(live_db),
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media,
        TASKS_BACKEND="immediate",
        # No browser: the report keeps its tables and leaves the charts out (faster).
        BROWSER_PATH=tmp_path / "no-browser",
        **s3.env(),
    )
    servers = [AppServer(free_port(), env).start(), AppServer(free_port(), env).start()]
    yield env, servers, media
    for server in servers:
        server.stop()


def test_an_import_previewed_on_one_process_is_confirmed_on_the_other(cluster, live_db, shared, s3):
    _env, (first, second), media = shared
    visitor = Browser()
    visitor.log_in(first, "admin", ADMIN_PASSWORD)
    token = visitor.csrf_token(first, "/personal/import/")
    police = cluster.execute(
        "SELECT id FROM commitments_organisation WHERE kind = 'police'", dbname=live_db
    )[0][0]
    promise = cluster.execute("SELECT id FROM commitments_promise", dbname=live_db)[0][0]
    data = (Path(__file__).parent.parent / "data" / "utf8_bom.csv").read_bytes()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token, "promise": promise, "organisation": police},
        {"file": ("veckolista.csv", data)},
    )
    status, _headers, page = visitor.fetch(
        first, "/personal/import/", body, {"Content-Type": content_type}
    )
    assert status == 200, page
    digest = hashlib.sha256(data).hexdigest()
    assert s3.keys("imports/") == [f"imports/{_admin_id(cluster, live_db)}/{digest}"]

    confirm = visitor.form_from(page.decode(), "import-confirm")
    status, _body = visitor.open(second, "/personal/import/bekrafta/", confirm)
    assert status == 302
    imported = cluster.execute(
        "SELECT count(*) FROM commitments_activity WHERE external_id LIKE 'bom-%%'",
        dbname=live_db,
    )[0][0]
    assert imported == 2
    assert s3.keys("imports/") == []  # the upload goes once imported
    assert not any(media.rglob("*"))


def _admin_id(cluster, live_db):
    return cluster.execute(
        "SELECT id FROM commitments_user WHERE username = 'admin'", dbname=live_db
    )[0][0]


PUBLISH = """
from django.utils import timezone
from commitments.models import Promise
from followups.models import FollowUp
from followups.reports import render_and_store
followup = FollowUp.objects.create(
    promise=Promise.objects.get(slug="eskilstuna-2018"), year=2018, tertial=1,
    summary="Tertialen i korthet.", state=FollowUp.State.PUBLISHED, published_at=timezone.now(),
)
print(render_and_store(followup).pdf.name)
"""


def test_a_report_rendered_by_one_process_is_served_by_the_others(shared, s3):
    env, (first, second), media = shared
    name = manage("shell", "-c", PUBLISH, env=env).stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"reports/eskilstuna-2018/eskilstuna-2018-2018-t1-v1-\w{12}\.pdf", name)
    stored = s3.read(name)
    assert stored.startswith(b"%PDF")
    for server in (first, second):
        status, headers, body = Browser().fetch(server, REPORT)
        assert (status, body) == (200, stored)
        assert headers["ETag"] == f'"{hashlib.sha256(stored).hexdigest()}"'
    assert not any(media.rglob("*"))

    # Changed in the bucket behind the portal's back: refused, never served.
    s3.client().put_object(Bucket=s3.bucket, Key=name, Body=stored + b"%changed")
    status, _headers, body = Browser().fetch(second, REPORT)
    assert status == 500
    assert b"%PDF" not in body
    assert "has changed since it was published" in second.output()


def test_an_archive_goes_to_the_bucket(shared, s3):
    env, _servers, media = shared
    out = manage("export_archive", "eskilstuna-2018", "--to-storage", env=env).stdout
    name = re.search(r"Wrote (archives/\S+\.zip)", out)[1]
    assert s3.keys("archives/") == [name]
    assert s3.read(name).startswith(b"PK")
    assert not any(media.rglob("*"))
