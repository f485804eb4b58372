"""The promise workspace (/personal/loften/…): a coordinator sets up, previews and publishes
a promise without the admin (issue 17, item 1)."""

import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.models import (
    ActivityType,
    Commitment,
    District,
    Indicator,
    Measure,
    Organisation,
    Promise,
)
from commitments.workspace import boundary_from_geojson, checklist

from .factories import IndicatorFactory
from .tenants import second_tenant

pytestmark = pytest.mark.django_db

SQUARE = [[16.5, 59.3], [16.6, 59.3], [16.6, 59.4], [16.5, 59.4], [16.5, 59.3]]


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _new_promise(client, police_org):
    response = client.post(
        "/personal/loften/nytt/",
        {
            "partner": police_org.pk,
            "title": "Medborgarlöfte Torshälla 2027",
            "slug": "torshalla-2027",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
            "reporting_cadence": "half_year",
            "problem_picture": "Otrygghet vid busstorget.",
            "sources": ["citizen_dialogue", "safety_survey"],
            "goal": "Fler ska känna sig trygga.",
            "follow_up_plan": "Uppföljning två gånger om året.",
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    return Promise.objects.get(slug="torshalla-2027")


def test_a_coordinator_sets_up_previews_and_publishes_a_promise(
    client, samordnare, police_org, municipality_org
):
    client.force_login(samordnare)
    promise = _new_promise(client, police_org)
    assert not promise.is_published
    assert (promise.municipality, promise.police_area) == (municipality_org, police_org)
    assert client.get(promise.get_absolute_url()).status_code == 404  # a draft is not public
    base = f"/personal/loften/{promise.slug}/"
    page = _text(client.get(base))
    assert "Innan det kan publiceras" in page
    assert "Skriv minst ett åtagande." in page

    for organisation, name in [(municipality_org, "Anna Ek"), (police_org, "Per Berg")]:
        response = client.post(
            f"{base}undertecknare/ny/",
            {"organisation": organisation.pk, "name": name, "role": "Ordförande", "order": 1},
        )
        assert response.status_code == 302
    boundary = SimpleUploadedFile(
        "torget.geojson",
        json.dumps(
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
        ).encode(),
    )
    response = client.post(
        f"{base}omraden/ny/",
        {
            "name": "Busstorget",
            "slug": "busstorget",
            "kind": "priority",
            "order": 1,
            "boundary_file": boundary,
        },
    )
    assert response.status_code == 302
    district = District.objects.get(promise=promise)
    assert district.boundary == {"type": "Polygon", "coordinates": [SQUARE]}
    response = client.post(
        f"{base}atagande/ny/",
        {
            "number": 1,
            "title": "Närvaro",
            "text": "Polisen och kommunen ska vara synliga vid busstorget.",
            "responsible_organisations": [municipality_org.pk, police_org.pk],
            "districts": [district.pk],
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(promise=promise)
    assert "Åtagande 1: lägg till de slags arbete" in _text(client.get(base))
    response = client.post(
        f"{base}atagande/{commitment.pk}/typer/ny/",
        {
            "name": "Trafikkontroll",
            "slug": "trafikkontroll",
            "order": 1,
            "measures-TOTAL_FORMS": 2,
            "measures-INITIAL_FORMS": 0,
            "measures-0-name": "Kontroller",
            "measures-0-unit": "kontroller",
            "measures-0-unit_singular": "kontroll",
            "measures-0-counts_the_work": "on",
            "measures-0-order": 1,
            # The second, empty form as the browser sends it: its initial values.
            "measures-1-name": "",
            "measures-1-unit": "",
            "measures-1-unit_singular": "",
            "measures-1-order": "0",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["measures"].errors,
        response.context["measures"].non_form_errors(),
    )
    activity_type = ActivityType.objects.get(commitment=commitment)
    measure = Measure.objects.get(activity_type=activity_type)
    assert measure.counts_the_work and measure.unit_singular == "kontroll"
    response = client.post(
        f"{base}indikatorer/ny/",
        {
            "commitment": commitment.pk,
            "name": "Veckor med trafikkontroll",
            "unit": "kontroller",
            "kind": "derived",
            "aggregation": "sum_measure",
            "source": "Polisens loggade kontroller",
            "activity_types": [activity_type.pk],
            "measure": measure.pk,
            "direction": "higher",
            "target_kind": "rate",
            "target_value": "1",
            "rate_period": "week",
            "order": 1,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert checklist(promise) == []

    preview = client.get(f"{base}forhandsvisning/")
    assert preview.status_code == 200
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in preview["Cache-Control"] or "no-cache" in preview["Cache-Control"]
    text = _text(preview)
    assert "Förhandsvisning." in text and "Medborgarlöfte Torshälla 2027" in text
    assert '<meta name="robots" content="noindex, nofollow">' in preview.content.decode()
    assert client.get(f"{base}forhandsvisning/atagande/1/").status_code == 200
    assert client.get(f"{base}forhandsvisning/omraden/busstorget/").status_code == 200

    confirm = _text(client.get(f"{base}publicera/"))
    assert "Ja, publicera löftet" in confirm
    response = client.post(f"{base}publicera/")
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.is_published and promise.published_at
    client.logout()
    public = client.get(promise.get_absolute_url())
    assert public.status_code == 200
    assert "Polisen och kommunen ska vara synliga vid busstorget." in _text(public)
    assert "Förhandsvisning" not in _text(public)


def test_an_incomplete_promise_is_not_published(client, samordnare, police_org):
    client.force_login(samordnare)
    promise = _new_promise(client, police_org)
    response = client.post(f"/personal/loften/{promise.slug}/publicera/")
    assert response.status_code == 200
    assert "Skriv minst ett åtagande." in _text(response)
    promise.refresh_from_db()
    assert not promise.is_published


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "Filen är inte en GeoJSON-gräns"),
        (
            json.dumps({"type": "Point", "coordinates": [16.5, 59.3]}).encode(),
            "Filen är inte en GeoJSON-gräns",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": [SQUARE[:3]]}).encode(),
            "minst fyra punkter",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": [[*SQUARE[:4], [16.7, 59.3]]]}).encode(),
            "sluta där den börjar",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[x * 1000, y] for x, y in SQUARE]]}
            ).encode(),
            "longitud och latitud",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": []}).encode(),
            "Filen innehåller 0 områden",
        ),
    ],
)
def test_a_bad_boundary_file_gets_a_clear_message_and_nothing_is_saved(
    client, samordnare, eskilstuna, content, message
):
    client.force_login(samordnare)
    response = client.post(
        "/personal/loften/eskilstuna-2018/omraden/ny/",
        {
            "name": "Nytt",
            "slug": "nytt",
            "kind": "priority",
            "order": 9,
            "boundary_file": SimpleUploadedFile("omrade.geojson", content),
        },
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert not District.objects.filter(promise=eskilstuna, slug="nytt").exists()


def test_a_multipolygon_boundary_is_kept_as_its_geometry():
    geometry = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}
    assert boundary_from_geojson(json.dumps(geometry)) == geometry


