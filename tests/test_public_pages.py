"""The first public pages: the list of promises and one promise with its commitments."""

import pytest

from .factories import CommitmentAssessmentFactory, FollowUpFactory, PromiseFactory

pytestmark = pytest.mark.django_db


def test_the_front_page_lists_published_promises_only(client, eskilstuna):
    PromiseFactory(title="Opublicerat löfte", is_published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert "Medborgarlöfte Eskilstuna 2018" in response.text
    assert "Opublicerat löfte" not in response.text


def test_the_promise_page_shows_the_text_and_the_three_commitments(client, eskilstuna):
    response = client.get("/loften/eskilstuna-2018/")
    assert response.status_code == 200
    assert response["Content-Language"] == "sv"
    for text in [
        "Situationen idag",
        "Lättrörliga lokala kriminella nätverk",
        "Det här ska vi åstadkomma tillsammans",
        "Annelie Klavins Nyström",
        "Lokalpolisområdeschef Eskilstuna",
    ]:
        assert text in response.text
    for commitment in eskilstuna.commitments.all():
        assert commitment.text in response.text
        assert commitment.get_absolute_url() in response.text


def test_an_unpublished_promise_is_not_found(client, unpublished_promise):
    assert client.get("/loften/eskilstuna-2018/").status_code == 404
    assert client.get("/loften/eskilstuna-2018/atagande/1/").status_code == 404


def test_a_commitment_page_shows_the_promised_text_verbatim(client, eskilstuna):
    response = client.get("/loften/eskilstuna-2018/atagande/3/")
    assert response.status_code == 200
    assert eskilstuna.commitments.get(number=3).text in response.text


def test_english_lives_under_en(client, eskilstuna):
    response = client.get("/en/loften/eskilstuna-2018/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "The situation today" in response.text
    assert 'href="/loften/eskilstuna-2018/"' in response.text  # the switch back to Swedish


def test_the_promise_page_shows_each_commitments_latest_published_status(client, eskilstuna):
    first = eskilstuna.commitments.get(number=1)
    for tertial, status, state in [
        (1, "not_on_track", "published"),
        (2, "partly", "published"),
        (3, "on_track", "draft"),
    ]:
        followup = FollowUpFactory(promise=eskilstuna, tertial=tertial, state=state)
        CommitmentAssessmentFactory(followup=followup, commitment=first, status=status)
    text = client.get("/loften/eskilstuna-2018/").text
    assert "Delvis enligt plan" in text
    assert "Enligt plan<" not in text
    assert "Inte bedömt ännu" in text  # commitments 2 and 3
