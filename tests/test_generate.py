"""The national-scale generators: counts, coverage, valid rows, no personal data, determinism."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Q

from commitments.cache import home_version
from commitments.models import (
    Activity,
    ActivityType,
    ActivityValue,
    Commitment,
    District,
    Indicator,
    Promise,
)
from commitments.validators import no_contact_details, no_personal_data
from devtools.generate import (
    catalogue_texts,
    create_promises,
    generate_activities,
    generate_national,
    parse_years,
)

pytestmark = pytest.mark.django_db

METHODS = ["bulk_create"] + (["copy"] if connection.vendor == "postgresql" else [])


def activity_rows():
    return list(
        Activity.objects.order_by("id").values_list(
            "commitment__promise__slug",
            "commitment__number",
            "activity_type__slug",
            "district__slug",
            "organisation__slug",
            "date",
            "hours",
            "staff_count",
            "summary",
            "internal_note",
            "is_public",
        )
    )


@pytest.mark.parametrize("method", METHODS)
def test_national_generator_makes_the_promises_and_activities_asked_for(method):
    promises, result = generate_national(6, 3000, years=(2020, 2022), method=method)
    assert Promise.objects.count() == 6
    assert Activity.objects.count() == 3000 == result.activities
    assert ActivityValue.objects.count() == result.values > 0
    assert {p.start_date.year for p in promises} == {2020, 2021, 2022}


@pytest.mark.parametrize("method", METHODS)
def test_every_commitment_district_and_activity_type_gets_activities(method):
    generate_national(4, 2000, years=(2021, 2022), method=method)
    assert not Commitment.objects.filter(activities__isnull=True).exists()
    assert not District.objects.filter(activities__isnull=True).exists()
    assert not ActivityType.objects.filter(activities__isnull=True).exists()
    assert Activity.objects.filter(is_public=False).exists()
    assert Activity.objects.filter(is_public=True).exists()
    months = set(Activity.objects.values_list("date__month", flat=True))
    assert months == set(range(1, 13))


@pytest.mark.parametrize("method", METHODS)
def test_values_only_for_measures_of_the_activitys_type(method):
    generate_national(4, 1000, years=(2022, 2022), method=method)
    assert (
        ActivityValue.objects.exclude(measure__activity_type=F("activity__activity_type")).count()
        == 0
    )
    # ... and a value for every measure of the type.
    for activity in Activity.objects.prefetch_related("values", "activity_type__measures")[:200]:
        assert {v.measure_id for v in activity.values.all()} == {
            m.pk for m in activity.activity_type.measures.all()
        }


def test_dates_lie_within_each_promises_period_and_the_years_asked_for(eskilstuna):
    generate_national(6, 1200, years=(2019, 2021))
    generate_activities(500, promises=[eskilstuna], years=(2018, 2025))
    outside = Activity.objects.filter(
        Q(date__lt=F("commitment__promise__start_date"))
        | Q(date__gt=F("commitment__promise__end_date"))
    )
    assert not outside.exists()
    years = set(
        Activity.objects.exclude(commitment__promise=eskilstuna).values_list(
            "date__year", flat=True
        )
    )
    assert years == {2019, 2020, 2021}


def test_generated_rows_pass_model_validation_and_the_personal_data_guard(eskilstuna):
    generate_national(3, 300, years=(2023, 2023))
    generate_activities(100, promises=[eskilstuna])
    for text in catalogue_texts():
        no_contact_details(text)
    for model in (Promise, District, Commitment, ActivityType, Indicator):
        for obj in model.objects.all():
            obj.full_clean()
    for activity in Activity.objects.select_related("commitment__promise"):
        activity.full_clean()
    for value in ActivityValue.objects.select_related("measure", "activity")[:300]:
        value.full_clean()
    for promise in Promise.objects.exclude(pk=eskilstuna.pk):
        for text in (promise.introduction, promise.problem_picture, promise.goal):
            no_contact_details(text)
        assert "fiktiv" in promise.title.lower()
        assert not promise.signatories.exists()
    for note in Activity.objects.values_list("internal_note", flat=True).distinct():
        no_personal_data(note)
    assert not Activity.objects.filter(created_by__isnull=False).exists()


def test_the_same_seed_gives_the_same_activities(eskilstuna):
    generate_activities(400, promises=[eskilstuna], seed=7)
    first = activity_rows()
    Activity.objects.all().delete()
    generate_activities(400, promises=[eskilstuna], seed=7)
    assert activity_rows() == first
    Activity.objects.all().delete()
    generate_activities(400, promises=[eskilstuna], seed=8)
    assert activity_rows() != first


def test_promises_are_reused_by_slug_and_activities_are_added():
    generate_national(5, 500, years=(2024, 2024))
    counts = {m: m.objects.count() for m in (Promise, District, Commitment, ActivityType)}
    generate_national(5, 500, years=(2024, 2024))
    assert {m: m.objects.count() for m in counts} == counts
    assert Activity.objects.count() == 1000


def test_municipalities_have_a_promise_a_year_linked_to_the_previous_one():
    promises = create_promises(9, years=(2018, 2020))
    assert len({p.municipality_id for p in promises}) == 3
    later = [p for p in promises if p.start_date.year > 2018]
    assert all(p.previous.municipality_id == p.municipality_id for p in later)
    assert all(p.police_area.kind == "police" for p in promises)


def test_generate_activities_command_adds_to_one_promise(eskilstuna):
    out = io.StringIO()
    call_command(
        "generate_activities", count=250, promise="eskilstuna-2018", years="2018", stdout=out
    )
    assert Activity.objects.filter(commitment__promise=eskilstuna).count() == 250
    assert "rows/s" in out.getvalue()


def test_generate_activities_command_refuses_an_unknown_promise_and_empty_years(eskilstuna):
    with pytest.raises(CommandError, match="No promise"):
        call_command("generate_activities", count=10, promise="finns-inte", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No promise"):
        call_command(
            "generate_activities",
            count=10,
            promise="eskilstuna-2018",
            years="2030-2031",
            stdout=io.StringIO(),
        )
    assert parse_years("2018-2025") == (2018, 2025)
    with pytest.raises(ValueError):
        parse_years("2025-2018")


def test_generate_national_command_reports_its_rate():
    out = io.StringIO()
    call_command("generate_national", promises=2, activities=100, years="2025", stdout=out)
    assert Activity.objects.count() == 100
    assert "2 promises" in out.getvalue()


def test_generated_published_promises_are_readable_on_the_public_pages(client):
    generate_national(8, 400, years=(2022, 2025))
    for promise in Promise.objects.all():
        expected = 200 if promise.is_published else 404
        assert client.get(promise.get_absolute_url()).status_code == expected
        for commitment in promise.commitments.all():
            assert client.get(commitment.get_absolute_url()).status_code == expected


def test_generating_makes_the_promises_cached_public_pages_stale(eskilstuna):
    before = Promise.objects.get(pk=eskilstuna.pk).public_version
    generate_activities(50, promises=[eskilstuna])
    assert Promise.objects.get(pk=eskilstuna.pk).public_version > before
    home = home_version()
    create_promises(2, years=(2025, 2025))
    assert home_version() != home
