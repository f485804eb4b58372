"""Logging, correcting, deleting and listing activities in the staff area, as staff do it."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commitments.exports import neutralise, number
from commitments.models import Activity, ActivityType, District

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foot_patrol(eskilstuna):
    return ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")


@pytest.fixture
def skiftinge(eskilstuna):
    return District.objects.get(promise=eskilstuna, slug="skiftinge")


def test_a_police_officer_logs_a_foot_patrol_and_corrects_its_hours(
    client, polis, foot_patrol, skiftinge
):
    client.force_login(polis)
    dashboard = client.get("/personal/")
    assert "Logga aktivitet" in dashboard.text

    chooser = client.get("/personal/aktiviteter/ny/")
    assert "Fotpatrullering" in chooser.text
    assert "<optgroup" in chooser.text

    form = client.get(f"/personal/aktiviteter/ny/?typ={foot_patrol.pk}")
    assert form.status_code == 200
    assert "Skiftinge" in form.text
    # The promise ended in 2018: the date defaults to its last day rather than today.
    assert 'value="2018-12-31"' in form.text

    response = client.post(
        "/personal/aktiviteter/ny/",
        {
            "typ": foot_patrol.pk,
            "district": skiftinge.pk,
            "date": "2018-10-02",
            "hours": "3",
            "staff_count": "2",
            "summary": "Fotpatrullering kring Skiftinge centrum.",
            "internal_note": "",
            "is_public": "on",
        },
    )
    activity = Activity.objects.get(summary="Fotpatrullering kring Skiftinge centrum.")
    assert response.status_code == 302
    assert response["Location"] == f"/personal/aktiviteter/{activity.pk}/"
    assert activity.organisation == polis.organisation
    assert activity.created_by == polis
    assert activity.commitment == foot_patrol.commitment

    recent = client.get("/personal/")
    assert "Fotpatrullering, Skiftinge" in recent.text
    assert f"/personal/aktiviteter/{activity.pk}/" in recent.text

    edit = client.get(f"/personal/aktiviteter/{activity.pk}/andra/")
    assert 'name="version" value="1"' in edit.text
    response = client.post(
        f"/personal/aktiviteter/{activity.pk}/andra/",
        {
            "typ": foot_patrol.pk,
            "version": "1",
            "district": skiftinge.pk,
            "date": "2018-10-02",
            "hours": "3.5",
            "staff_count": "2",
            "summary": "Fotpatrullering kring Skiftinge centrum.",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.hours == Decimal("3.5")
    assert activity.version == 2


def test_the_form_asks_for_each_measure_of_the_type_with_its_unit(client, polis, eskilstuna):
    traffic = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trafikkontroll")
    client.force_login(polis)
    form = client.get(f"/personal/aktiviteter/ny/?typ={traffic.pk}")
    for name, unit in [("Kontrollerade fordon", "fordon"), ("Misstänkt rattfylleri", "fall")]:
        assert name in form.text
        assert f"({unit})" in form.text
    measure = traffic.measures.get(name="Kontrollerade fordon")
    response = client.post(
        "/personal/aktiviteter/ny/",
        {
            "typ": traffic.pk,
            "district": traffic.commitment.districts.first().pk,
            "date": "2018-05-04",
            "hours": "2",
            "staff_count": "4",
            f"measure_{measure.pk}": "42",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(created_by=polis)
    assert {v.measure.name: v.value for v in activity.values.all()} == {
        "Kontrollerade fordon": Decimal(42)
    }


def test_the_form_defaults_to_the_type_and_district_used_last(client, polis, foot_patrol):
    lagersberg = District.objects.get(promise=foot_patrol.commitment.promise, slug="lagersberg")
    ActivityFactory(
        activity_type=foot_patrol, district=lagersberg, created_by=polis, date=date(2018, 2, 1)
    )
    client.force_login(polis)
    chooser = client.get("/personal/aktiviteter/ny/")
    assert f'value="{foot_patrol.pk}" selected' in chooser.text
    form = client.get(f"/personal/aktiviteter/ny/?typ={foot_patrol.pk}")
    assert f'value="{lagersberg.pk}" selected' in form.text


def test_a_type_of_a_promise_the_user_has_no_part_in_is_not_found(client, outsider, foot_patrol):
    client.force_login(outsider)
    assert client.get(f"/personal/aktiviteter/ny/?typ={foot_patrol.pk}").status_code == 404
    response = client.post("/personal/aktiviteter/ny/", {"typ": foot_patrol.pk})
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_deleting_asks_first_and_then_deletes(client, polis, foot_patrol):
    # Still within the publication delay: a draft no citizen has seen, so it may be deleted.
    activity = ActivityFactory(activity_type=foot_patrol, date=timezone.localdate())
    client.force_login(polis)
    confirm = client.get(f"/personal/aktiviteter/{activity.pk}/ta-bort/")
    assert "Ta bort aktiviteten?" in confirm.text
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = client.post(f"/personal/aktiviteter/{activity.pk}/ta-bort/")
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_the_list_filters_by_district_and_tertial_and_pages(client, samordnare, foot_patrol):
    promise = foot_patrol.commitment.promise
    skiftinge = District.objects.get(promise=promise, slug="skiftinge")
    froslunda = District.objects.get(promise=promise, slug="froslunda")
    ActivityFactory.create_batch(
        55, activity_type=foot_patrol, district=skiftinge, date=date(2018, 3, 1)
    )
    ActivityFactory(activity_type=foot_patrol, district=skiftinge, date=date(2018, 6, 1))
    ActivityFactory(activity_type=foot_patrol, district=froslunda, date=date(2018, 3, 1))
    client.force_login(samordnare)

    everything = client.get("/personal/aktiviteter/")
    assert everything.text.count('href="/personal/aktiviteter/') >= 50
    filtered = client.get(f"/personal/aktiviteter/?district={skiftinge.pk}&tertial=2018-t1")
    first_page = set(filtered.context["page"])
    assert len(first_page) == 50 and "Nästa" in filtered.text
    assert all(a.district == skiftinge and a.date == date(2018, 3, 1) for a in first_page)
    cursor = filtered.context["next"]
    second = client.get(
        f"/personal/aktiviteter/?district={skiftinge.pk}&tertial=2018-t1&efter={cursor}"
    )
    rest = set(second.context["page"])
    # Newest first by (date, id), each activity on exactly one page, no "next" after the last.
    assert len(rest) == 5 and not first_page & rest and second.context["next"] is None
    assert max(a.pk for a in rest) < min(a.pk for a in first_page)
    assert "Första sidan" in second.text
    assert client.get("/personal/aktiviteter/?efter=nonsense").status_code == 200


def test_the_pages_over_several_commitments_are_the_newest_first_without_gap_or_repeat(
    client, samordnare, eskilstuna
):
    # On PostgreSQL each commitment's newest come from its own branch of a UNION ALL; the
    # merged pages must be exactly the visible activities by (date, id), newest first.
    for index, commitment in enumerate(eskilstuna.commitments.all()):
        activity_type = commitment.activity_types.first()
        for day in (1, 2, 2, 3):
            ActivityFactory.create_batch(
                9, activity_type=activity_type, date=date(2018, 3, day + index % 2)
            )
    expected = list(
        Activity.objects.visible_to(samordnare)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
    )
    client.force_login(samordnare)
    seen, url = [], "/personal/aktiviteter/"
    while url:
        response = client.get(url)
        seen += [activity.pk for activity in response.context["page"]]
        cursor = response.context["next"]
        url = f"/personal/aktiviteter/?efter={cursor}" if cursor else None
    assert seen == expected and len(seen) > 100
    # Filtered to one commitment: one branch, the same order.
    first = eskilstuna.commitments.order_by("number").first()
    response = client.get(f"/personal/aktiviteter/?commitment={first.pk}")
    one = Activity.objects.visible_to(samordnare).filter(commitment=first)
    expected = list(one.order_by("-date", "-id").values_list("pk", flat=True)[:50])
    assert [activity.pk for activity in response.context["page"]] == expected


def test_the_list_answers_in_a_constant_number_of_queries(
    client, samordnare, foot_patrol, django_assert_max_num_queries
):
    ActivityFactory.create_batch(30, activity_type=foot_patrol)
    client.force_login(samordnare)
    with django_assert_max_num_queries(20):
        response = client.get("/personal/aktiviteter/")
    assert response.status_code == 200


def test_the_list_reads_the_users_commitment_ids_once(client, samordnare, foot_patrol):
    # The activity rules, the filter's choices and the page's UNION ALL branches all start
    # from them (permissions.commitment_ids); they were read three times per request.
    ActivityFactory.create_batch(3, activity_type=foot_patrol)
    client.force_login(samordnare)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/personal/aktiviteter/")
    assert response.status_code == 200
    id_reads = [
        q for q in queries if q["sql"].startswith('SELECT "commitments_commitment"."id" AS "pk"')
    ]
    assert len(id_reads) == 1


def test_the_csv_export_opens_in_swedish_excel_and_follows_the_filters(
    client, samordnare, eskilstuna
):
    traffic = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trafikkontroll")
    activity = ActivityFactory(
        activity_type=traffic,
        hours=Decimal("2.5"),
        summary="=HYPERLINK(1)",
        internal_note="@intern",
        district=District.objects.get(promise=eskilstuna, slug="skiftinge"),
    )
    activity.set_values({traffic.measures.get(name="Ordningsböter"): Decimal(3)})
    ActivityFactory(
        activity_type=traffic, district=District.objects.get(promise=eskilstuna, slug="centrum")
    )
    client.force_login(samordnare)
    response = client.get(f"/personal/aktiviteter/aktiviteter.csv?district={activity.district_id}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["Timmar"] == "2,5"
    assert row["Ordningsböter (st)"] == "3"
    assert row["Publik sammanfattning"] == "'=HYPERLINK(1)"
    assert row["Intern anteckning"] == "'@intern"
    assert row["Område"] == "Skiftinge"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+46", "'+46"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Fotpatrull", "Fotpatrull"),
        ("a=b", "a=b"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("2.50"), "2,5"), (Decimal("3.00"), "3"), (Decimal("300"), "300"), (None, "")],
)
def test_numbers_get_a_decimal_comma(value, expected):
    assert number(value) == expected


def test_the_dashboard_shows_what_is_missing_this_tertial(client, polis, foot_patrol):
    promise = foot_patrol.commitment.promise
    skiftinge = District.objects.get(promise=promise, slug="skiftinge")
    # The promise has ended: the dashboard shows its last tertial, T3 2018.
    ActivityFactory(activity_type=foot_patrol, district=skiftinge, date=date(2018, 10, 1))
    client.force_login(polis)
    response = client.get(reverse("staff:dashboard"))
    assert "T3 2018" in response.text
    assert "Saknas denna tertial" in response.text
    missing = response.text.split("Saknas denna tertial")[1]
    assert "1. " in missing and "Fröslunda" in missing
    assert "1. Synlig polis – Skiftinge" not in missing


def test_changing_the_type_drops_the_old_types_measure_values(client, polis, eskilstuna):
    traffic = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trafikkontroll")
    dialogue = ActivityType.objects.get(commitment__promise=eskilstuna, slug="medborgardialog")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    activity = ActivityFactory(activity_type=traffic, district=skiftinge)
    activity.set_values({traffic.measures.get(name="Ordningsböter"): Decimal(2)})
    reached = dialogue.measures.get()
    client.force_login(polis)
    response = client.post(
        f"/personal/aktiviteter/{activity.pk}/andra/",
        {
            "typ": dialogue.pk,
            "version": 1,
            "district": skiftinge.pk,
            "date": "2018-03-14",
            "hours": "2",
            "staff_count": "2",
            f"measure_{reached.pk}": "25",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.activity_type == dialogue
    assert [(v.measure, v.value) for v in activity.values.all()] == [(reached, Decimal(25))]