def test_the_choices_are_the_promise_s_own(client, samordnare, eskilstuna):
    other = second_tenant()
    client.force_login(samordnare)
    page = client.get("/personal/loften/eskilstuna-2018/indikatorer/ny/").content.decode()
    for district in District.objects.filter(promise=other.promise):
        assert district.name not in page
    foreign = ActivityType.objects.filter(commitment__promise=other.promise).first()
    response = client.post(
        "/personal/loften/eskilstuna-2018/indikatorer/ny/",
        {
            "name": "Fel",
            "unit": "st",
            "kind": "derived",
            "aggregation": "count",
            "activity_types": [foreign.pk],
            "direction": "higher",
            "target_kind": "none",
            "order": 1,
        },
    )
    assert response.status_code == 200
    assert not Indicator.objects.filter(promise=eskilstuna, name="Fel").exists()
    page = client.get("/personal/loften/eskilstuna-2018/atagande/ny/").content.decode()
    assert other.municipality.name not in page


def test_another_municipality_s_coordinator_finds_nothing_of_ours(client, eskilstuna):
    client.force_login(second_tenant().users["coordinator"])
    for path in ["", "andra/", "publicera/", "forhandsvisning/", "omraden/ny/"]:
        assert client.get(f"/personal/loften/eskilstuna-2018/{path}").status_code == 404
    assert "Eskilstuna" not in _text(client.get("/personal/loften/"))


