"""The personal-data guard: Luhn-valid personal and coordination numbers are refused."""

import pytest
from django.core.exceptions import ValidationError

from commitments.validators import (
    find_personal_numbers,
    luhn_ok,
    no_contact_details,
    no_personal_data,
)

# 811218-9876 and 19811218-9876 are Skatteverket's textbook example of a valid number.
REFUSED = [
    "811218-9876",
    "8112189876",
    "19811218-9876",
    "198112189876",
    "811218+9876",
    "Kontakt med 811278-9873 i parken",  # a coordination number: day 18 + 60
]
ACCEPTED = [
    "811218-9875",  # fails the Luhn check
    "Kontrollerade 1234567890 fordon",  # no such date
    "2018-03-14",
    "Ärende 2018-1234",
    "Beslag av 12 gram",
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_personal_identity_number_is_refused(text):
    with pytest.raises(ValidationError) as error:
        no_personal_data(text)
    assert error.value.code == "personal_number"


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_numbers_pass(text):
    assert find_personal_numbers(text) == []
    no_personal_data(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mejla anna.svensson@example.se", "email"),
        ("Ring 070-123 45 67", "phone"),
        ("Ring +46 70 123 45 67", "phone"),
        ("Bilen ABC 123 stoppades", "registration_number"),
        ("Bilen ABC12D stoppades", "registration_number"),
        ("811218-9876", "personal_number"),
    ],
)
def test_public_text_refuses_contact_details(text, code):
    with pytest.raises(ValidationError) as error:
        no_contact_details(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    "text",
    ["Trafikkontroll 14/3, 45 fordon", "SSPF-möte kl 14.00", "Tid 2018-03-14 18:00–21:00"],
)
def test_public_text_with_ordinary_figures_passes(text):
    no_contact_details(text)


@pytest.mark.parametrize(("digits", "valid"), [("8112189876", True), ("8112189875", False)])
def test_luhn(digits, valid):
    assert luhn_ok(digits) is valid
