"""The tertial calendar: pure functions of dates, no database (re-exported by followups).

Three tertials a calendar year: T1 = 1 Jan–30 Apr (reported in May), T2 = 1 May–31 Aug
(reported in September), T3 = 1 Sep–31 Dec (reported in January the year after).
"""

from dataclasses import dataclass
from datetime import date, timedelta

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