@pytest.mark.parametrize("who", ["polis", "kommun", "ordforande", "lpo_chef"])
def test_staff_who_do_not_coordinate_may_not_change_the_promise(request, client, eskilstuna, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/personal/loften/eskilstuna-2018/").status_code == 403
    assert client.post("/personal/loften/nytt/", {}).status_code == 403
    assert client.post("/personal/loften/eskilstuna-2018/andra/", {"title": "X"}).status_code == 403


def test_a_published_promise_keeps_its_parts_and_withdraws_an_indicator(
    client, samordnare, eskilstuna
):
    client.force_login(samordnare)
    district = eskilstuna.districts.first()
    url = f"/personal/loften/eskilstuna-2018/omraden/{district.pk}/ta-bort/"
    assert client.post(url).status_code == 403
    assert District.objects.filter(pk=district.pk).exists()
    indicator = IndicatorFactory(promise=eskilstuna, name="Upplevd trygghet")
    response = client.post(
        f"/personal/loften/eskilstuna-2018/indikatorer/{indicator.pk}/dra-tillbaka/",
        {"reason": "Mätte fel sak."},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.withdrawn_at and indicator.withdrawal_reason == "Mätte fel sak."
    client.logout()
    assert "Mätte fel sak." in _text(client.get(eskilstuna.get_absolute_url()))


def test_a_text_correction_of_a_published_promise_shows_at_once(client, samordnare, eskilstuna):
    client.force_login(samordnare)
    client.get(eskilstuna.get_absolute_url())  # rendered and kept
    data = {
        "title": eskilstuna.title,
        "slug": eskilstuna.slug,
        "start_date": "2018-01-01",
        "end_date": "2018-12-31",
        "reporting_cadence": "tertial",
        "problem_picture": "Rättad problembild.",
        "goal": eskilstuna.goal,
        "follow_up_plan": eskilstuna.follow_up_plan,
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
    }
    response = client.post("/personal/loften/eskilstuna-2018/andra/", data)
    assert response.status_code == 302, _text(response)[:2000]
    client.logout()
    assert "Rättad problembild." in _text(client.get(eskilstuna.get_absolute_url()))


def test_a_new_promise_starts_from_the_structure_of_eskilstuna(client, eskilstuna, police_org):
    other = second_tenant()
    coordinator = other.users["coordinator"]
    client.force_login(coordinator)
    response = client.post(
        "/personal/loften/nytt/",
        {
            "partner": other.police_area.pk,
            "title": "Medborgarlöfte Köping 2027",
            "slug": "koping-2027",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
            "reporting_cadence": "tertial",
            "problem_picture": "P.",
            "goal": "G.",
            "follow_up_plan": "F.",
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    promise = Promise.objects.get(slug="koping-2027")
    response = client.post("/personal/loften/koping-2027/kopiera-fran/", {"source": eskilstuna.pk})
    assert response.status_code == 302
    assert promise.commitments.count() == eskilstuna.commitments.count()
    assert promise.districts.count() == eskilstuna.districts.count()
    assert promise.indicators.count() == eskilstuna.indicators.shown().count()
    responsible = {
        o.pk for c in promise.commitments.all() for o in c.responsible_organisations.all()
    }
    assert responsible <= {other.municipality.pk, other.police_area.pk}
    assert not promise.signatories.exists()  # Eskilstuna's signers do not sign for Köping
    assert not Organisation.objects.filter(pk=police_org.pk, commitments__promise=promise).exists()
    assert date(2027, 1, 1) == promise.start_date


def _basics(promise, **changes):
    return {
        "title": promise.title,
        "slug": promise.slug,
        "start_date": promise.start_date.isoformat(),
        "end_date": promise.end_date.isoformat(),
        "reporting_cadence": promise.reporting_cadence,
        "problem_picture": promise.problem_picture,
        "goal": promise.goal,
        "follow_up_plan": promise.follow_up_plan,
        "sources-TOTAL_FORMS": 2,
        "sources-INITIAL_FORMS": 0,
    } | changes


def test_sources_are_titled_links_that_citizens_can_follow(client, samordnare, eskilstuna):
    client.force_login(samordnare)
    data = _basics(
        eskilstuna,
        **{
            "sources-0-title": "Polisens trygghetsmätning 2017",
            "sources-0-url": "https://polisen.se/trygghetsmatning",
            "sources-1-title": "Medborgardialog i Skiftinge",
            "sources-1-url": "eskilstuna.se/dialog",
        },
    )
    response = client.post("/personal/loften/eskilstuna-2018/andra/", data)
    assert response.status_code == 302
    eskilstuna.refresh_from_db()
    assert eskilstuna.source_links == [
        {"title": "Polisens trygghetsmätning 2017", "url": "https://polisen.se/trygghetsmatning"},
        {"title": "Medborgardialog i Skiftinge", "url": "https://eskilstuna.se/dialog"},
    ]
    client.logout()
    page = client.get(eskilstuna.get_absolute_url()).content.decode()
    assert (
        '<a href="https://polisen.se/trygghetsmatning">Polisens trygghetsmätning 2017</a>' in page
    )


@pytest.mark.parametrize(
    ("title", "url", "message"),
    [
        ("Ring 070-123 45 67", "https://example.se/", "telefonnummer"),
        ("Skript", "javascript:alert(1)", "Fyll i en giltig URL"),
    ],
)
def test_a_bad_source_link_is_refused_and_nothing_changes(
    client, samordnare, eskilstuna, title, url, message
):
    client.force_login(samordnare)
    data = _basics(eskilstuna, **{"sources-0-title": title, "sources-0-url": url})
    response = client.post("/personal/loften/eskilstuna-2018/andra/", data)
    assert response.status_code == 200
    assert message in _text(response)
    eskilstuna.refresh_from_db()
    assert eskilstuna.source_links == []


def test_a_corrected_text_says_so_and_the_history_keeps_the_old_one(client, samordnare, eskilstuna):
    before = eskilstuna.problem_picture
    client.force_login(samordnare)
    response = client.post(
        "/personal/loften/eskilstuna-2018/andra/",
        _basics(eskilstuna, problem_picture="Rättad problembild."),
    )
    assert response.status_code == 302
    eskilstuna.refresh_from_db()
    assert eskilstuna.texts_changed_at is not None
    texts = [h.problem_picture for h in eskilstuna.history.order_by("history_id")]
    assert texts[0] == before and texts[-1] == "Rättad problembild."
    commitment = eskilstuna.commitments.get(number=2)
    data = {
        "number": 2,
        "title": commitment.title,
        "text": "Rättad text för åtagande 2.",
        "responsible_organisations": [o.pk for o in commitment.responsible_organisations.all()],
    }
    response = client.post(f"/personal/loften/eskilstuna-2018/atagande/{commitment.pk}/", data)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.text_changed_at is not None
    assert commitment.history.order_by("history_id").first().text != commitment.text
    client.logout()
    page = _text(client.get(eskilstuna.get_absolute_url()))
    assert "texten ändrades den" in page
    assert "Texten ändrades den" in _text(client.get("/loften/eskilstuna-2018/atagande/2/"))
    assert "Texten ändrades den" not in _text(client.get("/loften/eskilstuna-2018/atagande/1/"))


def test_a_draft_s_texts_change_without_a_note(client, samordnare, police_org):
    client.force_login(samordnare)
    promise = _new_promise(client, police_org)
    response = client.post(
        f"/personal/loften/{promise.slug}/andra/", _basics(promise, goal="Nytt mål.")
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.goal == "Nytt mål." and promise.texts_changed_at is None


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2018: 30", {"2018": "30"}),
        ("", {}),
        ("2018: 12,5\n", {"2018": "12.5"}),
    ],
)
def test_per_year_targets_are_written_a_year_a_line(
    client, samordnare, eskilstuna, written, stored
):
    client.force_login(samordnare)
    data = {
        "name": "Trygghet",
        "unit": "procent",
        "kind": "measured",
        "direction": "higher",
        "source": "Enkät",
        "target_kind": "at_least",
        "target_value": "60",
        "year_targets": written,
        "order": 1,
    }
    response = client.post("/personal/loften/eskilstuna-2018/indikatorer/ny/", data)
    assert response.status_code == 302, response.context["form"].errors
    indicator = Indicator.objects.get(promise=eskilstuna, name="Trygghet")
    assert indicator.year_targets == stored
    page = client.get(f"/personal/loften/eskilstuna-2018/indikatorer/{indicator.pk}/").text
    if stored:
        assert f"2018: {stored['2018']}" in page


def test_a_badly_written_year_target_gets_a_swedish_message(client, samordnare, eskilstuna):
    client.force_login(samordnare)
    data = {
        "name": "Trygghet",
        "unit": "procent",
        "kind": "measured",
        "direction": "higher",
        "source": "Enkät",
        "target_kind": "at_least",
        "target_value": "60",
        "year_targets": '{"2018": "30"}',
        "order": 1,
    }
    response = client.post("/personal/loften/eskilstuna-2018/indikatorer/ny/", data)
    assert response.status_code == 200
    assert "Skriv ett år per rad" in _text(response)
    assert not Indicator.objects.filter(name="Trygghet").exists()


def test_a_published_follow_up_keeps_the_commitment_text_it_assessed(
    client, samordnare, eskilstuna
):
    from django.utils import timezone

    from followups.models import FollowUp

    from .factories import CommitmentAssessmentFactory, FollowUpFactory

    commitment = eskilstuna.commitments.get(number=2)
    before = commitment.text
    followup = FollowUpFactory(
        promise=eskilstuna,
        year=2018,
        tertial=1,
        state=FollowUp.State.PUBLISHED,
        published_at=timezone.now(),
        summary="S.",
    )
    for part in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=part)
    client.force_login(samordnare)
    data = {
        "number": 2,
        "title": commitment.title,
        "text": "Rättad text för åtagande 2.",
        "responsible_organisations": [o.pk for o in commitment.responsible_organisations.all()],
    }
    assert (
        client.post(f"/personal/loften/eskilstuna-2018/atagande/{commitment.pk}/", data).status_code
        == 302
    )
    client.logout()
    report = _text(client.get(followup.get_absolute_url()))
    assert " ".join(before.split()) in report
    assert "Rättad text för åtagande 2." not in report
    assert "Rättad text för åtagande 2." in _text(client.get("/loften/eskilstuna-2018/atagande/2/"))
