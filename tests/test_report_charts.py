"""The report's charts: the web page's plotly figures drawn as vector SVG by kaleido in Debian's
Chromium, and embedded in the PDF as vectors (not pictures of pixels).

The rest of the suite renders reports without a browser (tests/conftest.py) for speed; this
module turns it back on. CI installs Chromium (.ci/run), so its absence is a failure here.
"""

import base64
import io
import os
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from commitments.models import Indicator
from followups import reports

from .factories import FollowUpFactory, MeasurementFactory

pytestmark = pytest.mark.django_db
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(settings):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    settings.BROWSER_PATH = CHROMIUM


@pytest.fixture
def followup(eskilstuna):
    indicator = Indicator.objects.create(
        promise=eskilstuna,
        name="Andel otrygga",
        unit="procent",
        direction=Indicator.Direction.LOWER,
        kind=Indicator.Kind.MEASURED,
        baseline_value=Decimal("38.0"),
        target_value=Decimal("30.0"),
        source="Trygghetsmätningen",
    )
    MeasurementFactory(
        indicator=indicator,
        value=Decimal("41.7"),
        period_start=date(2017, 9, 1),
        period_end=date(2017, 12, 31),
    )
    MeasurementFactory(indicator=indicator, value=Decimal("35.2"))
    return FollowUpFactory(promise=eskilstuna, summary="Tertialen i korthet.")


def test_the_report_draws_each_chart_as_svg_in_the_report_font(browser, followup):
    context = reports.build_context(followup)
    reports.attach_svg_charts(context["indicator_items"])
    charted = [item for item in context["indicator_items"] if item.chart]
    assert charted, "the measured indicator has a chart on the web page, so also in the report"
    for item in charted:
        svg = base64.b64decode(item.chart["svg"]).decode()
        assert svg.lstrip().startswith("<svg")
        assert "Source Sans 3" in svg


def test_the_pdf_with_charts_holds_them_as_vector_drawings(browser, followup):
    with_charts = PdfReader(io.BytesIO(reports.render_pdf(followup, draft=True)))
    without = PdfReader(io.BytesIO(reports.render_pdf(followup, draft=True, with_charts=False)))

    def drawing_operators(reader):
        # Path construction and painting in the page content streams: a vector chart adds
        # many; an embedded bitmap would add an image XObject instead.
        content = b"".join(page.get_contents().get_data() for page in reader.pages)
        return sum(content.count(op) for op in (b" l\n", b" c\n", b" re\n"))

    assert drawing_operators(with_charts) > drawing_operators(without) + 20
    images = [
        name
        for page in with_charts.pages
        for name, xobject in (page.get("/Resources", {}).get("/XObject", {}) or {}).items()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert images == []


def test_charts_are_drawn_also_when_the_caller_runs_an_event_loop(browser, followup):
    # asyncio.run refuses to start inside a running loop; an async caller (a worker built on
    # asyncio, Playwright's live server) must still get the charts, not the no-browser warning.
    import asyncio

    figure = {"data": [{"type": "bar", "x": ["T1"], "y": [3]}], "layout": {}}

    async def caller():
        return reports.svg_batch([figure])

    images = asyncio.run(caller())
    assert len(images) == 1 and images[0].lstrip().startswith(b"<svg")


def test_the_demo_t3_report_fits_in_8_pages_and_keeps_everything_the_page_shows(
    browser, monkeypatch
):
    # Issue 18: the chair's report opens with its answer, details with titled charts, and the
    # tables per district and tertial in the appendix; nothing the follow-up page shows is left
    # out, and the demo's T3 (three commitments, nine indicators) fits in at most 8 A4 pages.
    import re

    from django.core.management import call_command

    from followups.models import FollowUp

    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösenord-2018")
    call_command("seed_demo", stdout=io.StringIO())
    t3 = FollowUp.objects.get(tertial=3)
    reader = PdfReader(io.BytesIO(reports.render_pdf(t3)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) <= 8, f"{len(pages)} pages"
    assert f"Sida 1 av {len(pages)}" in pages[0]

    context = reports.build_context(t3)
    first = pages[0]
    for part in context["parts"]:
        # Page 1: each commitment's status in words and its key figure against its target.
        assert part.assessment.get_status_display().capitalize() in first
        assert part.key_indicator.indicator.name in first
        assert part.key_indicator.progress in first
    appendix_at = next(n for n, text in enumerate(pages) if "Bilaga: siffrorna" in text)
    appendix = " ".join(pages[appendix_at:])
    body = " ".join(pages[:appendix_at])
    for part in context["parts"]:
        for table in part.tables:
            assert table.activity_type.name in appendix
        for item in part.indicators:
            # Each chart in the body has a title; its figures are in the appendix.
            assert f"{item.indicator.name} ({item.indicator.unit}) per period" in appendix or (
                f"{item.indicator.name}: klar eller inte" in appendix
            )
            assert item.chart is None or item.chart["title"] in body
    assert len(re.findall("Siffrorna finns i bilagan", body)) == sum(
        1 for item in context["indicator_items"] if item.chart
    )
