"""The personal-data guard: what it refuses and what it lets through."""

import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from commitments.validators import (
    find_personal_numbers,
    luhn_ok,
    no_contact_details,
    no_personal_data,
)


def codes(text, guard=no_contact_details):
    """The code of what the guard refuses in the text; [] when it lets it through."""
    try:
        guard(text)
    except ValidationError as error:
        return [error.code]
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
    assert codes(text, guard=no_personal_data) == expected


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


def test_personal_numbers_are_found_where_they_are():
    assert find_personal_numbers("Möte 2018-03-14 med 811218–9876 och 19811218 9876.") == [
        "811218–9876",
        "19811218 9876",
    ]


@pytest.mark.parametrize(("digits", "valid"), [("8112189876", True), ("8112189875", False)])
def test_luhn(digits, valid):
    assert luhn_ok(digits) is valid
