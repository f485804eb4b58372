"""Only a change of a promise's public data moves its version on (issues 14 and 15).

A failed login, a logout or an import's preview changes nothing a citizen can see; before,
each bumped one global data version and so expired every cached page of every promise.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Promise

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _version():
    """Every promise's version: none may move for nothing."""
    return sorted(Promise.objects.values_list("slug", "public_version"))


@pytest.mark.parametrize("login", ["/personal/logga-in/", "/admin/login/"])
def test_a_failed_login_bumps_nothing(client, polis, login):
    before = _version()
    response = client.post(login, {"username": "polis", "password": "fel lösenord"})
    assert response.status_code == 200
    assert _version() == before


def test_a_successful_login_and_a_logout_bump_nothing(client, polis):
    before = _version()
    response = client.post(
        "/personal/logga-in/", {"username": "polis", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.post("/personal/logga-ut/").status_code == 302
    assert _version() == before


def test_an_import_preview_bumps_nothing_and_its_confirmation_does(client, polis, eskilstuna):
    client.force_login(polis)
    before = _version()
    preview = client.post(
        reverse("staff:import"),
        {
            "promise": eskilstuna.pk,
            "organisation": polis.organisation_id,
            "file": SimpleUploadedFile(
                "english_comma.csv", (DATA / "english_comma.csv").read_bytes()
            ),
        },
    )
    assert preview.status_code == 200
    assert _version() == before
    form = preview.context["confirm"]
    client.post(reverse("staff:import_confirm"), {n: form[n].value() for n in form.fields})
    assert _version() != before


def test_a_saved_activity_bumps_the_version(client, polis, eskilstuna):
    client.force_login(polis)
    foot = eskilstuna.commitments.get(number=1).activity_types.get(slug="fotpatrull")
    district = eskilstuna.districts.get(slug="skiftinge")
    before = _version()
    response = client.post(
        "/personal/aktiviteter/ny/",
        {
            "typ": foot.pk,
            "district": district.pk,
            "date": "2018-03-14",
            "hours": "2",
            "staff_count": "1",
            "summary": "",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert _version() != before
