"""No lost updates: a save based on an older version is refused and shows the other change."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commitments.models import Activity, ActivityType, District

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(eskilstuna, polis):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    return ActivityFactory(
        activity_type=foot, district=skiftinge, hours=Decimal(3), created_by=polis
    )


def _post(activity, version, hours):
    return {
        "typ": activity.activity_type_id,
        "version": version,
        "district": activity.district_id,
        "date": "2018-03-14",
        "hours": hours,
        "staff_count": "2",
        "summary": "Fotpatrullering kring torget.",
        "is_public": "on",
        "organisation": activity.organisation_id,  # offered to coordinators only
    }


def test_the_second_of_two_edits_of_the_same_version_is_refused_with_the_other_change(
    client, polis, samordnare, activity
):
    url = f"/personal/aktiviteter/{activity.pk}/andra/"
    other = client.__class__()
    other.force_login(samordnare)
    client.force_login(polis)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in client.get(url).text
    assert 'name="version" value="1"' in other.get(url).text

    accepted = other.post(url, _post(activity, 1, "4"))
    assert accepted.status_code == 302, accepted.context["form"].errors
    refused = client.post(url, _post(activity, 1, "5"))

    assert refused.status_code == 409
    assert "Någon annan har sparat aktiviteten efter att du öppnade den" in refused.text
    assert "samordnare" in refused.text
    assert "Timmar: 3,00 → 4,00" in refused.text
    # The refused input is kept, now on the current version, so saving again is a choice.
    assert 'value="5"' in refused.text
    assert 'name="version" value="2"' in refused.text
    activity.refresh_from_db()
    assert activity.hours == Decimal(4)
    assert activity.version == 2


def test_save_edit_claims_the_version_in_the_database(activity):
    first = Activity.objects.get(pk=activity.pk)
    second = Activity.objects.get(pk=activity.pk)
    first.hours = Decimal(4)
    first.save_edit(based_on=1, values={})
    second.hours = Decimal(5)
    with pytest.raises(ValidationError) as refused:
        second.save_edit(based_on=1, values={})
    assert refused.value.code == "stale"
    activity.refresh_from_db()
    assert (activity.hours, activity.version) == (Decimal(4), 2)
    assert activity.history.count() == 2  # created, and the one accepted edit


def test_a_refused_edit_changes_nothing_not_even_the_version(activity):
    stale = Activity.objects.get(pk=activity.pk)
    Activity.objects.get(pk=activity.pk).save_edit(based_on=1, values={})
    stale.staff_count = 9
    with pytest.raises(ValidationError):
        stale.save_edit(based_on=1, values={})
    activity.refresh_from_db()
    assert (activity.staff_count, activity.version) == (2, 2)
