"""Two people at once on one follow-up: nothing gets stuck and nobody's text is lost.

Both approvers may approve at the same moment (the transitions lock the follow-up's row), and
two coordinators may write one draft at once (a save based on an older revision answers 409
and shows the other's change).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from followups.models import Approval, CommitmentAssessment, FollowUp

from .factories import CommitmentAssessmentFactory, FollowUpFactory
from .tenants import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, year=2018, tertial=1, summary="Sammanfattning.")
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment)
    return followup


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL)"
)
def test_both_approvers_approving_at_once_always_end_approved(eskilstuna, samordnare):
    """50 rounds of two threads that approve the same follow-up at the same moment.

    Without the row lock, each transaction counted only its own approval: 3 rounds of 12
    stayed in review with both approvals (issue 14).
    """
    ordforande = member("ordf-race", eskilstuna.municipality, "approver")
    lpo_chef = member("lpo-race", eskilstuna.police_area, "approver")
    commitments = list(eskilstuna.commitments.all())
    stuck, errors = [], []
    for round_number in range(50):
        followup = FollowUp.objects.create(
            promise=eskilstuna, year=2018, tertial=1, version=round_number + 1, summary="Text."
        )
        for commitment in commitments:
            CommitmentAssessment.objects.create(
                followup=followup, commitment=commitment, status="on_track", justification="Ja."
            )
        followup.submit(by=samordnare)
        start = threading.Barrier(2)

        def approve(user, pk=followup.pk, start=start):
            try:
                mine = FollowUp.objects.select_related("promise").get(pk=pk)
                start.wait()
                mine.approve(by=user)
            except Exception as error:
                errors.append(repr(error))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=approve, args=(u,)) for u in (ordforande, lpo_chef)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        followup.refresh_from_db()
        if followup.state != FollowUp.State.APPROVED:
            stuck.append((round_number, followup.state))
        assert Approval.objects.filter(followup=followup).count() == 2
    assert errors == []
    assert stuck == []


def test_a_second_approval_by_the_same_organisation_is_refused(draft, samordnare, ordforande):
    draft.submit(by=samordnare)
    draft.approve(by=ordforande)
    second = member("ordf-2", draft.promise.municipality, "approver")
    with pytest.raises(ValidationError) as refused:
        FollowUp.objects.get(pk=draft.pk).approve(by=second)
    assert refused.value.code == "already_approved"


def test_a_transition_decides_on_the_saved_state_not_on_a_stale_copy(draft, samordnare, ordforande):
    """A copy loaded before the follow-up was submitted still sees it in review."""
    stale = FollowUp.objects.get(pk=draft.pk)
    draft.submit(by=samordnare)
    stale.approve(by=ordforande)
    assert stale.state == FollowUp.State.IN_REVIEW
    assert stale.approvals.count() == 1


# Two coordinators writing one draft.


def _edit_data(followup, revision, summary, justification="Enligt plan."):
    data = {"summary": summary, "revision": revision}
    for commitment in followup.promise.commitments.all():
        prefix = f"c{commitment.number}"
        data |= {
            f"{prefix}-status": "on_track",
            f"{prefix}-justification": justification,
            f"{prefix}-done": "",
            f"{prefix}-effect": "",
            f"{prefix}-next_steps": "",
        }
    return data


def test_the_second_of_two_edits_of_one_draft_answers_409_and_keeps_the_first(
    client, draft, samordnare
):
    police_coordinator = member("polis-samordnare", draft.promise.police_area, "coordinator")
    other = client.__class__()
    other.force_login(police_coordinator)
    client.force_login(samordnare)
    url = f"/personal/uppfoljningar/{draft.pk}/redigera/"
    assert 'name="revision" value="1"' in client.get(url).text
    assert 'name="revision" value="1"' in other.get(url).text

    first = other.post(url, _edit_data(draft, 1, "Polisens text.", "Polisens motivering."))
    assert first.status_code == 302
    second = client.post(url, _edit_data(draft, 1, "Kommunens text."))

    assert second.status_code == 409
    text = " ".join(second.text.split())
    assert "Någon annan har sparat uppföljningen efter att du öppnade den" in text
    assert "polis-samordnare" in text
    assert "Före: Sammanfattning. <br> Nu: Polisens text." in text
    assert "Polisens motivering." in text
    # The refused text is kept in the form, now on the saved revision.
    assert "Kommunens text." in second.text
    assert 'name="revision" value="2"' in second.text
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Polisens text.", 2)
    assert set(draft.assessments.values_list("justification", flat=True)) == {
        "Polisens motivering."
    }


def test_saving_again_on_the_current_revision_goes_through(client, draft, samordnare):
    client.force_login(samordnare)
    url = f"/personal/uppfoljningar/{draft.pk}/redigera/"
    assert client.post(url, _edit_data(draft, 1, "Först.")).status_code == 302
    assert client.post(url, _edit_data(draft, 2, "Sedan.")).status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Sedan.", 3)


def test_edit_text_refuses_a_stale_revision_and_changes_nothing(draft, samordnare):
    FollowUp.objects.get(pk=draft.pk).edit_text(
        by=samordnare, based_on=1, summary="Först.", assessments=[]
    )
    with pytest.raises(ValidationError) as refused:
        FollowUp.objects.get(pk=draft.pk).edit_text(
            by=samordnare, based_on=1, summary="Sist.", assessments=[]
        )
    assert refused.value.code == "stale"
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Först.", 2)


def test_a_stale_form_cannot_bring_back_a_state_changed_meanwhile(
    client, draft, samordnare, ordforande, lpo_chef
):
    """An edit page opened before publication cannot rewrite the published text."""
    client.force_login(samordnare)
    url = f"/personal/uppfoljningar/{draft.pk}/redigera/"
    client.get(url)
    draft.submit(by=samordnare)
    draft.approve(by=ordforande)
    draft.approve(by=lpo_chef)
    draft.publish(by=samordnare)
    response = client.post(url, _edit_data(draft, 1, "Efter publiceringen."))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.state, draft.summary) == (FollowUp.State.PUBLISHED, "Sammanfattning.")


def test_the_edit_page_saves_the_easy_to_read_text_and_a_stale_edit_shows_its_change(
    client, draft, samordnare
):
    client.force_login(samordnare)
    url = f"/personal/uppfoljningar/{draft.pk}/redigera/"
    first = _edit_data(draft, 1, "Sammanfattning.") | {"easy_read": "Det gick bra."}
    assert client.post(url, first).status_code == 302
    draft.refresh_from_db()
    assert (draft.easy_read, draft.revision) == ("Det gick bra.", 2)
    stale = _edit_data(draft, 1, "Sammanfattning.") | {"easy_read": "Det gick dåligt."}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Det gick bra." in response.text
    draft.refresh_from_db()
    assert draft.easy_read == "Det gick bra."
