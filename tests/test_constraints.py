"""Facts of the data are database constraints; rules needing context are model validation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Activity, ActivityValue, Commitment, District, Promise
from followups.models import FollowUp

from .factories import (
    ActivityFactory,
    ActivityTypeFactory,
    ActivityValueFactory,
    CommitmentFactory,
    DistrictFactory,
    FollowUpFactory,
    MeasureFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def error_codes(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return {field: [e.code for e in errors] for field, errors in error.value.error_dict.items()}


def test_promise_slugs_are_unique():
    PromiseFactory(slug="eskilstuna-2018")
    refused_by_database(lambda: PromiseFactory(slug="eskilstuna-2018"))


def test_a_promise_cannot_end_before_it_starts():
    refused_by_database(
        lambda: PromiseFactory(start_date=date(2018, 12, 31), end_date=date(2018, 1, 1))
    )


def test_district_slugs_are_unique_per_promise_only():
    district = DistrictFactory(slug="skiftinge")
    refused_by_database(lambda: DistrictFactory(promise=district.promise, slug="skiftinge"))
    DistrictFactory(slug="skiftinge")  # another promise may have its own Skiftinge
    assert District.objects.filter(slug="skiftinge").count() == 2


def test_a_duplicate_commitment_number_is_refused_with_a_message():
    commitment = CommitmentFactory(number=1)
    duplicate = Commitment(promise=commitment.promise, number=1, title="Igen", text="Text.")
    assert "__all__" in error_codes(duplicate)
    refused_by_database(lambda: CommitmentFactory(promise=commitment.promise, number=1))


def test_commitments_are_numbered_from_one():
    refused_by_database(lambda: CommitmentFactory(number=0))


def test_negative_hours_are_refused():
    activity = ActivityFactory()
    activity.hours = Decimal("-1")
    assert "hours" in error_codes(activity)
    refused_by_database(lambda: Activity.objects.filter(pk=activity.pk).update(hours=-1))


def test_negative_staff_counts_are_refused():
    activity = ActivityFactory()
    refused_by_database(lambda: Activity.objects.filter(pk=activity.pk).update(staff_count=-1))


def test_a_negative_measure_value_is_refused():
    value = ActivityValueFactory()
    value.value = Decimal("-3")
    assert "value" in error_codes(value)
    refused_by_database(lambda: ActivityValue.objects.filter(pk=value.pk).update(value=-3))


def test_an_activity_has_one_value_per_measure():
    value = ActivityValueFactory()
    refused_by_database(
        lambda: ActivityValue.objects.create(
            activity=value.activity, measure=value.measure, value=1
        )
    )


def test_a_value_only_for_a_measure_of_the_activitys_type():
    activity = ActivityFactory()
    other_measure = MeasureFactory(
        activity_type=ActivityTypeFactory(commitment=activity.commitment)
    )
    value = ActivityValue(activity=activity, measure=other_measure, value=Decimal(3))
    assert error_codes(value) == {"measure": ["measure_of_other_type"]}


def test_an_activity_dated_outside_its_promise_is_refused():
    activity = ActivityFactory()
    activity.date = date(2019, 1, 1)
    assert error_codes(activity) == {"date": ["outside_period"]}
    activity.date = date(2017, 12, 31)
    assert error_codes(activity) == {"date": ["outside_period"]}
    activity.date = date(2018, 12, 31)
    activity.full_clean()


def test_an_activity_type_of_another_commitment_is_refused():
    activity = ActivityFactory()
    activity.activity_type = ActivityTypeFactory()
    assert error_codes(activity) == {"activity_type": ["type_of_other_commitment"]}


def test_a_district_of_another_promise_is_refused():
    activity = ActivityFactory()
    activity.district = DistrictFactory()
    assert error_codes(activity) == {"district": ["district_of_other_promise"]}


def test_external_ids_are_unique_per_organisation_but_may_be_empty():
    first = ActivityFactory(external_id="rad-1")
    refused_by_database(
        lambda: ActivityFactory(
            external_id="rad-1",
            activity_type=first.activity_type,
            district=first.district,
        )
    )
    ActivityFactory(external_id="", activity_type=first.activity_type, district=first.district)
    ActivityFactory(external_id="", activity_type=first.activity_type, district=first.district)


@pytest.mark.parametrize("tertial", [0, 4])
def test_a_followup_tertial_is_one_to_three(tertial):
    refused_by_database(lambda: FollowUpFactory(tertial=tertial))


def test_one_followup_per_tertial_and_version():
    followup = FollowUpFactory(tertial=2)
    refused_by_database(lambda: FollowUpFactory(promise=followup.promise, tertial=2, version=1))
    FollowUpFactory(promise=followup.promise, tertial=2, version=2)
    assert FollowUp.objects.filter(promise=followup.promise).count() == 2


def test_followup_versions_start_at_one():
    refused_by_database(lambda: FollowUpFactory(version=0))


def test_a_promise_checks_its_organisations_kinds(eskilstuna):
    promise = Promise(
        municipality=eskilstuna.police_area,
        police_area=eskilstuna.municipality,
        title="Fel",
        slug="fel",
        start_date=date(2018, 1, 1),
        end_date=date(2018, 12, 31),
        problem_picture="x",
        goal="x",
        follow_up_plan="x",
        sources=["rumours"],
    )
    assert error_codes(promise) == {
        "municipality": ["invalid"],
        "police_area": ["invalid"],
        "sources": ["unknown_source"],
    }
