"""The activity form refuses personal identity numbers, says where and why, and keeps input."""

import pytest

from commitments.models import Activity, ActivityType, District

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, polis):
    client.force_login(polis)
    return client


def _form(eskilstuna, **changes):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    data = {
        "typ": foot.pk,
        "district": District.objects.get(promise=eskilstuna, slug="skiftinge").pk,
        "date": "2018-04-10",
        "hours": "2",
        "staff_count": "3",
        "summary": "Fotpatrullering vid torget.",
        "internal_note": "",
        "is_public": "on",
    }
    return data | changes


@pytest.mark.parametrize(
    "number",
    [
        "811218-9876",  # with a dash
        "811218+9876",  # with a plus (over 100 years old)
        "198112189876",  # 12 digits
        "19811218-9876",
        "701063-2391",  # a coordination number: day + 60
    ],
)
@pytest.mark.parametrize("field", ["summary", "internal_note"])
def test_a_personal_identity_number_is_refused_and_nothing_is_written(
    logged_in, eskilstuna, number, field
):
    response = logged_in.post(
        "/personal/aktiviteter/ny/", _form(eskilstuna, **{field: f"Kontroll av {number}."})
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()[field]] == ["personal_number"]
    # The summary box names the field, the reason and the number, and everything else stays
    # filled in.
    label = {"summary": "Publik sammanfattning", "internal_note": "Intern anteckning"}[field]
    assert (
        f"{label}: ”{label}” innehåller något som ser ut som ett personnummer ({number})."
        in response.text
    )
    assert 'value="3"' in response.text  # staff count kept
    assert f"Kontroll av {number}." in response.text


@pytest.mark.parametrize("number", ["811218-9877", "198112189870", "Ärende 1234567890"])
def test_a_number_failing_the_luhn_check_is_accepted(logged_in, eskilstuna, number):
    response = logged_in.post(
        "/personal/aktiviteter/ny/", _form(eskilstuna, internal_note=f"Diarienummer {number}")
    )
    assert response.status_code == 302
    assert Activity.objects.get().internal_note == f"Diarienummer {number}"


def test_a_public_summary_refuses_a_phone_number_but_the_internal_note_may_hold_one(
    logged_in, eskilstuna
):
    response = logged_in.post(
        "/personal/aktiviteter/ny/", _form(eskilstuna, summary="Ring 070-123 45 67.")
    )
    assert [e.code for e in response.context["form"].errors.as_data()["summary"]] == ["phone"]
    assert not Activity.objects.exists()
    response = logged_in.post(
        "/personal/aktiviteter/ny/", _form(eskilstuna, internal_note="Vakthavande 070-123 45 67.")
    )
    assert response.status_code == 302
