"""The personal-data guard: what it refuses, what it lets through, and that every field has it."""

import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from simple_history.models import HistoricalChanges

from commitments.fields import GuardedField
from commitments.validators import (
    INTERNAL,
    PUBLIC,
    PersonalDataValidator,
    check_text,
    find_personal_numbers,
    luhn_ok,
)


def codes(text, checks=PUBLIC):
    """The codes of what the guard refuses in the text; [] when it lets it through."""
    try:
        check_text(text, checks=checks)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


# 811218-9876 and 19811218-9876 are Skatteverket's textbook example of a valid number.
REFUSED = [
    # personal identity numbers, every spelling
    ("811218-9876", "personal_number"),
    ("8112189876", "personal_number"),
    ("19811218-9876", "personal_number"),
    ("198112189876", "personal_number"),
    ("811218+9876", "personal_number"),  # over a hundred years old
    ("811218 9876", "personal_number"),
    ("811218–9876", "personal_number"),  # en dash
    ("811218—9876", "personal_number"),  # em dash
    ("811218 – 9876", "personal_number"),
    ("811218/9876", "personal_number"),
    ("81.12.18-9876", "personal_number"),
    ("1981-12-18-9876", "personal_number"),
    ("19811218–9876", "personal_number"),
    ("81 12 18 98 76", "personal_number"),
    ("8112 1898 76", "personal_number"),
    ("2018-03-14 811218-9876", "personal_number"),  # found beside a date
    ("Kontakt med 811278-9873 i parken", "personal_number"),  # coordination number: 18 + 60
    ("701063-2391", "personal_number"),  # coordination number
    # phone numbers
    ("Ring 070-123 45 67", "phone"),
    ("0701234567", "phone"),
    ("070 123 45 67", "phone"),
    ("070/123 45 67", "phone"),
    ("070.123.45.67", "phone"),
    ("070 - 123 45 67", "phone"),
    ("Ring +46 70 123 45 67", "phone"),
    ("+46 (0)70 123 45 67", "phone"),
    ("+46701234567", "phone"),
    ("0046 70 123 45 67", "phone"),
    ("Växeln 08-123 456 78", "phone"),
    ("016-12 34 56", "phone"),
    ("(016) 12 34 56", "phone"),
    # e-mail addresses, plain and hidden from harvesters
    ("Mejla anna.svensson@example.se", "email"),
    ("anna @ example.se", "email"),
    ("anna(at)example.se", "email"),
    ("anna [at] example.se", "email"),
    ("anna (at) example (dot) se", "email"),
    ("anna[snabel-a]example[punkt]se", "email"),
    # registration plates, any case, with or without a space or hyphen
    ("Bilen ABC 123 stoppades", "registration_number"),
    ("Bilen ABC12D stoppades", "registration_number"),
    ("ABC123", "registration_number"),
    ("ABC-123", "registration_number"),
    ("abc 123", "registration_number"),
    ("Mopeden xyz-12a togs i beslag", "registration_number"),
]

ACCEPTED = [
    # numbers that are no personal identity number
    "811218-9875",  # fails the Luhn check
    "198112189870",
    "Kontrollerade 1234567890 fordon",  # no such date
    "Ärende 2018-1234",
    "Diarienummer 2118-12189876",  # a century that is none of 18, 19, 20
    # dates, times and time ranges
    "2018-03-14",
    "01.03.2018",
    "1.3.2018",
    "14/3",
    "14/3-18",
    "Trafikkontroll 14/3, 45 fordon",
    "kl 14.00",
    "SSPF-möte kl 14.00",
    "kl. 08.30",
    "08.00-17.00",
    "Öppet 08.00–17.00 och 18.00–21.00",
    "kl.08.00-17.00",
    "18:00–21:00",
    "Tid 2018-03-14 18:00–21:00",
    "01.03.2018 08.00-17.00",
    "Vecka 12, 2018-03-19–2018-03-25",
    # amounts, counts, measures
    "1 234 567 kr",
    "12 345 678 kr",
    "Beslag av 12 gram",
    "0,5 km",
    "45 personer och 123 fordon",
    "per 100 invånare",
    "Bidrag SEK 500",
    "100 %",
    # addresses of places
    "Kungsgatan 12",
    "632 20 Eskilstuna",
    "Fristadstorget 4, 632 20 Eskilstuna",
    "Box 123",
    # names and words
    "Medborgarlöfte Eskilstuna 2018",
    "eskilstuna-2018",
    "sspf-arendemote",
    "Polisen.se och eskilstuna.se",
]


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_the_public_guard_refuses_personal_data_in_any_spelling(text, code):
    assert codes(text) == [code]


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_dates_times_amounts_and_addresses_pass(text):
    assert codes(text) == []


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_the_internal_guard_refuses_only_personal_identity_numbers(text, code):
    expected = [code] if code == "personal_number" else []
    assert codes(text, checks=INTERNAL) == expected


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


