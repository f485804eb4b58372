"""The home page at national scale (issue 18): search, filters, pages, each promise at a glance."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.counties import County
from commitments.home import PER_PAGE
from followups.models import FollowUp

from .factories import (
    CommitmentAssessmentFactory,
    CommitmentFactory,
    MunicipalityFactory,
    PoliceFactory,
    PromiseFactory,
)
from .public_urls import body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def promises(n, *, year=2018, county=County.STOCKHOLM, start=0):
    made = []
    for i in range(start, start + n):
        municipality = MunicipalityFactory(name=f"Ort{i:03d} kommun", county=county)
        made.append(
            PromiseFactory(
                title=f"Medborgarlöfte Ort{i:03d} {year}",
                slug=f"ort{i:03d}-{year}",
                municipality=municipality,
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
            )
        )
    return made


def titles(response):
    return re.findall(r'<h2>\s*<a href="/loften/[^"]+/">([^<]+)</a>', body(response))


def test_the_promises_come_a_page_at_a_time_with_links_to_the_others(client):
    promises(PER_PAGE + 5)
    first = client.get("/")
    assert len(titles(first)) == PER_PAGE
    assert "25 löften · sida 1 av 2" in " ".join(body(first).split())
    assert 'href="?sida=2"' in body(first) and 'aria-current="page"' in body(first)
    second = client.get("/?sida=2")
    assert len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))
    assert client.get("/?sida=999").status_code == 200  # the last page, not an error


def test_search_finds_a_municipality_a_police_area_and_words_in_the_promise(client, eskilstuna):
    promises(3)
    assert titles(client.get("/?q=eskil")) == ["Medborgarlöfte Eskilstuna 2018"]
    assert titles(client.get("/?q=lokalpolisområde+Eskilstuna")) == [
        "Medborgarlöfte Eskilstuna 2018"
    ]
    # Words in a commitment, not in any title.
    commitment = eskilstuna.commitments.get(number=3)
    word = "kriminalitet"
    assert word in commitment.title.lower()
    assert titles(client.get(f"/?q={word}")) == ["Medborgarlöfte Eskilstuna 2018"]
    nothing = client.get("/?q=zzzxy")
    assert titles(nothing) == []
    assert "Inget löfte matchar" in body(nothing)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_search_stems_swedish_words(client, eskilstuna):
    promises(2)
    # "tryggheten" is not in the promise, "trygghet"/"trygga" are: the Swedish stemmer
    # brings them together.
    assert "tryggheten" not in eskilstuna.problem_picture.lower()
    assert titles(client.get("/?q=tryggheten")) == ["Medborgarlöfte Eskilstuna 2018"]


def test_filters_by_county_year_and_phase(client):
    promises(2, county=County.SKANE)
    promises(3, county=County.UPPSALA, start=10)
    promises(1, year=2019, county=County.UPPSALA, start=20)
    assert len(titles(client.get("/?lan=12"))) == 2
    assert len(titles(client.get("/?lan=03&ar=2019"))) == 1
    assert len(titles(client.get("/?ar=2018"))) == 5
    # Today is after 2019: every promise has ended, none is ongoing.
    assert len(titles(client.get("/?status=avslutade"))) == 6
    assert titles(client.get("/?status=pagaende")) == []


def test_bad_input_gets_a_swedish_message_and_filters_nothing(client):
    promises(2)
    response = client.get("/?ar=1999&lan=99")
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in body(response)
    assert len(titles(response)) == 2


def test_each_promise_shows_its_newest_follow_ups_assessments(client, eskilstuna):
    promises(2)
    older = FollowUp.objects.create(
        promise=eskilstuna,
        year=2018,
        tertial=1,
        state="published",
        published_at="2018-05-15T10:00Z",
    )
    newer = FollowUp.objects.create(
        promise=eskilstuna,
        year=2018,
        tertial=2,
        state="published",
        published_at="2018-09-15T10:00Z",
    )
    statuses = {1: "on_track", 2: "on_track", 3: "partly"}
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=older, commitment=commitment, status="not_on_track")
        CommitmentAssessmentFactory(
            followup=newer, commitment=commitment, status=statuses[commitment.number]
        )
    text = " ".join(body(client.get("/")).split())
    assert "Uppföljning T2 2018</a>:" in text
    assert "2 enligt plan</span>" in text and "1 delvis enligt plan</span>" in text
    assert "inte enligt plan" not in text
    assert text.count("Ingen uppföljning publicerad än.") == 2


def test_the_home_page_costs_the_same_queries_for_5_and_for_45_promises(client):
    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def with_follow_ups(made):
        for promise in made:
            commitment = CommitmentFactory(promise=promise)
            followup = FollowUp.objects.create(
                promise=promise,
                year=2018,
                tertial=1,
                state="published",
                published_at="2018-05-15T10:00Z",
            )
            CommitmentAssessmentFactory(followup=followup, commitment=commitment)

    with_follow_ups(promises(5, county=County.SKANE))
    urls = ["/", "/?lan=12", "/?q=Ort", "/?sida=2"]
    small = [count(url) for url in urls]
    with_follow_ups(promises(40, county=County.SKANE, start=100))
    large = [count(url) for url in urls]
    assert small == large, (small, large)
    assert max(large) <= 8


def test_filter_pages_are_kept_searches_are_not_and_none_sets_a_cookie(client):
    promises(3)
    for url, stored in [("/", True), ("/?lan=01&sida=1", True), ("/?q=Ort", False)]:
        first, second = client.get(url), client.get(url)
        assert not first.cookies and not second.cookies
        assert second["X-Page-Cache"] == ("hit" if stored else "uncached"), url
    assert client.get("/?utm_source=x")["X-Page-Cache"] == "uncached"
    # A kept filter page changes with the promises.
    assert len(titles(client.get("/?lan=01"))) == 3
    PromiseFactory(municipality=MunicipalityFactory(county=County.STOCKHOLM))
    assert len(titles(client.get("/?lan=01"))) == 4


def test_a_police_area_spanning_counties_is_found_by_its_municipalities_county(client):
    police = PoliceFactory(name="Lokalpolisområde Gränsbygd")
    for county in (County.DALARNA, County.GAVLEBORG):
        PromiseFactory(police_area=police, municipality=MunicipalityFactory(county=county))
    assert len(titles(client.get("/?lan=20"))) == 1
    assert len(titles(client.get("/?q=Gränsbygd"))) == 2


def test_a_page_whose_promises_have_no_follow_up_costs_the_same_queries(client, eskilstuna):
    # make bench found 6 queries with follow-ups listed and 5 without: an empty IN list
    # skipped the assessments' query. The count must not depend on the data.
    promises(3, county=County.SKANE)
    eskilstuna.municipality.county = County.SODERMANLAND
    eskilstuna.municipality.save()
    FollowUp.objects.create(
        promise=eskilstuna,
        year=2018,
        tertial=1,
        state="published",
        published_at="2018-05-15T10:00Z",
    )

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count("/?lan=12") == count("/?lan=04")
