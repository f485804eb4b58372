"""The checkers themselves: a page with planted faults fails them, a clean page passes.

Without this a broken checker (a wrong tag list, a crashed validator, a misread report) would
turn every page check green.
"""

import pytest

from .checks import axe_violations, html_errors, sideways_scroll, tables_scrolling_sideways

pytestmark = pytest.mark.e2e

CLEAN = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ren sida</title></head>
<body><main><h1>Ren sida</h1><p id="a">Text.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="En punkt"></main></body>
</html>"""

# An image without alt text, a duplicate id, and a block wider than a phone.
FAULTY = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trasig sida</title></head>
<body><main><h1>Trasig sida</h1><p id="a">Text.</p><p id="a">Mer text.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<div style="width: 600px">Bred</div></main></body>
</html>"""


def test_axe_finds_an_image_without_alt_text(page):
    page.set_content(FAULTY)
    violations = axe_violations(page)
    assert any(v.startswith("image-alt ") for v in violations), violations


def test_axe_passes_a_clean_page(page):
    page.set_content(CLEAN)
    assert axe_violations(page) == []


def test_the_html_checker_finds_the_missing_alt_and_the_duplicate_id():
    errors = html_errors({"faulty": FAULTY, "clean": CLEAN})
    assert errors["clean"] == []
    assert any("alt" in error for error in errors["faulty"]), errors
    assert any("Duplicate ID" in error for error in errors["faulty"]), errors


def test_the_width_check_finds_a_page_that_scrolls_sideways(page):
    page.set_content(FAULTY)
    assert sideways_scroll(page) > 0
    page.set_content(CLEAN)
    assert sideways_scroll(page) == 0


WIDE_TABLE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tabell</title><style>.table-wrap { overflow-x: auto; }</style></head>
<body><main><h1>Tabell</h1><div class="table-wrap" tabindex="0"><table>
<caption>Bred tabell</caption><tr>{cells}</tr></table></div></main></body>
</html>"""


def test_the_phone_check_finds_a_table_that_scrolls_sideways(page):
    page.set_content(WIDE_TABLE.replace("{cells}", "<td>1234567890</td>" * 12))
    assert tables_scrolling_sideways(page) == [
        "390 px: Bred tabell",
        "320 px: Bred tabell",
    ]
    page.set_content(WIDE_TABLE.replace("{cells}", "<td>1</td>" * 3))
    assert tables_scrolling_sideways(page) == []
