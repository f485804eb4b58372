"""Tyck till (issue 19): citizens' feedback, its guards, moderation and the public replies."""

import pytest
from django.core.cache import cache

from feedback.models import Feedback

from .factories import FollowUpFactory
from .tenants import second_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def url(promise):
    return f"/loften/{promise.slug}/tyck-till/"


def send(client, promise, **data):
    return client.post(
        url(promise), {"safety": "2", "text": "Mer belysning vid busshållplatsen."} | data
    )


def test_a_citizen_says_how_safe_it_feels_without_a_name_or_a_cookie(client, eskilstuna):
    skiftinge = eskilstuna.districts.get(slug="skiftinge")
    response = send(client, eskilstuna, district=str(skiftinge.pk))
    assert response.status_code == 200
    assert "Tack för att du berättar" in response.text
    assert not response.cookies and "Set-Cookie" not in response
    (item,) = Feedback.objects.all()
    assert (item.district, item.safety, item.read_at, item.published_at) == (
        skiftinge,
        2,
        None,
        None,
    )
    assert (item.year, item.tertial) == (item.created_at.year, (item.created_at.month - 1) // 4 + 1)
    # Nothing is public before a coordinator has read and published it.
    for page in (url(eskilstuna), eskilstuna.get_absolute_url(), skiftinge.get_absolute_url()):
        assert "Mer belysning" not in client.get(page).text


@pytest.mark.parametrize(
    "text",
    [
        "Min granne 19811218-9876 säljer narkotika.",
        "Ring mig på 070-123 45 67.",
        "Mejla anna.andersson@example.se",
        "Bilen ABC 123 kör för fort.",
    ],
)
def test_personal_data_is_refused_kindly_and_nothing_is_stored(client, eskilstuna, text):
    response = send(client, eskilstuna, text=text)
    assert response.status_code == 200
    assert 'class="error' in response.text
    assert Feedback.objects.count() == 0
    assert not response.cookies


def test_a_missing_answer_gets_a_swedish_message(client, eskilstuna):
    response = client.post(url(eskilstuna), {"text": "Hej"})
    assert "Detta fält måste fyllas i." in response.text
    assert Feedback.objects.count() == 0


def test_the_honeypot_stores_nothing_and_tells_the_bot_nothing(client, eskilstuna):
    response = send(client, eskilstuna, website="http://spam.example")
    assert response.status_code == 200 and "Tack för att du berättar" in response.text
    assert Feedback.objects.count() == 0


def test_a_flood_from_one_client_is_stopped(client, eskilstuna, settings):
    # Refused input stores nothing and counts against no limit: the person just corrects it.
    for _ in range(8):
        assert client.post(url(eskilstuna), {"text": "Hej"}).status_code == 200
    for _ in range(5):
        assert send(client, eskilstuna).status_code == 200
    response = send(client, eskilstuna)
    assert response.status_code == 429
    assert "Inget sparades" in response.text
    assert Feedback.objects.count() == 5
    # Another client is not stopped by the first one's flood.
    other = client.post(url(eskilstuna), {"safety": "3", "text": ""}, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 200 and Feedback.objects.count() == 6


def test_the_forms_are_on_the_promise_and_district_pages(client, eskilstuna):
    page = client.get(eskilstuna.get_absolute_url()).text
    assert f'action="{url(eskilstuna)}"' in page and 'name="website"' in page
    skiftinge = eskilstuna.districts.get(slug="skiftinge")
    district_page = client.get(skiftinge.get_absolute_url()).text
    assert f'<option value="{skiftinge.pk}" selected>Skiftinge</option>' in district_page


def test_the_coordinator_reads_counts_and_publishes_a_selection_with_a_reply(
    client, eskilstuna, samordnare
):
    skiftinge = eskilstuna.districts.get(slug="skiftinge")
    send(client, eskilstuna, district=str(skiftinge.pk), safety="1", text="Mörkt i tunneln.")
    send(client, eskilstuna, district=str(skiftinge.pk), safety="1", text="")
    send(client, eskilstuna, safety="4", text="Tryggt i centrum.")
    dark = Feedback.objects.get(text="Mörkt i tunneln.")
    samordnare.first_name, samordnare.last_name = "Sara", "Samuelsson"
    samordnare.save()
    staff = client.__class__()
    staff.force_login(samordnare)
    # Not read yet: it cannot be published.
    publish = f"/personal/loften/{eskilstuna.slug}/synpunkter/{dark.pk}/publicera/"
    assert staff.post(publish, {f"f{dark.pk}-reply": "Vi byter lamporna."}).status_code == 404
    page = staff.get(f"/personal/loften/{eskilstuna.slug}/synpunkter/").text
    assert "Mörkt i tunneln." in page and page.count(">Ny</span>") == 3
    assert "<td>Skiftinge</td>" in page
    assert Feedback.objects.filter(read_at=None).count() == 0
    assert staff.post(publish, {f"f{dark.pk}-reply": ""}).status_code == 400
    assert staff.post(publish, {f"f{dark.pk}-reply": "Vi byter lamporna."}).status_code == 302
    public = client.get(url(eskilstuna)).text
    assert "Mörkt i tunneln." in public and "Vi byter lamporna." in public
    assert "Tryggt i centrum." not in public
    assert "Samuelsson" not in public  # who published it is never shown


def test_only_the_promises_coordinators_moderate(client, eskilstuna, polis):
    moderation = f"/personal/loften/{eskilstuna.slug}/synpunkter/"
    client.force_login(polis)
    assert client.get(moderation).status_code == 403
    client.force_login(second_tenant().users["coordinator"])
    assert client.get(moderation).status_code == 404


def test_the_follow_up_form_shows_the_tertials_feedback(client, eskilstuna, samordnare):
    item = Feedback.objects.create(promise=eskilstuna, safety=1, text="Stökigt vid torget.")
    draft = FollowUpFactory(promise=eskilstuna, year=item.year, tertial=item.tertial)
    client.force_login(samordnare)
    page = client.get(f"/personal/uppfoljningar/{draft.pk}/redigera/").text
    assert "Stökigt vid torget." in page and "1 mycket otrygg" in page