SEED = Path(settings.BASE_DIR) / "fixtures" / "eskilstuna_2018.toml"
with SEED.open("rb") as _file:
    SEED_TEXTS = sorted(set(_strings(tomllib.load(_file))))


@pytest.mark.parametrize("text", SEED_TEXTS, ids=lambda text: text[:40])
def test_every_text_of_the_seed_promise_passes_the_public_guard(text):
    assert codes(text) == []


def test_every_kind_found_is_refused_at_once_with_its_code():
    text = "Samtal med 811218–9876, 070-123 45 67, anna@example.se och ABC 123."
    assert codes(text) == ["personal_number", "email", "phone", "registration_number"]


def test_the_message_is_swedish_and_names_the_field_and_what_was_found():
    with pytest.raises(ValidationError) as error:
        check_text("Samtal med 811218–9876 vid torget.", label="sammanfattning")
    with translation.override("sv"):
        messages = error.value.messages
    assert messages == [
        "”Sammanfattning” innehåller något som ser ut som ett personnummer (811218–9876). "
        "Portalen lagrar inga personuppgifter: ta bort det."
    ]


def test_each_number_found_is_named_once():
    with pytest.raises(ValidationError) as error:
        check_text("070-123 45 67, 070-123 45 67 och 016-12 34 56", label="text")
    assert "(070-123 45 67, 016-12 34 56)" in error.value.messages[0]


def test_the_validator_for_plain_forms_is_the_same_guard():
    validator = PersonalDataValidator(label="kommentar")
    with pytest.raises(ValidationError) as error:
        validator("Ring 070-123 45 67")
    assert [e.code for e in error.value.error_list] == ["phone"]
    assert validator == PersonalDataValidator(label="kommentar")


def test_personal_numbers_are_found_where_they_are():
    assert find_personal_numbers("Möte 2018-03-14 med 811218–9876 och 19811218 9876.") == [
        "811218–9876",
        "19811218 9876",
    ]


@pytest.mark.parametrize(("digits", "valid"), [("8112189876", True), ("8112189875", False)])
def test_luhn(digits, valid):
    assert luhn_ok(digits) is valid


# Every text field of the apps is guarded, or listed here with the reason it need not be.
# Keep it honest: a field a citizen or a staff member writes free text into is never listed.
CHOICES = "a code from a fixed list of choices"
UNGUARDED = {
    "commitments.Organisation.kind": CHOICES,
    "commitments.Organisation.county": CHOICES,
    "commitments.User.username": "a staff member's own login name, in their account",
    "commitments.User.password": "a password hash",
    "commitments.User.first_name": "a staff member's own name, in their account; never public",
    "commitments.User.last_name": "a staff member's own name, in their account; never public",
    "commitments.User.email": "a staff member's own address, for password reset; never public",
    "commitments.District.kind": CHOICES,
    "commitments.Promise.reporting_cadence": CHOICES,
    "commitments.Indicator.direction": CHOICES,
    "commitments.Indicator.kind": CHOICES,
    "commitments.Indicator.target_kind": CHOICES,
    "commitments.Indicator.rate_period": CHOICES,
    "commitments.Indicator.aggregation": CHOICES,
    "commitments.ActivityImport.file_name": (
        "the uploaded file's name, recorded by the import itself for the audit; staff only"
    ),
    "commitments.ActivityImport.sha256": "a hexadecimal digest",
    "commitments.Invitation.role": CHOICES,
    "commitments.ActivityExport.format": CHOICES,
    "commitments.ActivityExport.state": CHOICES,
    "commitments.ActivityExport.query": (
        "the staff list's filter as ids and a tertial, written by the export; its requester only"
    ),
    "commitments.ActivityExport.error": "the export task's error, written by it; staff only",
    "commitments.Invitation.token_hash": "a hexadecimal digest of the invitation link's token",
    "commitments.AccountEvent.action": CHOICES,
    "commitments.AccountEvent.role": CHOICES,
    "followups.FollowUp.state": CHOICES,
    "followups.FollowUp.pdf_status": CHOICES,
    "followups.FollowUp.pdf_sha256": "a hexadecimal digest",
    "followups.FollowUp.pdf_error": "the PDF renderer's error, written by the task; staff only",
    "followups.FollowUp.share_image_alt": "written by followups.sharing from the guarded "
    "titles and the assessments' status names",
    "followups.CommitmentAssessment.status": CHOICES,
    "followups.FollowUpEvent.action": CHOICES,
    "subscriptions.Subscription.email": (
        "a citizen's own address, the one piece of personal data we keep, by their consent "
        "(confirmed by a mailed link); never shown, deleted on unsubscribe or unconfirmed "
        "after 7 days"
    ),
    "subscriptions.Subscription.language": CHOICES,
    "subscriptions.Subscription.token_hash": "a hexadecimal digest of a confirmation link's token",
}
# Guarded, but staff only: personal identity numbers are refused, contact details are not.
# Every other guarded field has the public guard.
INTERNAL_ONLY = {
    "commitments.Activity.internal_note": "never shown in public; may name a duty phone",
    "commitments.Activity.external_id": "the row's id in the organisation's own spreadsheet",
    "followups.FollowUpEvent.comment": "the workflow's trail, on the staff page only",
    "commitments.Invitation.email": (
        "where an invitation is mailed, on the coordinators' people page only"
    ),
}


