"""The cells of an activity spreadsheet: Swedish cell formats, and lookups of commitments, types
and districts by name with a "did you mean".

Pure parsing, no writes: rows.py turns a parsed row into an Activity; the columns are
columns.py's. Every lookup is loaded once per file or chunk of rows, so a cell costs no query
of its own.
"""

import difflib
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from import_export import widgets

from ..exports import FORMULA_START
from ..models import ActivityType, Commitment, District, Measure

_LEADING_NUMBER = re.compile(r"^\s*(\d+)(?:[.\s]|$)")
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
_BOOLEANS = {
    "ja": True,
    "j": True,
    "yes": True,
    "y": True,
    "1": True,
    "x": True,
    "true": True,
    "sant": True,
    "nej": False,
    "n": False,
    "no": False,
    "0": False,
    "": False,
    "false": False,
    "falskt": False,
}


class CellError(ValueError):
    """A cell that cannot be read, with a code for tests and a message for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def normalise_header(text):
    return " ".join(str(text or "").split()).casefold()


def name_key(text):
    return " ".join(str(text).split()).casefold()


def cell_text(value):
    """A cell as text: numbers without a spurious .0, a neutralised formula prefix undone."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value == datetime.combine(value.date(), time()):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Our exports write ' before a text that starts like a formula; take it off again so that
    # an export re-imports unchanged.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


