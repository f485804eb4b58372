"""The admin keeps tenants apart and published records as they are (issue 14, items 1, 2, 7).

Two tenants, Arboga and Västerås (tests/tenants.py), each with a coordinator. Only operators are
staff (issue 17): the admin is theirs, and coordinators are sent to its login
(tests/test_operators_admin.py). Its scoping stays as defence in depth, should anyone else ever
be made staff, so here each coordinator is made staff explicitly. The permission table
(test_permission_matrix.py) checks who gets into which page; here is what the pages hold and
what their POSTs may change: the change lists and the forms' choices hold only one's own
promise's rows, a crafted POST cannot reach or move another's, a follow-up is read only in the
admin, and an activity edited by two people at once loses nothing.
"""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commitments.models import Activity, District, Organisation, Promise
from commitments.scoped_admin import ScopedAdmin
from followups.models import FollowUp

from .tenants import build_tenant, operator


def _with_a_staff_coordinator(tenant):
    """The tenant, its coordinator made staff: what only a mistake could do since issue 17."""
    coordinator = tenant.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    return tenant


@pytest.fixture
def arboga(db):
    return _with_a_staff_coordinator(build_tenant("Arboga", "arboga"))


@pytest.fixture
def vasteras(db):
    return _with_a_staff_coordinator(build_tenant("Västerås", "vasteras"))


def _admin_url(row, view):
    meta = row._meta
    name = f"admin:{meta.app_label}_{meta.model_name}_{view}"
    return reverse(name, args=[row.pk] if view in ("change", "delete", "history") else [])


def _registered(tenant):
    """The tenant's rows of every model the admin registers."""
    return {model: row for model, row in tenant.rows.items() if model in site._registry}


def test_every_registered_model_of_the_portal_has_a_row_in_a_tenant(arboga):
    portal = {
        model
        for model in site._registry
        if model._meta.app_label in ("commitments", "followups") and model.__name__ != "User"
    }
    assert portal <= set(arboga.rows), portal - set(arboga.rows)


def test_change_lists_show_only_the_coordinators_own_rows(client, arboga, vasteras):
    client.force_login(arboga.users["coordinator"])
    for model, own in _registered(arboga).items():
        other = vasteras.rows[model]
        page = client.get(_admin_url(own, "changelist")).text
        assert _admin_url(own, "change") in page, model
        assert _admin_url(other, "change") not in page, model
        assert "Västerås" not in page, model


@pytest.mark.parametrize("view", ["add", "change"])
def test_no_choice_of_a_form_names_another_tenants_row(client, arboga, vasteras, view):
    client.force_login(arboga.users["coordinator"])
    for model, own in _registered(arboga).items():
        response = client.get(_admin_url(own, view))
        if response.status_code == 403:  # organisations: no adding; import records: none
            continue
        assert response.status_code == 200, (model, view)
        assert "Västerås" not in response.text, (model, view)


def test_another_tenants_rows_are_neither_shown_nor_changed_nor_deleted(client, arboga, vasteras):
    client.force_login(arboga.users["coordinator"])
    for model, other in _registered(vasteras).items():
        for view in ("change", "delete", "history"):
            response = client.get(_admin_url(other, view))
            assert response.status_code in (302, 403), (model, view)
            assert "Västerås" not in response.text
        client.post(_admin_url(other, "change"), {"name": "Arboga tog över"})
        client.post(_admin_url(other, "delete"), {"post": "yes"})
    for model, other in _registered(vasteras).items():
        assert model.objects.filter(pk=other.pk).exists(), model
    assert not Promise.objects.filter(title__contains="Arboga tog över").exists()
    assert District.objects.get(pk=vasteras.rows[District].pk).name == "Västerås Skultuna"


def test_a_crafted_post_cannot_add_a_row_to_another_tenants_promise(client, arboga, vasteras):
    client.force_login(arboga.users["coordinator"])
    response = client.post(
        reverse("admin:commitments_district_add"),
        {"promise": vasteras.promise.pk, "name": "Inkräktare", "slug": "ink", "kind": "priority"},
    )
    assert response.status_code == 200  # the form again, with the choice refused
    assert not District.objects.filter(slug="ink").exists()


def test_a_crafted_post_cannot_move_a_row_to_another_tenants_promise(client, arboga, vasteras):
    client.force_login(arboga.users["coordinator"])
    district = arboga.rows[District]
    client.post(
        _admin_url(district, "change"),
        {
            "promise": vasteras.promise.pk,
            "name": district.name,
            "slug": "flyttad",
            "kind": "priority",
        },
    )
    district.refresh_from_db()
    assert (district.promise_id, district.slug) == (arboga.promise.pk, "skultuna")


def test_a_coordinator_cannot_take_over_a_promise_by_changing_its_signatories(
    client, arboga, vasteras
):
    """Even with the choice offered, the save is checked on the promise as the form left it."""
    admin = site._registry[Promise]
    assert isinstance(admin, ScopedAdmin)
    request = type("Request", (), {"user": arboga.users["coordinator"]})()
    promise = Promise.objects.get(pk=arboga.promise.pk)
    promise.municipality = vasteras.municipality
    promise.police_area = vasteras.police_area
    with pytest.raises(PermissionDenied):
        admin.check_may_save(request, promise)


def test_an_activity_is_saved_only_for_an_organisation_the_coordinator_may_log_for(
    client, arboga, vasteras
):
    client.force_login(arboga.users["coordinator"])
    activity = arboga.rows[Activity]
    fields = {
        "commitment": activity.commitment_id,
        "activity_type": activity.activity_type_id,
        "district": activity.district_id,
        "organisation": vasteras.police_area.pk,
        "date": "2018-03-15",
        "hours": "1",
        "staff_count": "1",
        "summary": "",
        "internal_note": "",
        "is_public": "on",
        "external_id": "",
        "values-TOTAL_FORMS": "0",
        "values-INITIAL_FORMS": "0",
    }
    client.post(reverse("admin:commitments_activity_add"), fields)
    assert not Activity.objects.filter(
        organisation=vasteras.police_area, date="2018-03-15"
    ).exists()


