"""The personal-data guard: no personal identity numbers anywhere, no contact details in public.

The portal stores no personal data. Every model field of free text carries this guard
(commitments/fields.py declares the fields), so the staff forms, the admin, the spreadsheet
import and the follow-up transitions all refuse the same things. Pure functions, no database:
`find_*` return what they found, `check_text` raises the ValidationError.

People write numbers in many ways ("811218–9876", "81 12 18 98 76", "070/123 45 67",
"+46 (0)70 123 45 67"), so numbers are read as runs of digit groups and each plausible window
of groups is tested, instead of one regular expression per spelling.
"""

import re
from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Digit runs ----------------------------------------------------------------------------------

# Spaces inside a line, the no-break and thin ones too (Swedish thousands separators); a
# number is not read across a line break.
_SPACE = "[ \t\u00a0\u2009\u202f]"
# Between two digit groups: a space, or one of - – — . / + with spaces around it, or a
# parenthesis ("+46 (0)70").
_SEPARATOR = rf"(?:{_SPACE}*[-–—./+]{_SPACE}*|{_SPACE}*[()]{_SPACE}*|{_SPACE}+)"
_RUN = re.compile(rf"\+?\d+(?:{_SEPARATOR}\d+)*")
_DIGITS = re.compile(r"\d+")


class _Group(NamedTuple):
    """One group of digits in a run, where it is in the text and what came before it."""

    digits: str
    start: int
    end: int
    separator: str  # the text between the previous group and this one ("" for the first)


def _long_runs(text, *, fewest=8):
    """Each run of digit groups in the text that holds at least `fewest` digits.

    Neither a phone number nor a personal identity number is shorter, and most numbers in a
    text are (the guard runs on every row of an import): those are not looked at further.
    """
    for run in _RUN.finditer(text):
        if len(run.group()) >= fewest and sum(map(str.isdigit, run.group())) >= fewest:
            yield run


def _groups(text, run):
    """The digit groups of a run of the text."""
    groups, previous_end = [], run.start()
    for digits in _DIGITS.finditer(text, run.start(), run.end()):
        start, end = digits.span()
        groups.append(_Group(digits.group(), start, end, text[previous_end:start]))
        previous_end = end
    return groups


def _windows(groups, start, *, most):
    """(index of the last group, their digits) of groups[start:], growing to `most` digits."""
    digits = ""
    for index in range(start, len(groups)):
        digits += groups[index].digits
        if len(digits) > most:
            return
        yield index, digits


# Personal identity numbers (personnummer) and coordination numbers (samordningsnummer) -------


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


def _is_personal_number(digits):
    """Ten digits YYMMDDNNNC, or twelve YYYYMMDDNNNC: a real date and a right check digit.

    A coordination number (samordningsnummer) is a personnummer whose day has 60 added. Of
    twelve digits only the centuries 18, 19 and 20 are read, so that "2118..." stays a number.
    """
    if len(digits) == 12:
        century = digits[:2]
        if century not in ("18", "19", "20"):
            return False
        centuries, digits = [int(century) * 100], digits[2:]
    elif len(digits) == 10:
        # The century is not written (a + says "over a hundred"): each one is tried, so that
        # 29 February is a date in 000229 (2000) as well as in 040229 (1904 and 2004).
        centuries = [1800, 1900, 2000]
    else:
        return False
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    if not any(_is_date(century + year, month, day) for century in centuries):
        return False
    return luhn_ok(digits)


def find_personal_numbers(text):
    """Every Luhn-valid personal identity or coordination number in the text.

    Each window of consecutive digit groups holding 10 or 12 digits is tried, so the number is
    found whatever its separators ("811218–9876", "81.12.18-9876", "1981-12-18-9876",
    "8112 1898 76") and whatever stands beside it ("2018-03-14 811218-9876").
    """
    found = []
    for run in _long_runs(text or "", fewest=10):
        groups = _groups(text, run)
        start = 0
        while start < len(groups):
            last = _personal_number_at(groups, start)
            if last is None:
                start += 1
                continue
            found.append(text[groups[start].start : groups[last].end])
            start = last + 1
    return found


def _personal_number_at(groups, start):
    """The index of the last group of a personal number starting at groups[start], or None."""
    matches = [
        last
        for last, digits in _windows(groups, start, most=12)
        # "(0)" belongs to phone numbers: a window across a parenthesis is no personnummer.
        if len(digits) in (10, 12)
        and not any("(" in g.separator or ")" in g.separator for g in groups[start + 1 : last + 1])
        and _is_personal_number(digits)
    ]
    # The longest, so that "19811218-9876" is one number, not also "811218-9876".
    return matches[-1] if matches else None


