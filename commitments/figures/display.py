"""How a figure is written: on a page, in the CSV, in the JSON; and the figures not shown.

Sensitive activity types (e.g. social task-force cases about young people) concern few,
identifiable people. In public output their counts below `settings.SENSITIVE_THRESHOLD` are a
`Masked` value ("färre än 3"), never the number, and a total that would let a reader subtract
their way to a masked count is `Withheld`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext

ZERO = Decimal(0)


@dataclass(frozen=True)
class Masked:
    """A public count of a sensitive activity type too small to show: "färre än 3"."""

    threshold: int

    def __str__(self):
        return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}


@dataclass(frozen=True)
class Withheld:
    """A figure not shown because it would reveal a masked count by subtraction."""

    def __str__(self):
        return gettext("not shown")


def is_hidden(value):
    return isinstance(value, Masked | Withheld)


def _plain(value):
    """A Decimal without trailing zeros or exponent: 2.50 → 2.5, 100.00 → 100."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.normalize()
    return value


def display(value):
    """A figure as a reader sees it, in the active language: 1 234,5 in Swedish."""
    if value is None:
        return "–"
    if is_hidden(value):
        return str(value)
    return formats.number_format(_plain(value), use_l10n=True, force_grouping=True)


def machine(value):
    """A figure for the CSV: a decimal comma, no grouping, masked figures as words."""
    if value is None:
        return ""
    if is_hidden(value):
        return str(value)
    return str(_plain(value)).replace(".", ",")


def as_json(value):
    """A figure for the JSON: a number, or an object saying why there is none."""
    if isinstance(value, Masked):
        return {"fewer_than": value.threshold}
    if isinstance(value, Withheld):
        return {"withheld": True}
    value = _plain(value)
    return float(value) if isinstance(value, Decimal) else value
