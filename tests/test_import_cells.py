"""How the import reads one cell: Swedish Excel's dates, numbers and yes/no, as table tests."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from commitments.imports.cells import (
    CellError,
    DateWidget,
    PublicWidget,
    cell_text,
    normalise_header,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2018-03-14", date(2018, 3, 14)),
        ("14/3/2018", date(2018, 3, 14)),
        ("14.3.2018", date(2018, 3, 14)),
        ("04.03.2018", date(2018, 3, 4)),
        (" 2018-03-14 ", date(2018, 3, 14)),
        (datetime(2018, 3, 14), date(2018, 3, 14)),
        (date(2018, 3, 14), date(2018, 3, 14)),
    ],
)
def test_dates_are_read_in_every_way_swedish_excel_writes_them(cell, expected):
    assert DateWidget().clean(cell) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("2018-02-30", "impossible_date"),
        ("31/4/2018", "impossible_date"),
        ("3/14/2018", "impossible_date"),
        ("mars 2018", "date_format"),
        ("", "required"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(cell, code):
    with pytest.raises(CellError) as error:
        DateWidget().clean(cell)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("−3", Decimal(-3)),
        (2.5, Decimal("2.5")),
        (7, Decimal(7)),
        ("", None),
        (None, None),
    ],
)
def test_numbers_with_decimal_comma_and_spaces_are_read(cell, expected):
    assert parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["två", "2,5 h", "NaN", "inf"])
def test_a_cell_that_is_no_number_is_refused(cell):
    with pytest.raises(CellError) as error:
        parse_decimal(cell)
    assert error.value.code == "not_a_number"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ja", True),
        ("Ja", True),
        ("nej", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        (1, True),
        ("x", True),
        ("X", True),
        ("", False),
        (None, False),
        (True, True),
    ],
)
def test_the_public_flag_reads_ja_nej_yes_no_1_0_and_x(cell, expected):
    assert PublicWidget().clean(cell) is expected


def test_the_public_flag_refuses_anything_else():
    with pytest.raises(CellError) as error:
        PublicWidget().clean("kanske")
    assert error.value.code == "not_yes_no"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'=1+1", "=1+1"),
        ("'-2 grader", "-2 grader"),
        ("'@torget", "@torget"),
        ("'apostrof", "'apostrof"),
        (12.0, "12"),
        (datetime(2018, 3, 14), "2018-03-14"),
        (None, ""),
    ],
)
def test_a_cell_as_text_undoes_the_exports_neutralising(cell, expected):
    assert cell_text(cell) == expected


def test_headers_match_ignoring_case_and_surrounding_spaces():
    assert normalise_header("  ANTAL  Personal ") == "antal personal"
