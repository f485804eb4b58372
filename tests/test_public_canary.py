"""Nothing unpublished leaks: a canary string in every kind of hidden data, on every public URL."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from commitments.models import ActivityType, District

from .factories import (
    ActivityFactory,
    CommitmentAssessmentFactory,
    CommitmentFactory,
    FollowUpFactory,
    PromiseFactory,
    UserFactory,
)
from .public_urls import ARGUMENTS, EXTRA_KWARGS, body, public_url_names

pytestmark = pytest.mark.django_db

CANARY = "Kanariefågel"
PUBLISHED = "Publicerad-sammanfattning-7731"


@pytest.fixture
def hidden_and_published(eskilstuna):
    """Published data beside a canary in an internal note, a staff name, an unpublished promise,
    a too-recent activity, a non-public activity, a sensitive activity's summary and a draft
    follow-up."""
    patrol = ActivityType.objects.get(slug="fotpatrull")
    sensitive = ActivityType.objects.get(slug="social-insatsgrupp")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    officer = UserFactory(username=f"{CANARY}-user", first_name=CANARY, last_name=CANARY)
    common = {"activity_type": patrol, "district": skiftinge, "created_by": officer}
    ActivityFactory(summary=PUBLISHED, internal_note=f"{CANARY} i anteckning", **common)
    ActivityFactory(summary=f"{CANARY} ej offentlig", is_public=False, **common)
    ActivityFactory(
        summary=f"{CANARY} för ny",
        date=timezone.localdate() - timedelta(days=1),
        **common,
    )
    ActivityFactory(
        summary=f"{CANARY} känslig",
        activity_type=sensitive,
        district=skiftinge,
        external_id=f"{CANARY}-id",
    )
    hidden = PromiseFactory(title=f"{CANARY} löfte", slug="kanariefagel", is_published=False)
    CommitmentFactory(promise=hidden, title=f"{CANARY} åtagande")
    draft = FollowUpFactory(promise=eskilstuna, year=2018, tertial=2, summary=f"{CANARY} utkast")
    CommitmentAssessmentFactory(
        followup=draft,
        commitment=eskilstuna.commitments.get(number=1),
        justification=f"{CANARY} bedömning",
    )
    published = FollowUpFactory(
        promise=eskilstuna,
        year=2018,
        tertial=1,
        state="published",
        published_at=timezone.now(),
        summary="Publicerad uppföljning 4412",
        published_by=officer,
        submitted_by=officer,
    )
    CommitmentAssessmentFactory(
        followup=published,
        commitment=eskilstuna.commitments.get(number=1),
        justification="Publicerad bedömning 4413",
    )
    return eskilstuna


def _urls():
    for name in sorted(ARGUMENTS):
        for kwargs in [ARGUMENTS[name], *EXTRA_KWARGS.get(name, [])]:
            for language in ("sv", "en"):
                with translation.override(language):
                    yield reverse(name, kwargs=kwargs)


def test_every_public_url_has_arguments():
    assert public_url_names() == set(ARGUMENTS)


def test_no_public_response_contains_the_canary(client, hidden_and_published):
    seen = ""
    for url in _urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert CANARY not in text, url
        assert CANARY.lower() not in text.lower(), url
        seen += text
    # The published data do appear, so the pages above were not simply empty.
    assert PUBLISHED in seen
    assert "Publicerad uppföljning 4412" in seen
    assert "Publicerad bedömning 4413" in seen


def test_the_unpublished_promise_has_no_public_page(client, hidden_and_published):
    for url in [
        "/loften/kanariefagel/",
        "/loften/kanariefagel/atagande/1/",
        "/loften/kanariefagel/data/aktiviteter.csv",
        "/loften/kanariefagel/data/sammanstallning.json",
        "/loften/kanariefagel/flode/",
        "/en/loften/kanariefagel/",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_draft_follow_up_has_no_public_page(client, hidden_and_published):
    assert client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t2/").status_code == 404
    assert client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t9/").status_code == 404
