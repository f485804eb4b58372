"""No lost updates: a save based on an older version is refused and shows the other change."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL)"
)
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(eskilstuna):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    activity = ActivityFactory(activity_type=foot, district=skiftinge)
    both_loaded = threading.Barrier(2)
    outcomes = []

    def edit(hours):
        try:
            mine = Activity.objects.get(pk=activity.pk)
            both_loaded.wait()
            mine.hours = Decimal(hours)
            mine.save_edit(based_on=1, values={})
            outcomes.append(("saved", hours))
        except ValidationError as error:
            outcomes.append((error.code, hours))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(h,)) for h in ("4", "5")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(code for code, _hours in outcomes) == ["saved", "stale"]
    saved = next(hours for code, hours in outcomes if code == "saved")
    activity.refresh_from_db()
    assert (activity.hours, activity.version) == (Decimal(saved), 2)


def test_a_refused_edit_also_shows_the_other_persons_measure_values(client, polis, eskilstuna):
    traffic = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trafikkontroll")
    checked = traffic.measures.get(name="Kontrollerade fordon")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    activity = ActivityFactory(activity_type=traffic, district=skiftinge, created_by=polis)
    url = f"/personal/aktiviteter/{activity.pk}/andra/"
    client.force_login(polis)
    data = _post(activity, 1, "2") | {f"measure_{checked.pk}": "40"}
    data.pop("organisation")
    assert client.post(url, data).status_code == 302
    refused = client.post(url, data | {f"measure_{checked.pk}": "41"})
    assert refused.status_code == 409
    text = " ".join(refused.text.split())
    assert "Kontrollerade fordon: skapad 40 fordon (polis)" in text
    assert "40,00" not in text


# One submission, one activity: the new-activity form's one-time token.


def _new_activity_post(eskilstuna, token):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    return {
        "typ": foot.pk,
        "token": token,
        "district": skiftinge.pk,
        "date": "2018-03-14",
        "hours": "2",
        "staff_count": "2",
        "summary": "Fotpatrullering kring torget.",
        "is_public": "on",
    }


def test_the_new_activity_form_carries_a_fresh_one_time_token(client, polis, eskilstuna):
    client.force_login(polis)
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    first = client.get(f"/personal/aktiviteter/ny/?typ={foot.pk}").text
    second = client.get(f"/personal/aktiviteter/ny/?typ={foot.pk}").text
    tokens = [page.split('name="token" value="', 1)[1][:36] for page in (first, second)]
    assert tokens[0] != tokens[1]
    assert all(str(uuid.UUID(token)) == token for token in tokens)


def test_a_form_sent_twice_saves_one_activity_and_both_land_on_it(client, polis, eskilstuna):
    client.force_login(polis)
    data = _new_activity_post(eskilstuna, uuid.uuid4())
    first = client.post("/personal/aktiviteter/ny/", data)
    second = client.post("/personal/aktiviteter/ny/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Activity.objects.filter(created_by=polis).count() == 1


def test_two_forms_save_two_activities(client, polis, eskilstuna):
    client.force_login(polis)
    client.post("/personal/aktiviteter/ny/", _new_activity_post(eskilstuna, uuid.uuid4()))
    client.post("/personal/aktiviteter/ny/", _new_activity_post(eskilstuna, uuid.uuid4()))
    assert Activity.objects.filter(created_by=polis).count() == 2


def test_another_users_token_is_not_theirs_to_land_on(eskilstuna, polis, samordnare):
    token = uuid.uuid4()
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")

    def new():
        return Activity(
            commitment=foot.commitment,
            activity_type=foot,
            district=skiftinge,
            organisation=eskilstuna.police_area,
            date="2018-03-14",
        )

    new().save_new(by=polis, values={}, token=token)
    with pytest.raises(IntegrityError):
        new().save_new(by=samordnare, values={}, token=token)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
def test_three_simultaneous_sendings_of_one_form_save_one_activity(eskilstuna, polis):
    foot = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    token = uuid.uuid4()
    start = threading.Barrier(3)
    landed, errors = [], []

    def send():
        try:
            activity = Activity(
                commitment=foot.commitment,
                activity_type=foot,
                district=skiftinge,
                organisation=eskilstuna.police_area,
                date="2018-03-14",
            )
            start.wait()
            landed.append(activity.save_new(by=polis, values={}, token=token).pk)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Activity.objects.filter(submission_token=token).count() == 1
    assert len(set(landed)) == 1 and len(landed) == 3
