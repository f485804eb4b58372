"""The tertial calendar, as a table: pure functions, no database."""

from datetime import date

import pytest

from followups.tertials import Tertial, tertials_between


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 1, 1), Tertial(2018, 1)),
        (date(2018, 4, 30), Tertial(2018, 1)),
        (date(2018, 5, 1), Tertial(2018, 2)),
        (date(2018, 8, 31), Tertial(2018, 2)),
        (date(2018, 9, 1), Tertial(2018, 3)),
        (date(2018, 12, 31), Tertial(2018, 3)),
    ],
)
def test_a_date_falls_in_its_tertial(day, expected):
    assert Tertial.of(day) == expected


@pytest.mark.parametrize(
    ("tertial", "start", "end", "report_month", "due"),
    [
        (
            Tertial(2018, 1),
            date(2018, 1, 1),
            date(2018, 4, 30),
            date(2018, 5, 1),
            date(2018, 5, 31),
        ),
        (
            Tertial(2018, 2),
            date(2018, 5, 1),
            date(2018, 8, 31),
            date(2018, 9, 1),
            date(2018, 9, 30),
        ),
        (
            Tertial(2018, 3),
            date(2018, 9, 1),
            date(2018, 12, 31),
            date(2019, 1, 1),
            date(2019, 1, 31),
        ),
        (
            Tertial(2020, 1),
            date(2020, 1, 1),
            date(2020, 4, 30),
            date(2020, 5, 1),
            date(2020, 5, 31),
        ),
    ],
)
def test_each_tertial_has_its_period_and_report_month(tertial, start, end, report_month, due):
    assert (tertial.start, tertial.end, tertial.report_month, tertial.due_date) == (
        start,
        end,
        report_month,
        due,
    )


def test_a_two_year_promise_has_six_tertials():
    tertials = tertials_between(date(2019, 1, 1), date(2020, 12, 31))
    assert [str(t) for t in tertials] == [
        "T1 2019",
        "T2 2019",
        "T3 2019",
        "T1 2020",
        "T2 2020",
        "T3 2020",
    ]


def test_a_period_starting_mid_tertial_includes_that_tertial():
    assert tertials_between(date(2018, 6, 15), date(2018, 9, 1)) == [
        Tertial(2018, 2),
        Tertial(2018, 3),
    ]


@pytest.mark.parametrize("number", [0, 4])
def test_a_tertial_is_numbered_one_to_three(number):
    with pytest.raises(ValueError):
        Tertial(2018, number)


@pytest.mark.parametrize(
    ("slug", "tertial"), [("2018-t1", Tertial(2018, 1)), ("2019-T3", Tertial(2019, 3))]
)
def test_a_slug_round_trips(slug, tertial):
    assert Tertial.from_slug(slug) == tertial
    assert Tertial.from_slug(tertial.slug) == tertial


@pytest.mark.parametrize("slug", ["2018", "t1", "2018-t4", "abcd-t1", "2018-tx"])
def test_a_bad_slug_is_refused(slug):
    with pytest.raises(ValueError):
        Tertial.from_slug(slug)
