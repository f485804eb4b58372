"""Staff exports prepared by the task worker: the owner's alone, visible rows only, expiring."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from commitments import export_files
from commitments.models import ActivityExport, ActivityType, District

from .factories import ActivityFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def start(client, fmt, query=""):
    """Ask for an export as the staff list's buttons do; the task runs at once."""
    with override_settings(TASKS=IMMEDIATE), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("staff:export_start"), {"format": fmt, "query": query})
    assert response.status_code == 302
    return ActivityExport.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def prepared_export(client, fmt, query=""):
    """The bytes of an export prepared in the background, downloaded from its page."""
    export = start(client, fmt, query)
    page = client.get(export.get_absolute_url())
    assert page.status_code == 200
    download = reverse("staff:export_file", args=[export.pk])
    assert download in page.text
    return b"".join(client.get(download).streaming_content)


@pytest.fixture
def two_organisations(eskilstuna):
    patrol = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    police = [
        ActivityFactory(activity_type=patrol, district=skiftinge, internal_note=f"polis {n}")
        for n in range(3)
    ]
    municipal = ActivityFactory(
        activity_type=patrol,
        district=skiftinge,
        organisation=eskilstuna.municipality,
        internal_note="kommunens anteckning",
    )
    return police, municipal


def rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_a_prepared_csv_holds_only_what_its_requester_may_see(client, kommun, two_organisations):
    client.force_login(kommun)
    table = rows(prepared_export(client, "csv"))
    notes = [row[table[0].index("Intern anteckning")] for row in table[1:]]
    assert notes == ["kommunens anteckning"]


def test_a_prepared_export_follows_the_filter(client, samordnare, two_organisations, eskilstuna):
    client.force_login(samordnare)
    everything = rows(prepared_export(client, "csv"))
    police = rows(prepared_export(client, "csv", f"organisation={eskilstuna.police_area.pk}"))
    assert (len(everything), len(police)) == (5, 4)


def test_the_page_shows_progress_until_the_file_is_ready(client, polis, two_organisations):
    client.force_login(polis)
    export = export_files.request_export(user=polis, fmt="xlsx", query="")
    page = client.get(export.get_absolute_url())
    assert "<progress" in page.text
    assert client.get(reverse("staff:export_file", args=[export.pk])).status_code == 404
    export_files.prepare(export)
    export.refresh_from_db()
    assert (export.state, export.rows_total, export.rows_done) == ("ready", 3, 3)
    assert "<progress" not in client.get(export.get_absolute_url()).text


def test_an_export_is_prepared_once_however_often_its_task_runs(polis, two_organisations):
    export = export_files.request_export(user=polis, fmt="csv", query="")
    export_files.prepare(export)
    name = ActivityExport.objects.get(pk=export.pk).file.name
    export_files.prepare(ActivityExport.objects.get(pk=export.pk))
    assert ActivityExport.objects.get(pk=export.pk).file.name == name
    assert default_storage.listdir("exports")[1] == [name.rsplit("/", 1)[1]]


def test_nobody_else_opens_an_export_not_even_a_coordinator(
    client, polis, samordnare, two_organisations
):
    export = export_files.request_export(user=polis, fmt="csv", query="")
    export_files.prepare(export)
    client.force_login(samordnare)
    assert client.get(export.get_absolute_url()).status_code == 404
    assert client.get(reverse("staff:export_file", args=[export.pk])).status_code == 404


def test_an_unknown_format_is_refused(client, polis):
    client.force_login(polis)
    response = client.post(reverse("staff:export_start"), {"format": "pdf"})
    assert response.status_code == 400
    assert not ActivityExport.objects.exists()


def test_expired_exports_go_with_their_files(polis, two_organisations, settings):
    old = export_files.request_export(user=polis, fmt="csv", query="")
    export_files.prepare(old)
    ActivityExport.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(hours=settings.EXPORT_HOURS + 1)
    )
    fresh = export_files.request_export(user=polis, fmt="csv", query="")
    export_files.prepare(fresh)
    old.refresh_from_db()
    assert export_files.remove_expired() == 1
    assert not default_storage.exists(old.file.name)
    assert list(ActivityExport.objects.values_list("pk", flat=True)) == [fresh.pk]