class TextWidget(widgets.Widget):
    def __init__(self, max_length=None):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    """Dates as Swedish Excel writes them: 2018-03-14, 14/3/2018, 14.3.2018, or a date cell."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if not text:
            raise CellError("required", _("Enter a date."))
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
            raise CellError(
                "impossible_date", _("The date %(date)s does not exist.") % {"date": text}
            )
        raise CellError(
            "date_format",
            _("“%(date)s” is not a date: write it as 2018-03-14, 14/3/2018 or 14.3.2018.")
            % {"date": text},
        )

    def render(self, value, obj=None, **kwargs):
        return value


def parse_decimal(value):
    """A number as Swedish Excel writes it: decimal comma, spaces between thousands."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = cell_text(value)
    for space in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(space, "")
    if not text:
        return None
    text = text.replace("\u2212", "-")
    if "," in text and "." in text:
        # The last separator is the decimal one; the other groups thousands.
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(
            "not_a_number", _("“%(value)s” is not a number.") % {"value": value}
        ) from None
    if not number.is_finite():
        raise CellError("not_a_number", _("“%(value)s” is not a number.") % {"value": value})
    return number


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value)

    def render(self, value, obj=None, **kwargs):
        return value


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        number = parse_decimal(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise CellError(
                "not_whole_number", _("“%(value)s” is not a whole number.") % {"value": value}
            )
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class PublicWidget(widgets.Widget):
    """The public flag: ja/nej, yes/no, 1/0, or x and an empty cell."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text not in _BOOLEANS:
            raise CellError(
                "not_yes_no",
                _("“%(value)s” is not a yes or no: write ja or nej (or x for yes).")
                % {"value": value},
            )
        return _BOOLEANS[text]

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nej"


def suggestion(text, choices):
    """The closest of the choices to a mistyped text, or None."""
    matches = difflib.get_close_matches(name_key(text), list(choices), n=1, cutoff=0.75)
    return choices[matches[0]] if matches else None


class Lookups:
    """What a file's rows refer to, loaded once: commitments, types, districts, measures."""

    def __init__(self, promise):
        self.promise = promise
        self.commitments = {
            c.number: c
            for c in Commitment.objects.filter(promise=promise).select_related("promise")
        }
        types = list(
            ActivityType.objects.filter(commitment__promise=promise).select_related("commitment")
        )
        measures = list(
            Measure.objects.filter(activity_type__commitment__promise=promise).order_by(
                "activity_type__commitment__number", "activity_type__order", "order", "name"
            )
        )
        by_type = {}
        for measure in measures:
            by_type.setdefault(measure.activity_type_id, []).append(measure)
        self.types_by_key = {}
        for activity_type in types:
            activity_type.commitment = self.commitments[activity_type.commitment.number]
            activity_type.measure_list = by_type.get(activity_type.pk, [])
            for key in {name_key(activity_type.name), name_key(activity_type.slug)}:
                self.types_by_key.setdefault(key, []).append(activity_type)
        self.type_names = {name_key(t.name): t.name for t in types}
        self.types_by_pk = {t.pk: t for t in types}
        self.districts_by_key = {}
        districts = list(District.objects.filter(promise=promise))
        for district in districts:
            self.districts_by_key[name_key(district.name)] = district
            self.districts_by_key[name_key(district.slug)] = district
        self.district_names = {name_key(d.name): d.name for d in districts}
        self.districts_by_pk = {d.pk: d for d in districts}
        self.commitments_by_pk = {c.pk: c for c in self.commitments.values()}
        # One column per measure name; the same name may serve several types.
        self.measure_names = []
        self.measures_by_name = {}
        for measure in measures:
            key = name_key(measure.name)
            if key not in self.measures_by_name:
                self.measure_names.append(measure.name)
                self.measures_by_name[key] = {}
            self.measures_by_name[key][measure.activity_type_id] = measure
        # The staff list's export heads a measure column "name (unit)".
        for measure in measures:
            with_unit = name_key(f"{measure.name} ({measure.unit})")
            self.measures_by_name.setdefault(
                with_unit, self.measures_by_name[name_key(measure.name)]
            )

    def commitment(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = cell_text(value)
        if not text:
            raise CellError("required", _("Enter the commitment's number."))
        match = _LEADING_NUMBER.match(text)
        if match and int(match.group(1)) in self.commitments:
            return self.commitments[int(match.group(1))]
        numbers = ", ".join(str(n) for n in sorted(self.commitments))
        raise CellError(
            "unknown_commitment",
            _("The promise has no commitment “%(value)s”; its commitments are %(numbers)s.")
            % {"value": text, "numbers": numbers},
        )

    def activity_type(self, value, commitment):
        text = cell_text(value)
        if not text:
            raise CellError("required", _("Enter the activity type."))
        candidates = self.types_by_key.get(name_key(text))
        if candidates:
            for candidate in candidates:
                if commitment is not None and candidate.commitment_id == commitment.pk:
                    return candidate
            return candidates[0]
        near = suggestion(text, self.type_names)
        if near:
            raise CellError(
                "unknown_type",
                _("Unknown activity type “%(value)s”. Did you mean “%(suggestion)s”?")
                % {"value": text, "suggestion": near},
            )
        raise CellError("unknown_type", _("Unknown activity type “%(value)s”.") % {"value": text})

    def district(self, value):
        text = cell_text(value)
        if not text:
            raise CellError("required", _("Enter the district."))
        district = self.districts_by_key.get(name_key(text))
        if district:
            return district
        near = suggestion(text, self.district_names)
        if near:
            raise CellError(
                "unknown_district",
                _("Unknown district “%(value)s”. Did you mean “%(suggestion)s”?")
                % {"value": text, "suggestion": near},
            )
        raise CellError(
            "unknown_district",
            _("The promise has no district “%(value)s”; its districts are %(names)s.")
            % {"value": text, "names": ", ".join(sorted(self.district_names.values()))},
        )


class LookupWidget(widgets.Widget):
    """A reference by number, name or slug, resolved from Lookups without a query."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.lookups = None

    def clean(self, value, row=None, **kwargs):
        if self.kind == "commitment":
            return self.lookups.commitment(value)
        if self.kind == "district":
            return self.lookups.district(value)
        try:
            commitment = self.lookups.commitment(row.get("commitment"))
        except ValueError:
            commitment = None
        return self.lookups.activity_type(value, commitment)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.number if self.kind == "commitment" else value.name
