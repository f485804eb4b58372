"""Continuing a promise into its next period: as long as this one, named for its years."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from commitments.copying import copy_to_year, renamed

from .factories import PromiseFactory
from .tenants import member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "first", "last", "years", "expected"),
    [
        ("Medborgarlöfte Eskilstuna 2018", 2018, 2018, 1, "Medborgarlöfte Eskilstuna 2019"),
        ("eskilstuna-2018", 2018, 2018, 1, "eskilstuna-2019"),
        ("Medborgarlöfte Arboga 2019–2020", 2019, 2020, 2, "Medborgarlöfte Arboga 2021–2022"),
        ("arboga-2019-2020", 2019, 2020, 2, "arboga-2021-2022"),
        ("Löfte 2019 till 2020", 2019, 2020, 2, "Löfte 2021 till 2022"),
        ("Trygg stad", 2019, 2020, 2, "Trygg stad 2021"),
        # A year outside the period is a number of the text, not the period's.
        ("Sedan 2015: löftet 2019", 2019, 2019, 1, "Sedan 2015: löftet 2020"),
        ("Medborgarlöfte 2018–2020", 2018, 2020, 3, "Medborgarlöfte 2021–2023"),
    ],
)
def test_the_years_of_the_period_move_on(text, first, last, years, expected):
    assert renamed(text, first, last, years) == expected


@pytest.mark.parametrize(
    ("start", "end", "year", "new_start", "new_end"),
    [
        (date(2018, 1, 1), date(2018, 12, 31), 2019, date(2019, 1, 1), date(2019, 12, 31)),
        (date(2019, 1, 1), date(2020, 12, 31), 2021, date(2021, 1, 1), date(2022, 12, 31)),
        (date(2019, 3, 1), date(2020, 2, 29), 2021, date(2021, 3, 1), date(2022, 2, 28)),
        (date(2019, 1, 1), date(2020, 12, 31), 2023, date(2023, 1, 1), date(2024, 12, 31)),
    ],
)
def test_the_next_period_is_as_long_as_this_one(start, end, year, new_start, new_end):
    promise = PromiseFactory(
        title=f"Medborgarlöfte Arboga {start.year}–{end.year}",
        slug=f"arboga-{start.year}-{end.year}",
        start_date=start,
        end_date=end,
    )
    coordinator = member("arboga-samordnare", promise.municipality, "coordinator")
    copy = copy_to_year(promise, year=year, by=coordinator)
    assert (copy.start_date, copy.end_date) == (new_start, new_end)
    assert copy.previous == promise and not copy.is_published
    if start.year != end.year:
        assert copy.title == f"Medborgarlöfte Arboga {new_start.year}–{new_end.year}"
        assert copy.slug == f"arboga-{new_start.year}-{new_end.year}"


@pytest.mark.parametrize("year", [2019, 2020])
def test_a_next_period_that_overlaps_this_one_is_refused(year):
    promise = PromiseFactory(start_date=date(2019, 1, 1), end_date=date(2020, 12, 31))
    coordinator = member("samordnare-x", promise.municipality, "coordinator")
    with pytest.raises(ValidationError) as refused:
        copy_to_year(promise, year=year, by=coordinator)
    assert refused.value.error_dict["year"][0].code == "not_later"