def _text_fields():
    """{"app.Model.field": field} for every CharField and TextField (slugs, e-mails too)."""
    fields = {}
    for app in ("commitments", "followups", "subscriptions"):
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # simple_history's copies, written only from the rows they copy
            for field in model._meta.fields:
                if isinstance(field, models.CharField | models.TextField):
                    fields[f"{app}.{model.__name__}.{field.name}"] = field
    return fields


def test_every_text_field_is_guarded_or_listed_with_its_reason():
    fields = _text_fields()
    unguarded = {name for name, field in fields.items() if not isinstance(field, GuardedField)}
    assert sorted(unguarded - set(UNGUARDED)) == [], "guard these fields, or list them"
    assert sorted(set(UNGUARDED) - unguarded) == [], "listed, but guarded or gone"
    assert all(reason.strip() for reason in UNGUARDED.values())


def test_guarded_text_is_public_unless_listed_as_internal():
    guarded = {
        name: field for name, field in _text_fields().items() if isinstance(field, GuardedField)
    }
    internal = {name for name, field in guarded.items() if field.checks == INTERNAL}
    assert internal == set(INTERNAL_ONLY)
    assert {field.checks for name, field in guarded.items() if name not in internal} == {PUBLIC}


@pytest.mark.parametrize(
    "name",
    [
        "followups.FollowUp.summary",
        "followups.FollowUp.correction_reason",
        "followups.CommitmentAssessment.justification",
        "followups.CommitmentAssessment.done",
        "followups.CommitmentAssessment.effect",
        "followups.CommitmentAssessment.next_steps",
        "followups.Approval.comment",
        "commitments.Promise.title",
        "commitments.Promise.introduction",
        "commitments.Promise.problem_picture",
        "commitments.Promise.goal",
        "commitments.Promise.follow_up_plan",
        "commitments.Promise.slug",
        "commitments.Signatory.name",
        "commitments.Signatory.role",
        "commitments.District.name",
        "commitments.Organisation.name",
        "commitments.ActivityType.name",
        "commitments.Measure.name",
        "commitments.Measure.unit",
        "commitments.Indicator.name",
        "commitments.Indicator.unit",
        "commitments.Indicator.source",
        "commitments.Measurement.source_note",
        "commitments.Commitment.title",
        "commitments.Commitment.text",
        "commitments.Activity.summary",
    ],
)
def test_a_text_a_citizen_may_read_refuses_a_phone_on_full_clean(name):
    app, model_name, field_name = name.split(".")
    field = apps.get_model(app, model_name)._meta.get_field(field_name)
    assert field.checks == PUBLIC
    with pytest.raises(ValidationError) as error:
        field.clean("0701234567", None)  # a phone that is also a valid slug
    assert [e.code for e in error.value.error_list] == ["phone"]