# Phone numbers -------------------------------------------------------------------------------

# Dates and times are digit groups that start with 0 often enough ("01.03.2018", "08.00-17.00")
# to look like a phone number: they are blanked out before phones are looked for. A date or
# time must stand alone: not glued to more digit groups by a dot, slash, colon or hyphen
# ("070.123.23.45" holds no time).
_ALONE_BEFORE = r"(?<!\d)(?<!\d[./:-])"
_ALONE_AFTER = r"(?![./:-]?\d)"
_TIME = r"(?:[01]?\d|2[0-4])[.:][0-5]\d"
_TIMES = re.compile(rf"{_ALONE_BEFORE}{_TIME}(?:{_SPACE}*[-–—]{_SPACE}*{_TIME})?{_ALONE_AFTER}")
_DATES = re.compile(
    rf"{_ALONE_BEFORE}(?:"
    # 2018-03-14, 2018/3/14, 2018.03.14
    r"(?P<iso_year>\d{4})(?P<iso_sep>[-/.])(?P<iso_month>\d{1,2})(?P=iso_sep)(?P<iso_day>\d{1,2})"
    # 14/3, 14/3/2018, 14/3-18, 1.3., 01.03.2018, 14-03-2018 (with a hyphen only with a year)
    r"|(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?:[-/.](?:\d{4}|\d{2}))?\.?"
    r"|(?P<dash_day>\d{1,2})-(?P<dash_month>\d{1,2})-\d{4}"
    rf"){_ALONE_AFTER}"
)


def _is_day_and_month(match):
    day = match["iso_day"] or match["day"] or match["dash_day"]
    month = match["iso_month"] or match["month"] or match["dash_month"]
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _without_dates_and_times(text):
    """The text with each date and time replaced by #, so that no digit run goes through it."""
    text = _TIMES.sub(lambda m: "#" * len(m.group()), text)
    return _DATES.sub(lambda m: "#" * len(m.group()) if _is_day_and_month(m) else m.group(), text)


def _phone_digits(groups, start, last, plus):
    """The digits of a phone number written over groups[start..last], trunk 0 first, or None.

    Without a country code a number starts with the trunk 0 and a non-zero digit. After +46
    or 0046 the trunk 0 is left out, or written "(0)", or kept by mistake: read as one 0.
    """
    digits = "".join(group.digits for group in groups[start : last + 1])
    if start == 0 and plus and digits.startswith("46"):
        national = digits[2:]
    elif digits.startswith("0046"):
        national = digits[4:]
    else:
        return digits if re.match(r"0[1-9]", digits) else None
    national = national.removeprefix("0")
    return "0" + national if national[:1] not in ("", "0") else None


def find_phone_numbers(text):
    """Every Swedish phone number in the text: 8 to 10 digits with the trunk 0.

    08-123 456 78, 070-123 45 67, 070/123 45 67, 070.123.45.67, +46 (0)70 123 45 67,
    0046 70 123 45 67. Not dates, times and time ranges (blanked out first), and not amounts,
    postcodes or street numbers, which never start with 0.
    """
    found = []
    for run in _long_runs(text or ""):
        # Blanked out in the run alone, so that a place in it is its place in the text plus
        # where the run starts.
        masked = _without_dates_and_times(run.group())
        for part in _long_runs(masked):
            groups = _groups(masked, part)
            for first, last in _phones(groups, plus=masked[part.start()] == "+"):
                begin, end = run.start() + groups[first].start, run.start() + groups[last].end
                if text[begin - 1 : begin] in ("+", "("):  # +46 ..., (08) ...
                    begin -= 1
                found.append(text[begin:end])
    return found


def _phones(groups, *, plus):
    """(first, last) group of each phone number in a run, from the left."""
    start = 0
    while start < len(groups):
        lasts = [
            last
            # 0046 and a (0) make 15 digits at most.
            for last, _digits in _windows(groups, start, most=15)
            if 8 <= len(_phone_digits(groups, start, last, plus) or "") <= 10
        ]
        if lasts:
            yield start, lasts[-1]
            start = lasts[-1] + 1
        else:
            start += 1


# E-mail addresses ----------------------------------------------------------------------------

# anna.svensson@example.se, and as people hide them from harvesters: anna(at)example.se,
# anna [at] example [dot] se, anna(snabel-a)example(punkt)se.
_HIDDEN_AT = r"[(\[{<]\s*(?:at|snabel-?a)\s*[)\]}>]"
_AT = rf"(?:\s*@\s*|\s*{_HIDDEN_AT}\s*)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|punkt)\s*[)\]}>]\s*)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?!\w)", re.IGNORECASE
)