def test_organisations_are_the_operators_to_change(client, arboga):
    client.force_login(arboga.users["coordinator"])
    municipality = arboga.municipality
    response = client.post(
        _admin_url(municipality, "change"),
        {"name": "Omdöpt", "slug": municipality.slug, "kind": "municipality"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=municipality.pk).name == "Arboga stad"


def test_the_history_revert_writes_nothing(client, arboga):
    activity = arboga.rows[Activity]
    record = activity.history.first()
    activity.summary = "Ändrad sedan."
    activity.save()
    client.force_login(operator())
    url = reverse(
        "admin:commitments_activity_simple_history", args=[activity.pk, record.history_id]
    )
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "Återställd"}).status_code == 403
    activity.refresh_from_db()
    assert activity.summary == "Ändrad sedan."


# Follow-ups: read only in the admin, for the operator too (item 2).


def _followup_post(followup, **changes):
    assessment = followup.assessments.get()
    fields = {
        "promise": followup.promise_id,
        "year": followup.year,
        "tertial": followup.tertial,
        "version": followup.version,
        "summary": "Omskriven efter godkännandet.",
        "pdf_status": "failed",
        "assessments-TOTAL_FORMS": "1",
        "assessments-INITIAL_FORMS": "1",
        "assessments-0-id": assessment.pk,
        "assessments-0-followup": followup.pk,
        "assessments-0-commitment": assessment.commitment_id,
        "assessments-0-status": "not_on_track",
        "assessments-0-justification": "Omskriven.",
        "approvals-TOTAL_FORMS": "0",
        "approvals-INITIAL_FORMS": "0",
    }
    return fields | changes


@pytest.mark.parametrize("state", ["published", "draft"])
def test_a_follow_up_is_read_only_in_the_admin_even_for_the_operator(
    client, arboga, vasteras, state
):
    followup = FollowUp.objects.get(promise=arboga.promise, state=state)
    before = (followup.summary, followup.promise_id, followup.version, followup.pdf_status)
    client.force_login(operator())
    page = client.get(_admin_url(followup, "change"))
    assert page.status_code == 200
    assert 'name="summary"' not in page.text
    assert 'name="assessments-0-justification"' not in page.text
    response = client.post(
        _admin_url(followup, "change"),
        _followup_post(followup, promise=vasteras.promise.pk, version=7),
    )
    assert response.status_code == 403
    followup.refresh_from_db()
    assert (followup.summary, followup.promise_id, followup.version, followup.pdf_status) == before
    assert followup.assessments.get().status == "on_track"


def test_follow_ups_are_not_added_in_the_admin(client, arboga):
    client.force_login(operator())
    assert client.get(reverse("admin:followups_followup_add")).status_code == 403


def test_a_draft_follow_up_may_still_be_deleted_by_its_coordinator(client, arboga):
    draft = FollowUp.objects.get(promise=arboga.promise, state="draft")
    client.force_login(arboga.users["coordinator"])
    client.post(_admin_url(draft, "delete"), {"post": "yes"})
    assert not FollowUp.objects.filter(pk=draft.pk).exists()


# Two people editing one activity in the admin (item 7).


def _activity_post(activity, version, summary):
    return {
        "commitment": activity.commitment_id,
        "activity_type": activity.activity_type_id,
        "district": activity.district_id,
        "organisation": activity.organisation_id,
        "date": activity.date.isoformat(),
        "hours": "2.5",
        "staff_count": "1",
        "summary": summary,
        "internal_note": "",
        "is_public": "on",
        "external_id": "",
        "version": version,
        "values-TOTAL_FORMS": "0",
        "values-INITIAL_FORMS": "0",
    }


def test_a_second_admin_save_of_one_activity_answers_409_with_the_first_change_shown(
    client, arboga
):
    activity = Activity.objects.get(pk=arboga.rows[Activity].pk)
    activity.values.all().delete()
    url = _admin_url(activity, "change")
    client.force_login(arboga.users["coordinator"])
    opened_on = activity.version
    first = client.post(url, _activity_post(activity, opened_on, "Först sparad."))
    assert first.status_code == 302
    second = client.post(url, _activity_post(activity, opened_on, "Sparad sist."))
    assert second.status_code == 409
    assert "Först sparad." in second.text
    activity.refresh_from_db()
    assert (activity.summary, activity.version) == ("Först sparad.", opened_on + 1)


def test_an_admin_save_based_on_the_current_version_goes_through(client, arboga):
    activity = Activity.objects.get(pk=arboga.rows[Activity].pk)
    activity.values.all().delete()
    client.force_login(arboga.users["coordinator"])
    response = client.post(
        _admin_url(activity, "change"), _activity_post(activity, activity.version, "Rättad.")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.summary == "Rättad."


def test_the_staff_form_opened_before_an_admin_edit_is_refused(client, arboga):
    activity = Activity.objects.get(pk=arboga.rows[Activity].pk)
    opened_on = activity.version
    activity.values.all().delete()
    client.force_login(arboga.users["coordinator"])
    client.post(_admin_url(activity, "change"), _activity_post(activity, opened_on, "Admin."))
    with pytest.raises(ValidationError) as stale:
        Activity.objects.get(pk=activity.pk).save_edit(based_on=opened_on, values={})
    assert stale.value.code == "stale"
