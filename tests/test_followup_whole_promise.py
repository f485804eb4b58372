"""A follow-up covers its promise from the start to its tertial's end (issue 16, item 4).

The final report of a two-year promise once counted only its own calendar year: a lecture
held in the first year was shown as never held, in the signed PDF. The page, the JSON and
the PDF now take one set of figures (`figures.for_promise(promise, through=tertial)`).
"""

import json
import re
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from commitments import figures
from commitments.tertials import Tertial
from followups import reports
from followups.models import CommitmentAssessment, FollowUp

from .factories import (
    ActivityFactory,
    ActivityTypeFactory,
    CommitmentFactory,
    DistrictFactory,
    PromiseFactory,
)
from .public_urls import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years():
    """Arboga 2019–2020: a lecture in its first year, traffic controls in both."""
    promise = PromiseFactory(
        title="Medborgarlöfte Arboga 2019–2020",
        slug="arboga-2019-2020",
        start_date=date(2019, 1, 1),
        end_date=date(2020, 12, 31),
    )
    district = DistrictFactory(promise=promise, name="Centrum", slug="centrum")
    commitment = CommitmentFactory(promise=promise, number=1, title="Trafiken")
    lecture = ActivityTypeFactory(commitment=commitment, name="Föreläsning", slug="forelasning")
    control = ActivityTypeFactory(commitment=commitment, name="Trafikkontroll", slug="kontroll")
    ActivityFactory(activity_type=lecture, district=district, date=date(2019, 3, 12))
    for day in (date(2019, 2, 1), date(2019, 10, 1), date(2020, 5, 5), date(2020, 10, 20)):
        ActivityFactory(activity_type=control, district=district, date=day)
    return promise


def _published(promise, year, tertial):
    followup = FollowUp.objects.create(
        promise=promise,
        year=year,
        tertial=tertial,
        summary="Sammanfattning.",
        state=FollowUp.State.PUBLISHED,
        published_at=timezone.now(),
    )
    for commitment in promise.commitments.all():
        CommitmentAssessment.objects.create(
            followup=followup, commitment=commitment, status="on_track", justification="Ja."
        )
    return followup


def _counts(shown):
    (part,) = shown.commitments
    return {t.activity_type.name: t.total.count for t in part.tables}


@pytest.mark.parametrize(
    ("year", "tertial", "lectures", "controls", "tertials"),
    [
        (2019, 1, 1, 1, 1),
        (2019, 3, 1, 2, 3),
        (2020, 1, 1, 2, 4),
        (2020, 2, 1, 3, 5),
        (2020, 3, 1, 4, 6),  # the final report: both years, the first year's lecture too
    ],
)
def test_a_follow_up_counts_from_the_start_to_its_tertial(
    two_years, year, tertial, lectures, controls, tertials
):
    shown = figures.for_promise(two_years, through=Tertial(year, tertial))
    assert len(shown.tertials) == tertials
    assert _counts(shown) == {"Föreläsning": lectures, "Trafikkontroll": controls}


@pytest.mark.parametrize(
    ("through", "in_tertial"),
    [
        (Tertial(2019, 1), {"Föreläsning": 1, "Trafikkontroll": 1}),
        (Tertial(2020, 3), {"Trafikkontroll": 1}),
    ],
)
def test_beside_the_cumulative_figures_the_tertial_s_own(two_years, through, in_tertial):
    (part,) = figures.for_promise(two_years, through=through).commitments
    own = {t.activity_type.name: t.in_tertial(through) for t in part.tables}
    assert {name: row.count for name, row in own.items() if row} == in_tertial


def test_a_one_year_promise_reports_as_before(eskilstuna):
    shown = figures.for_promise(eskilstuna, through=Tertial(2018, 2))
    assert [str(t) for t in shown.tertials] == ["T1 2018", "T2 2018"]


def test_the_final_report_s_page_json_and_pdf_show_the_same_whole_period(client, two_years):
    final = _published(two_years, 2020, 3)
    page = " ".join(re.sub(r"<[^>]+>", " ", body(client.get(final.get_absolute_url()))).split())
    data = json.loads(body(client.get(f"{final.get_absolute_url()}sammanstallning.json")))
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(_pdf(final)).pages).split())
    (commitment,) = data["commitments"]
    tables = {t["activity_type"]: t for t in commitment["activities"]}
    assert data["through"] == "T3 2020"
    assert data["tertials"][0] == "T1 2019" and len(data["tertials"]) == 6
    assert tables["Föreläsning"]["total"]["count"] == 1
    assert tables["Föreläsning"]["in_tertial"] is None
    assert tables["Trafikkontroll"]["total"]["count"] == 4
    assert tables["Trafikkontroll"]["in_tertial"]["count"] == 1
    # The tertial's own figure and the one from the start, side by side, page and PDF alike.
    for text in (page, pdf):
        assert "Föreläsning (aktiviteter) 0 1" in text, text[:3000]
        assert "Trafikkontroll (aktiviteter) 1 4" in text
        assert "Från T1 2019–T3 2020" in text


def _pdf(followup):
    import io

    return io.BytesIO(reports.render_pdf(followup, with_charts=False))
