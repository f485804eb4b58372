"""The page layer readers meet (commitments/cache.py, rendering.py): kept per promise version,
renewed by the worker when read, never older than PUBLIC_PAGE_STALE_SECONDS for a reader.

The worker does not run here: the tests call what its task calls (`render_page`).
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commitments.cache import page_key
from commitments.rendering import render_page

from .factories import FollowUpFactory
from .public_urls import body
from .tenants import build_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(eskilstuna):
    FollowUpFactory(promise=eskilstuna, tertial=1, state="published")
    return eskilstuna


def _every_page(promise):
    followup = promise.followups.get()
    paths = [
        "/",
        promise.get_absolute_url(),
        *(c.get_absolute_url() for c in promise.commitments.all()),
        *(d.get_absolute_url() for d in promise.districts.all()),
        followup.get_absolute_url(),
        followup.get_version_url(),
        "/tillganglighet/",
    ]
    return [
        (language, path if language == "sv" else f"/en{path}")
        for language in ("sv", "en")
        for path in paths
    ]


def test_the_worker_stores_the_bytes_a_reader_s_request_would(client, published):
    for language, path in _every_page(published):
        by_reader = body(client.get(path))
        assert render_page(path, language).content.decode() == by_reader, path


def test_a_changed_page_is_served_as_it_was_until_the_worker_renders_it(
    client, published, settings
):
    settings.PUBLIC_PAGE_STALE_SECONDS = 10
    url = "/loften/eskilstuna-2018/atagande/1/"
    before = body(client.get(url))
    commitment = published.commitments.get(number=1)
    commitment.title = "Ny rubrik 3112"
    commitment.save()
    published.touch()
    # Within the bound: the old rendering, at once. The first reader to find it stale queues
    # its rendering (a task row), the next readers pay only the version's query.
    with CaptureQueriesContext(connection) as queries:
        assert body(client.get(url)) == before
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "INSERT"]
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [url, "sv"]
    with CaptureQueriesContext(connection) as queries:
        assert body(client.get(url)) == before
    assert len(queries) == 1
    # The worker renders it; readers get the new one from then on.
    assert render_page(url, "sv").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert "Ny rubrik 3112" in body(client.get(url))
    assert len(queries) == 1


def test_past_the_bound_a_reader_renders_the_page_itself(client, published, settings):
    settings.PUBLIC_PAGE_STALE_SECONDS = 10
    url = "/loften/eskilstuna-2018/atagande/1/"
    client.get(url)
    commitment = published.commitments.get(number=1)
    commitment.title = "Ny rubrik 4410"
    commitment.save()
    published.touch()
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert "Ny rubrik 4410" in body(client.get(url))


def test_a_new_day_is_served_from_yesterday_s_rendering_within_the_bound(
    client, published, settings
):
    settings.PUBLIC_PAGE_STALE_SECONDS = 10
    url = "/loften/eskilstuna-2018/"
    today = timezone.localtime().replace(hour=23, minute=59, second=58)
    with time_machine.travel(today, tick=False):
        before = body(client.get(url))
    with time_machine.travel(today + timedelta(seconds=4), tick=False):  # 00:00:02
        with CaptureQueriesContext(connection) as queries:
            assert body(client.get(url)) == before
        assert len(queries) <= 2  # the version, and queueing the day's first rendering
    with time_machine.travel(today + timedelta(seconds=30), tick=False):  # 00:00:28
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) > 1  # rendered by this reader


def test_a_change_in_one_promise_leaves_the_other_s_pages_cached(client, published):
    other = build_tenant("Västerås", "vasteras").promise
    url = other.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    published.touch()
    for activity in published.commitments.get(number=1).activities.all()[:1]:
        activity.save_edit(based_on=activity.version, values={})
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(cached) == 1


def test_the_home_page_follows_every_published_promise(client, published):
    first = body(client.get("/"))
    with CaptureQueriesContext(connection) as cached:
        assert body(client.get("/")) == first
    assert len(cached) == 1
    published.title = "Medborgarlöfte Eskilstuna 2018, reviderat"
    published.save()
    published.touch()
    assert "reviderat" in body(client.get("/"))


def test_a_rendering_is_stored_per_language_and_path():
    assert page_key("sv", "/loften/a/") != page_key("en", "/loften/a/")
    assert page_key("sv", "/loften/a/") != page_key("sv", "/loften/b/")


def test_the_sitemap_answers_a_conditional_get_by_the_published_promises(client, published):
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/sitemap.xml", headers={"If-None-Match": first["ETag"]}).status_code == 304
    published.touch()
    again = client.get("/sitemap.xml", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