_HAS_AT = re.compile(rf"@|{_HIDDEN_AT}", re.IGNORECASE)


def find_email_addresses(text):
    text = text or ""
    if not _HAS_AT.search(text):
        return []  # the common case, found faster than by trying an address at every word
    return [match.group() for match in _EMAIL.finditer(text)]


# Vehicle registration numbers ----------------------------------------------------------------

# Three letters, two digits, a digit or a letter: ABC 123, abc-123, ABC12D. Swedish plates use
# no I, Q, V, Å, Ä or Ö, and no O last.
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"
_LAST_LETTERS = _PLATE_LETTERS.replace("O", "")
_PLATE = re.compile(
    rf"(?<!\w)(?P<letters>[{_PLATE_LETTERS}]{{3}})[ -]?\d\d[\d{_LAST_LETTERS}](?!\w)",
    re.IGNORECASE,
)
# Common three-letter words (and abbreviations) that a number of three digits follows in an
# ordinary sentence: "45 personer och 123 fordon", "per 100 invånare", "rum 101", "SEK 500".
# Such a plate is let through; a sentence is far likelier than that plate.
_COMMON_WORDS = frozenset(
    " ".join(
        [
            # the small words of a sentence
            "och med som den det har nya tog ett var kan att men mot per hos sin sig oss dem",
            "han hon man ska upp ned ner tar ger bor gav kom bra ute nej jag",
            # numbers
            "tre fem sex sju tio",
            # units, currencies, rooms, case and flat numbers
            "rum hus box sal lgh ort tkr mkr sek eur usd kwh ggr dag ton mil",
            "dnr ref tel ant tot kap",
            # months and weekdays, abbreviated
            "jan feb mar apr maj jun jul aug sep okt dec ons tor fre",
            # English
            "the and for are was",
        ]
    ).split()
)


def find_registration_numbers(text):
    return [
        match.group()
        for match in _PLATE.finditer(text or "")
        if match["letters"].lower() not in _COMMON_WORDS
    ]


# The guard -----------------------------------------------------------------------------------

_FIELD = _("text")
# code → (what finds it, the message). The field's name and what was found are in each message,
# since an import error or a workflow message shows it away from the field.
_CHECKS = {
    "personal_number": (
        find_personal_numbers,
        _(
            "“%(field)s” contains what looks like a personal identity number (%(found)s). "
            "The portal stores no personal data: remove it."
        ),
    ),
    "email": (
        find_email_addresses,
        _(
            "“%(field)s” contains what looks like an e-mail address (%(found)s). "
            "The portal stores no personal data: remove it."
        ),
    ),
    "phone": (
        find_phone_numbers,
        _(
            "“%(field)s” contains what looks like a phone number (%(found)s). "
            "The portal stores no personal data: remove it."
        ),
    ),
    "registration_number": (
        find_registration_numbers,
        _(
            "“%(field)s” contains what looks like a vehicle registration number (%(found)s). "
            "The portal stores no personal data: remove it."
        ),
    ),
}
# A citizen may read it: nothing that identifies or reaches a person.
PUBLIC = ("personal_number", "email", "phone", "registration_number")
# Staff only (an internal note may name the duty officer's phone): no personal identity number.
INTERNAL = ("personal_number",)


def check_text(text, *, checks=PUBLIC, label=_FIELD):
    """Raise a ValidationError naming the field and each kind of personal data found in it.

    One error per kind found, each with its code, so that the writer sees everything to
    remove at once.
    """
    if not text:
        return
    errors = []
    for code in checks:
        find, message = _CHECKS[code]
        found = list(dict.fromkeys(find(text)))  # each once, in order
        if found:
            params = {"field": capfirst(label), "found": ", ".join(found)}
            errors.append(ValidationError(message, code=code, params=params))
    if errors:
        raise ValidationError(errors)


@deconstructible
class PersonalDataValidator:
    """The guard as a validator, for a form field: `label` names the field in the message."""

    def __init__(self, *, checks=PUBLIC, label=_FIELD):
        self.checks = tuple(checks)
        self.label = label

    def __call__(self, value):
        check_text(value, checks=self.checks, label=self.label)

    def __eq__(self, other):
        return (
            isinstance(other, PersonalDataValidator)
            and self.checks == other.checks
            and str(self.label) == str(other.label)
        )


# Named by the first migrations; fields now carry the guard themselves (commitments/fields.py).


def no_personal_data(text):
    """Staff-only text: no personal identity numbers."""
    check_text(text, checks=INTERNAL)


def no_contact_details(text):
    """Public text: no personal identity numbers, e-mail addresses, phones or plates."""
    check_text(text, checks=PUBLIC)
