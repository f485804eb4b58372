"""Public records are not deleted (Swedish archive rules): admin and staff delete only drafts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Activity, ActivityType, Commitment, Promise
from followups.models import FollowUp

from .factories import ActivityFactory, FollowUpFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def delete_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])


def test_a_published_promise_cannot_be_deleted_in_the_admin(admin_client, eskilstuna):
    assert admin_client.get(delete_url(eskilstuna)).status_code == 403
    assert admin_client.post(delete_url(eskilstuna), {"post": "yes"}).status_code == 403
    assert Promise.objects.filter(pk=eskilstuna.pk).exists()


def test_a_once_published_promise_stays_even_when_withdrawn(admin_client, eskilstuna):
    Promise.objects.filter(pk=eskilstuna.pk).update(is_published=False, published_at=timezone.now())
    assert admin_client.get(delete_url(eskilstuna)).status_code == 403


def test_the_commitments_of_a_published_promise_cannot_be_deleted(admin_client, eskilstuna):
    commitment = eskilstuna.commitments.first()
    assert admin_client.post(delete_url(commitment), {"post": "yes"}).status_code == 403
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_the_bulk_delete_action_refuses_a_published_promise(admin_client, eskilstuna):
    response = admin_client.post(
        reverse("admin:commitments_promise_changelist"),
        {"action": "delete_selected", "_selected_action": [eskilstuna.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Promise.objects.filter(pk=eskilstuna.pk).exists()


def test_a_draft_promise_can_be_deleted(admin_client, eskilstuna):
    draft = Promise.objects.get(pk=eskilstuna.pk)
    draft.pk = None
    draft.slug = "utkast"
    draft.is_published = False
    draft.published_at = None
    draft.save()
    assert admin_client.post(delete_url(draft), {"post": "yes"}).status_code == 302
    assert not Promise.objects.filter(slug="utkast").exists()


@pytest.mark.parametrize("state", ["in_review", "approved", "published"])
def test_a_follow_up_past_draft_cannot_be_deleted(admin_client, eskilstuna, state):
    followup = FollowUpFactory(promise=eskilstuna, state=state)
    assert admin_client.post(delete_url(followup), {"post": "yes"}).status_code == 403
    assert FollowUp.objects.filter(pk=followup.pk).exists()


def test_a_draft_follow_up_can_be_deleted(admin_client, eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, state=FollowUp.State.DRAFT)
    assert admin_client.post(delete_url(followup), {"post": "yes"}).status_code == 302
    assert not FollowUp.objects.filter(pk=followup.pk).exists()


@pytest.fixture
def foot(eskilstuna):
    return ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")


def test_a_public_activity_cannot_be_deleted_in_the_admin(admin_client, foot):
    activity = ActivityFactory(activity_type=foot)
    assert admin_client.get(delete_url(activity)).status_code == 403
    assert admin_client.post(delete_url(activity), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:commitments_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [activity.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_an_internal_activity_past_the_publication_delay_is_kept_too(admin_client, foot):
    activity = ActivityFactory(activity_type=foot, is_public=False)
    assert not activity.is_deletable()
    assert admin_client.post(delete_url(activity), {"post": "yes"}).status_code == 403


def test_an_activity_within_the_publication_delay_can_be_deleted(admin_client, foot):
    activity = ActivityFactory(activity_type=foot, date=timezone.localdate())
    assert admin_client.post(delete_url(activity), {"post": "yes"}).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_an_activity_of_a_never_published_promise_can_be_deleted(admin_client, foot):
    activity = ActivityFactory(activity_type=foot)
    Promise.objects.filter(pk=foot.commitment.promise_id).update(
        is_published=False, published_at=None
    )
    assert admin_client.post(delete_url(activity), {"post": "yes"}).status_code == 302


def test_the_staff_area_offers_no_deletion_of_a_public_activity(client, polis, foot):
    kept = ActivityFactory(activity_type=foot)
    draft = ActivityFactory(activity_type=foot, date=timezone.localdate())
    client.force_login(polis)
    page = client.get(f"/personal/aktiviteter/{kept.pk}/").text
    assert "/ta-bort/" not in page
    assert "arkivregler" in page
    assert client.get(f"/personal/aktiviteter/{kept.pk}/ta-bort/").status_code == 403
    assert client.post(f"/personal/aktiviteter/{kept.pk}/ta-bort/").status_code == 403
    assert Activity.objects.filter(pk=kept.pk).exists()
    assert (
        f"/personal/aktiviteter/{draft.pk}/ta-bort/"
        in client.get(f"/personal/aktiviteter/{draft.pk}/").text
    )
