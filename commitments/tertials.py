"""The tertial calendar: pure functions of dates, no database.

Three tertials a calendar year: T1 = 1 Jan–30 Apr (reported in May), T2 = 1 May–31 Aug
(reported in September), T3 = 1 Sep–31 Dec (reported in January the year after).

A promise reports on some of its tertials, by its reporting cadence (`Cadence`): every tertial,
twice a year (T2 and T3, in September and January) or once a year (T3, in January). Its last
tertial is always reported, whatever the cadence: that is the final follow-up, which gives
the verdict on the promise (`reported_tertials`, `final_tertial`).

It lives in `commitments` because the public figures bucket dates by tertial in the database
(`tertial_number`), and `commitments` may not import `followups`; `followups.tertials`
re-exports it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, IntegerField, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Cadence",
    "Tertial",
    "final_tertial",
    "reported_tertials",
    "tertial_number",
    "tertials_between",
]

# (first month, last month, report month, report in the following year)
_CALENDAR = {1: (1, 4, 5, False), 2: (5, 8, 9, False), 3: (9, 12, 1, True)}


@dataclass(frozen=True, order=True)
class Tertial:
    year: int
    number: int

    def __post_init__(self):
        if self.number not in _CALENDAR:
            raise ValueError(f"A tertial is numbered 1 to 3, not {self.number}.")

    @property
    def start(self):
        return date(self.year, _CALENDAR[self.number][0], 1)

    @property
    def end(self):
        last_month = _CALENDAR[self.number][1]
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    @property
    def report_month(self):
        """The first day of the month the follow-up is reported in."""
        _first, _last, month, next_year = _CALENDAR[self.number]
        return date(self.year + 1 if next_year else self.year, month, 1)

    @property
    def due_date(self):
        """The last day of the report month: the follow-up is past due after it."""
        month = self.report_month
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def slug(self):
        """As in the URL: 2018-t1."""
        return f"{self.year}-t{self.number}"

    def __str__(self):
        return f"T{self.number} {self.year}"

    def contains(self, day):
        return self.start <= day <= self.end

    @classmethod
    def of(cls, day):
        """The tertial a date falls in."""
        return cls(day.year, (day.month - 1) // 4 + 1)

    @classmethod
    def from_slug(cls, slug):
        """Parse '2018-t1'; ValueError when it is not a tertial."""
        year, _sep, number = slug.lower().partition("-t")
        if not (year.isdigit() and number.isdigit()):
            raise ValueError(f"Not a tertial: {slug!r}")
        return cls(int(year), int(number))


def tertials_between(start, end):
    """Every tertial that overlaps the period from start to end, in order."""
    tertials = []
    current = Tertial.of(start)
    while current.start <= end:
        tertials.append(current)
        year, number = (
            (current.year, current.number + 1)
            if current.number < 3
            else (
                current.year + 1,
                1,
            )
        )
        current = Tertial(year, number)
    return tertials


class Cadence(TextChoices):
    """How often a promise reports: the tertials of each year that get a follow-up."""

    TERTIAL = "tertial", _("every tertial")
    HALF_YEAR = "half_year", _("twice a year (after T2 and T3)")
    YEAR = "year", _("once a year (after T3)")


_REPORTED = {Cadence.TERTIAL: {1, 2, 3}, Cadence.HALF_YEAR: {2, 3}, Cadence.YEAR: {3}}


def final_tertial(start, end):
    """The last tertial of a promise running from start to end: its final follow-up."""
    return Tertial.of(end)


def reported_tertials(start, end, cadence):
    """The tertials of the period that are due a follow-up under the cadence, in order.

    The final tertial always is, so a promise ending in June still gets its verdict.
    """
    final = final_tertial(start, end)
    return [
        tertial
        for tertial in tertials_between(start, end)
        if tertial.number in _REPORTED[Cadence(cadence)] or tertial == final
    ]


def tertial_number(date_field):
    """A database expression: the tertial number (1-3) of a date field, by the calendar above.

    Used to group activities by tertial in SQL, so the page never loads rows to bucket them.
    """
    return Case(
        *(
            When(**{f"{date_field}__month__lte": last}, then=Value(number))
            for number, (_first, last, _report, _next) in sorted(_CALENDAR.items())
        ),
        output_field=IntegerField(),
    )
