"""The personal-data guard: no personal identity numbers, and no contact details in public text.

The portal stores no personal data. Free text is checked here, on the model fields, so the
staff form, the admin and the spreadsheet import all refuse the same things.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 10 or 12 digits, YYMMDD or YYYYMMDD, then an optional - or + and four digits.
_PERSONAL_NUMBER = re.compile(r"(?<![\d-])(\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A Swedish phone number: 0 or +46/0046, then 7 to 10 more digits with optional spaces or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[ -]?\d(?:[ -]?\d){6,9}(?!\d)")
# Swedish registration plates: ABC 123 or ABC 12A (I, Q, V, Å, Ä, Ö are not used).
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"
_REGISTRATION = re.compile(
    rf"(?<![\w])[{_PLATE_LETTERS}]{{3}} ?\d{{2}}[{_PLATE_LETTERS.replace('O', '')}\d](?!\w)"
)


def luhn_ok(digits):
    """The Luhn check over a string of digits, as used for the last ten of a personnummer."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _is_date(year, month, day):
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_personal_number(century, year, month, day, serial):
    month, day_number = int(month), int(day)
    if day_number > 60:  # a coordination number (samordningsnummer) adds 60 to the day
        day_number -= 60
    if not 1 <= month <= 12:
        return False
    years = [int(century + year)] if century else [1900 + int(year), 2000 + int(year)]
    if not any(_is_date(y, month, day_number) for y in years):
        return False
    return luhn_ok(f"{year}{month:02d}{day}{serial}")


def find_personal_numbers(text):
    """Every Luhn-valid personal identity or coordination number in the text."""
    return [
        match.group(0)
        for match in _PERSONAL_NUMBER.finditer(text or "")
        if _is_personal_number(*match.groups(default=""))
    ]


def no_personal_data(text):
    if find_personal_numbers(text):
        raise ValidationError(
            _(
                "The text contains what looks like a personal identity number. "
                "The portal stores no personal data: remove it."
            ),
            code="personal_number",
        )


def no_contact_details(text):
    """For public text: no personal identity numbers, e-mail addresses, phones or plates."""
    no_personal_data(text)
    text = text or ""
    if _EMAIL.search(text):
        raise ValidationError(
            _("Public text may not contain an e-mail address: remove it."), code="email"
        )
    if _PHONE.search(text):
        raise ValidationError(
            _("Public text may not contain a phone number: remove it."), code="phone"
        )
    if _REGISTRATION.search(text):
        raise ValidationError(
            _("Public text may not contain a vehicle registration number: remove it."),
            code="registration_number",
        )
