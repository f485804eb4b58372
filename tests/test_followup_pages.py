"""Follow-up pages: staff URL × role, the calendar, drafting, past-due notices, next year."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import get_resolver

from commitments.models import Promise
from followups.models import FollowUp

from .factories import ActivityFactory, CommitmentAssessmentFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, year=2018, tertial=3)
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment)
    return followup


ROLES = ["anonymous", "polis", "kommun", "samordnare", "ordforande", "lpo_chef", "outsider"]
# staff URL name → (method, expected status per role, in the order of ROLES)
STAFF_URLS = {
    "calendar": ("get", [302, 200, 200, 200, 200, 200, 200]),
    "detail": ("get", [302, 200, 200, 200, 200, 200, 404]),
    "edit": ("get", [302, 403, 403, 200, 403, 403, 404]),
    "correct": ("get", [302, 403, 403, 403, 403, 403, 404]),
    "draft_pdf": ("get", [302, 403, 403, 200, 200, 200, 404]),
    "retry": ("post", [302, 403, 403, 302, 302, 302, 404]),
    "transition": ("post", [302, 403, 403, 302, 403, 403, 404]),
    "start": ("post", [302, 403, 403, 302, 403, 403, 404]),
    "register_past": ("get", [302, 403, 403, 200, 403, 403, 404]),
    "unreported": ("get", [302, 403, 403, 200, 403, 403, 404]),
    "unreported_remove": ("post", [302, 403, 403, 404, 403, 403, 404]),
}


def _url(name, draft):
    if name == "calendar":
        return "/personal/uppfoljningar/"
    if name == "start":
        return "/personal/uppfoljningar/eskilstuna-2018/2018-t2/ny/"
    if name in ("register_past", "unreported", "unreported_remove"):
        path = {"register_past": "efterregistrera/", "unreported": "inte-redovisad/"}.get(
            name, "inte-redovisad/ta-bort/"
        )
        return f"/personal/uppfoljningar/eskilstuna-2018/2018-t2/{path}"
    suffix = {
        "detail": "",
        "edit": "redigera/",
        "correct": "korrigera/",
        "draft_pdf": "utkast.pdf",
        "retry": "rapport/forsok-igen/",
        "transition": "skicka/",
    }[name]
    return f"/personal/uppfoljningar/{draft.pk}/{suffix}"


def test_every_staff_url_of_followups_has_a_row():
    names = {pattern.name for pattern in get_resolver("followups.staff_urls").url_patterns}
    assert names == set(STAFF_URLS)


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
@pytest.mark.parametrize("role", ROLES)
def test_staff_url_answers_each_role_as_the_table_says(request, client, draft, name, role):
    method, statuses = STAFF_URLS[name]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(_url(name, draft))
    assert response.status_code == statuses[ROLES.index(role)]


def test_the_calendar_shows_due_dates_and_states(client, samordnare, draft):
    client.force_login(samordnare)
    page = client.get("/personal/uppfoljningar/").text
    assert "31 maj 2018" in page and "30 september 2018" in page and "31 januari 2019" in page
    assert "Utkast" in page
    assert "Påbörja uppföljningen" in page


def test_the_coordinator_drafts_with_the_figures_in_view_and_an_edit_resets_approvals(
    client, samordnare, ordforande, draft
):
    commitment = draft.promise.commitments.get(number=1)
    activity_type = commitment.activity_types.first()
    ActivityFactory(
        activity_type=activity_type,
        district=commitment.districts.first(),
        date=date(2018, 10, 2),
        hours=Decimal("7.25"),
    )
    draft.submit(by=samordnare)
    draft.approve(by=ordforande)
    client.force_login(samordnare)
    page = client.get(f"/personal/uppfoljningar/{draft.pk}/redigera/")
    assert activity_type.name in page.text and "7,25" in page.text
    draft.refresh_from_db()
    data = {"summary": "Ny sammanfattning.", "revision": draft.revision}
    for commitment in draft.promise.commitments.all():
        prefix = f"c{commitment.number}"
        data |= {
            f"{prefix}-status": "partly_kept",  # T3 2018 is the final follow-up
            f"{prefix}-justification": "",
            f"{prefix}-done": "Patruller.",
        }
    response = client.post(f"/personal/uppfoljningar/{draft.pk}/redigera/", data)
    assert response.status_code == 200
    assert "Motivera bedömningen" in response.text
    for commitment in draft.promise.commitments.all():
        data[f"c{commitment.number}-justification"] = "Färre insatser än planerat."
    response = client.post(f"/personal/uppfoljningar/{draft.pk}/redigera/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == FollowUp.State.DRAFT
    assert not draft.approvals.exists()
    assert draft.summary == "Ny sammanfattning."


def test_the_workflow_runs_through_the_staff_pages(
    client, samordnare, ordforande, lpo_chef, draft, django_capture_on_commit_callbacks
):
    url = f"/personal/uppfoljningar/{draft.pk}/"
    client.force_login(samordnare)
    client.post(f"{url}skicka/", {"comment": "Klar."})
    for approver in (ordforande, lpo_chef):
        client.force_login(approver)
        client.post(f"{url}godkann/")
    draft.refresh_from_db()
    assert draft.state == FollowUp.State.APPROVED
    client.post(f"{url}publicera/")
    draft.refresh_from_db()
    assert draft.state == FollowUp.State.PUBLISHED
    assert draft.pdf_status == FollowUp.PdfStatus.PENDING
    assert "Klar." in client.get(url).text


def test_the_promise_page_says_when_a_follow_up_is_past_due(client, eskilstuna, draft):
    page = client.get("/loften/eskilstuna-2018/").text
    # 2018 is long past and nothing is published; T3's draft does not count as published.
    assert page.count("och är inte publicerad") == 3
    assert "31 januari 2019" in page


def test_a_coordinator_continues_the_promise_next_year(client, samordnare, eskilstuna):
    eskilstuna.indicators.create(
        name="Andel otrygga", unit="procent", direction="lower", kind="measured", source="Enkät"
    )
    client.force_login(samordnare)
    response = client.post("/personal/loften/eskilstuna-2018/kopiera/", {"year": 2019})
    assert response.status_code == 302
    copy = Promise.objects.get(slug="eskilstuna-2019")
    assert (copy.previous, copy.is_published) == (eskilstuna, False)
    assert copy.title == "Medborgarlöfte Eskilstuna 2019"
    assert (copy.start_date, copy.end_date) == (date(2019, 1, 1), date(2019, 12, 31))
    assert [c.text for c in copy.commitments.all()] == [
        c.text for c in eskilstuna.commitments.all()
    ]
    assert copy.districts.count() == eskilstuna.districts.count()
    assert copy.indicators.count() == 1
    copy.is_published = True
    copy.save()
    assert 'href="/loften/eskilstuna-2019/"' in client.get("/loften/eskilstuna-2018/").text
    assert 'href="/loften/eskilstuna-2018/"' in client.get("/loften/eskilstuna-2019/").text


def test_the_public_follow_up_page_costs_the_same_queries_at_any_volume(
    client, eskilstuna, draft, samordnare, ordforande, lpo_chef, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft.submit(by=samordnare)
    draft.approve(by=ordforande)
    draft.approve(by=lpo_chef)
    draft.publish(by=samordnare)
    url = "/loften/eskilstuna-2018/uppfoljningar/2018-t3/"
    commitment = eskilstuna.commitments.get(number=1)
    activity_type = commitment.activity_types.first()
    ActivityFactory(
        activity_type=activity_type, district=commitment.districts.first(), date=date(2018, 9, 5)
    )
    client.get(url)  # each summary's first build makes its state row: not a change's cost
    eskilstuna.touch()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for day in range(1, 29):
        for district in commitment.districts.all():
            ActivityFactory(
                activity_type=activity_type, district=district, date=date(2018, 10, day)
            )
    eskilstuna.touch()  # as a change through the staff area would: no cached page
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_public_follow_up_page_draws_the_charts_of_its_report(
    client, eskilstuna, draft, samordnare, ordforande, lpo_chef
):
    import json
    import re

    from followups.demo import seed_indicators

    seed_indicators(eskilstuna)
    draft.submit(by=samordnare)
    draft.approve(by=ordforande)
    draft.approve(by=lpo_chef)
    draft.publish(by=samordnare)
    page = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t3/").text
    # plotly.js and the chart script from our own static files, no inline script (strict CSP).
    assert "plotly-basic-4.1.1.min.js" in page and "js/charts.js" in page
    tags = re.findall(r"<script[^>]*>", page)
    assert all(' src="' in tag or 'type="application/json"' in tag for tag in tags)
    blocks = re.findall(
        r'<figure class="chart" data-chart="chart-(\d+)">.*?'
        r'<script id="chart-\1-data" type="application/json">(.*?)</script>.*?'
        r'<table class="figures stack">(.*?)</table>',
        page,
        re.S,
    )
    indicators = eskilstuna.indicators.count()
    assert indicators and len(blocks) == indicators
    for _pk, figure, table in blocks:
        # Every value the chart draws is in the table beside it: a bar's or a milestone's
        # step's as it is written on it, a line's point as a number.
        for trace in json.loads(figure)["data"]:
            if "text" in trace:
                for text in trace["text"]:
                    assert f">{html.escape(text)}</td>" in table, (text, trace["name"])
                continue
            for value in trace["y"]:
                if value is not None:
                    shown = f"{value:g}".replace(".", ",")
                    assert re.search(rf'<td class="num"[^>]*>{re.escape(shown)}</td>', table), (
                        shown,
                        trace["name"],
                    )


def test_indicators_show_their_values_across_the_years(client, eskilstuna, samordnare):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commitments import figures
    from commitments.copying import copy_to_year
    from commitments.models import Measurement
    from followups import reports

    survey = eskilstuna.indicators.create(
        name="Andel otrygga", unit="procent", direction="lower", kind="measured", source="Enkät"
    )
    commitment = eskilstuna.commitments.get(number=1)
    activity_type = commitment.activity_types.first()
    count = eskilstuna.indicators.create(
        name="Antal insatser",
        unit="st",
        direction="higher",
        kind="derived",
        aggregation="count",
        commitment=commitment,
    )
    count.activity_types.set([activity_type])
    Measurement.objects.create(
        indicator=survey, period_start=date(2018, 1, 1), period_end=date(2018, 4, 30), value=41.5
    )
    ActivityFactory(
        activity_type=activity_type, district=commitment.districts.first(), date=date(2018, 3, 5)
    )
    next_year = copy_to_year(eskilstuna, year=2019, by=samordnare)
    next_year.is_published = True
    next_year.save()
    Measurement.objects.create(
        indicator=next_year.indicators.get(name="Andel otrygga"),
        period_start=date(2019, 1, 1),
        period_end=date(2019, 4, 30),
        value=Decimal("37.25"),
    )
    next_commitment = next_year.commitments.get(number=1)
    for day in (3, 4):
        ActivityFactory(
            activity_type=next_commitment.activity_types.get(slug=activity_type.slug),
            district=next_year.districts.first(),
            date=date(2019, 2, day),
        )

    def items_of(promise):
        """This year's indicators with their earlier years' values, and the queries it took."""
        first, earlier, _successors = figures.public_promise(promise.slug)
        figures.for_promise(first, earlier=earlier)  # the summaries built
        promise, earlier, _successors = figures.public_promise(promise.slug)
        with CaptureQueriesContext(connection) as queries:
            shown = figures.for_promise(promise, earlier=earlier)
        return shown.indicators, len(queries)

    items, queries = items_of(next_year)
    by_name = {item.indicator.name: item for item in items}
    survey_points = [(p.label, p.value) for p in by_name["Andel otrygga"].points]
    assert survey_points == [("T1 2018", Decimal("41.5")), ("T1 2019", Decimal("37.25"))]
    assert by_name["Andel otrygga"].earlier == [eskilstuna]
    assert by_name["Andel otrygga"].latest.value == Decimal("37.25")  # this year's status
    derived = {p.label: p.value for p in by_name["Antal insatser"].points}
    assert (derived["T1 2018"], derived["T1 2019"]) == (1, 2)
    assert by_name["Antal insatser"].total == 2  # this year's total only
    # The earlier years come with this year's: the outline, the indicators and the cells in a
    # constant number of queries.
    assert queries <= 10

    # Constant queries: the same with one more year behind it.
    third = copy_to_year(next_year, year=2020, by=samordnare)
    third.is_published = True
    third.save()
    third_items, third_queries = items_of(third)
    assert third_queries == queries
    third_survey = next(i for i in third_items if i.indicator.name == "Andel otrygga")
    labels = [p.label for p in third_survey.points if p.label.startswith("T1")]
    assert labels == ["T1 2018", "T1 2019"]

    # The public pages and the report take them from the same function.
    page = client.get("/loften/eskilstuna-2019/").text
    assert "41,5" in page and "37,25" in page
    followup = FollowUpFactory(promise=next_year, year=2019, tertial=1)
    shown = {
        i.indicator.name: [p.label for p in i.points]
        for i in reports.build_context(followup)["indicator_items"]
    }
    assert shown["Andel otrygga"] == ["T1 2018", "T1 2019"]
