"""Public responses: security headers, no cookies, conditional GET, and the open-data formats."""

import csv
import gzip
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from commitments.models import ActivityType, District, Measure
from followups.demo import seed_indicators

from .factories import ActivityFactory, ActivityValueFactory, FollowUpFactory
from .public_urls import ARGUMENTS, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(eskilstuna):
    FollowUpFactory(promise=eskilstuna, tertial=1, state="published")
    return eskilstuna


def _all_urls():
    for language in ("sv", "en"):
        with translation.override(language):
            for name, kwargs in sorted(ARGUMENTS.items()):
                yield reverse(name, kwargs=kwargs)


def test_no_public_response_sets_a_cookie(client, published):
    for url in _all_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url


def test_public_responses_carry_the_security_headers(client, published):
    for url in _all_urls():
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
        assert "http" not in policy, url  # no third-party host
        assert "frame-ancestors 'none'" in policy, url
        assert "script-src 'self'" in policy, url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url


def test_pages_have_no_inline_script_and_load_plotly_only_with_a_chart(client, published):
    seed_indicators(published)
    with_chart = body(client.get("/loften/eskilstuna-2018/"))
    assert "plotly-basic-4.1.1.min.js" in with_chart
    assert 'type="application/json"' in with_chart
    for page in [with_chart, body(client.get("/tillganglighet/"))]:
        tags = re.findall(r"<script[^>]*>", page)
        assert all(' src="' in tag or 'type="application/json"' in tag for tag in tags)
        assert " style=" not in page
    assert "plotly" not in body(client.get("/tillganglighet/"))


@pytest.mark.parametrize(
    "path", ["data/aktiviteter.csv", "data/sammanstallning.json", "flode/"], ids=str
)
def test_open_data_and_feed_answer_a_conditional_get(client, published, path):
    url = f"/loften/eskilstuna-2018/{path}"
    first = client.get(url)
    body(first)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    published.touch()
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_the_csv_is_excel_friendly_and_neutralises_formulas(client, eskilstuna):
    activity = ActivityFactory(
        activity_type=ActivityType.objects.get(slug="trafikkontroll"),
        district=District.objects.get(slug="skiftinge"),
        date=date(2018, 3, 14),
        hours=Decimal("2.5"),
        summary='=HYPERLINK("http://example.com")',
    )
    ActivityValueFactory(
        activity=activity,
        measure=Measure.objects.get(name="Kontrollerade fordon"),
        value=Decimal("1234.5"),
    )
    response = client.get("/loften/eskilstuna-2018/data/aktiviteter.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert record["datum"] == "2018-03-14"
    assert record["timmar"] == "2,5"
    assert record["Trafikkontroll: Kontrollerade fordon (fordon)"] == "1234,5"
    assert record["publik sammanfattning"] == '\'=HYPERLINK("http://example.com")'
    assert "intern" not in ";".join(header).lower()


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_staff_area(client):
    text = client.get("/robots.txt").text
    assert "Disallow: /personal/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_every_public_page_in_both_languages(client, published):
    text = client.get("/sitemap.xml").text
    for path in [
        "/loften/eskilstuna-2018/",
        "/en/loften/eskilstuna-2018/",
        "/loften/eskilstuna-2018/atagande/3/",
        "/loften/eskilstuna-2018/omraden/skiftinge/",
        "/loften/eskilstuna-2018/uppfoljningar/2018-t1/",
        "/tillganglighet/",
    ]:
        assert f"http://testserver{path}<" in text, path


def test_the_accessibility_statement_has_the_required_parts(client):
    text = client.get("/tillganglighet/").text
    for part in [
        "delvis förenlig",
        "Innehåll som inte är tillgängligt",
        "Rapportera brister",
        "Myndigheten för digital förvaltning",
        "Digg",
    ]:
        assert part in text, part


def test_the_promise_page_with_its_charts_weighs_under_500_kb_compressed(client, published):
    seed_indicators(published)
    page = body(client.get("/loften/eskilstuna-2018/"))
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    assert "vendor/plotly/plotly-basic-4.1.1.min.js" in assets
    total = len(gzip.compress(page.encode()))
    for asset in assets:
        total += len(gzip.compress(Path(finders.find(asset)).read_bytes()))
    assert total <= 500_000
