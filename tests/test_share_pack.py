"""The share pack of a published follow-up (issue 18): the image, the card tags, the post text."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from followups import sharing
from followups.models import FollowUp

from .factories import CommitmentAssessmentFactory, FollowUpFactory
from .public_urls import ARGUMENTS
from .test_followup_reports import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def followup(eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, summary="Tertialen i korthet.")
    statuses = ["on_track", "partly", "not_on_track"]
    for commitment, status in zip(eskilstuna.commitments.order_by("number"), statuses, strict=True):
        CommitmentAssessmentFactory(
            followup=followup, commitment=commitment, status=status, justification="Skäl."
        )
    return followup


@pytest.fixture
def published(followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks):
    return publish(followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks)


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found and found.group(1)


def test_publishing_draws_a_1200_by_630_png_with_each_commitments_status(published):
    assert published.share_image
    with published.share_image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "PNG" and image.size == (1200, 630)
    alt = published.share_image_alt
    assert alt.startswith("Uppföljning T1 2018: Medborgarlöfte Eskilstuna 2018.")
    for commitment, status in zip(
        published.promise.commitments.order_by("number"),
        ["enligt plan", "delvis enligt plan", "inte enligt plan"],
        strict=True,
    ):
        assert f"Åtagande {commitment.number}, {commitment.title}: {status}." in alt


def test_the_image_is_drawn_once_and_never_again(published):
    name = published.share_image.name
    sharing.render_and_store_image(published)
    published.refresh_from_db()
    assert published.share_image.name == name


def test_a_draft_gets_no_image(followup):
    sharing.render_and_store_image(followup)
    followup.refresh_from_db()
    assert not followup.share_image


def test_the_image_is_served_without_a_cookie_and_cached_for_good(client, published):
    response = client.get(published.get_share_image_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert not response.cookies
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_no_image_for_an_unpublished_version(client, followup):
    url = followup.get_share_image_url()
    assert client.get(url).status_code == 404


def test_every_public_page_has_open_graph_and_twitter_card_tags(client, published):
    urls = []
    for language in ("sv", "en"):
        with translation.override(language):
            urls += [reverse(name, kwargs=kwargs) for name, kwargs in ARGUMENTS.items()]
    for url in urls:
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert meta(html, "og:title"), url
        assert meta(html, "og:description"), url
        assert meta(html, "og:url") == f"http://testserver{url}", url
        assert meta(html, "twitter:card") in {"summary", "summary_large_image"}, url


def test_the_follow_up_and_promise_pages_share_the_follow_ups_image(client, published):
    image = f"http://testserver{published.get_share_image_url()}"
    for url in (published.get_absolute_url(), published.promise.get_absolute_url()):
        html = client.get(url).content.decode()
        assert meta(html, "og:image") == image, url
        assert meta(html, "twitter:card") == "summary_large_image"
        assert meta(html, "og:image:alt") == published.share_image_alt
        assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
    assert client.get(image.removeprefix("http://testserver")).status_code == 200


def test_the_post_text_is_swedish_short_linked_and_names_no_one(published):
    url = f"https://example.se{published.get_absolute_url()}"
    text = sharing.post_text(published, url)
    assert len(text) <= sharing.POST_LIMIT
    assert text.startswith("Uppföljning av Medborgarlöfte Eskilstuna 2018, T1 2018:")
    assert text.endswith(url)
    assert "2. " in text and "delvis enligt plan" in text
    people = [a.approved_by for a in published.approvals.all()] + [published.published_by]
    for person in people:
        for name in (person.username, person.get_full_name(), person.email):
            assert not name or name not in text


def test_a_long_promise_still_makes_a_post_of_at_most_500_characters(published):
    for commitment in published.promise.commitments.all():
        commitment.title = ("Ett mycket långt åtagande " * 8)[:200]
        commitment.save()
    text = sharing.post_text(published, "https://example.se/" + "x" * 80)
    assert len(text) <= 500
    assert text.endswith("x" * 80)


def test_staff_see_the_post_text_with_a_copy_button_after_publishing(
    client, published, samordnare, followup
):
    client.force_login(samordnare)
    html = client.get(published.get_staff_url()).content.decode()
    assert 'id="share-text"' in html and "data-copy=" in html
    assert published.get_absolute_url() in html
    draft = FollowUpFactory(promise=published.promise, year=2018, tertial=2)
    assert draft.state == FollowUp.State.DRAFT
    html = client.get(draft.get_staff_url()).content.decode()
    assert 'id="share-text"' not in html
