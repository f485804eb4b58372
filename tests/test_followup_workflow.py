"""The follow-up workflow: every transition × role, dual approval, edits and corrections."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from followups.models import Approval, FollowUp, FollowUpEvent

from .factories import CommitmentAssessmentFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "polis", "kommun", "samordnare", "ordforande", "lpo_chef", "outsider"]


@pytest.fixture
def cast(request, polis, kommun, samordnare, ordforande, lpo_chef, outsider):
    return {
        "anonymous": AnonymousUser(),
        "polis": polis,
        "kommun": kommun,
        "samordnare": samordnare,
        "ordforande": ordforande,
        "lpo_chef": lpo_chef,
        "outsider": outsider,
    }


@pytest.fixture
def followup(eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, year=2018, tertial=1)
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment)
    return followup


def bring_to(followup, state, cast):
    """Move a draft along the workflow with the rightful users, up to `state`."""
    order = ["draft", "in_review", "approved", "published"]
    target = order.index(state)
    if target >= 1:
        followup.submit(by=cast["samordnare"])
    if target >= 2:
        followup.approve(by=cast["ordforande"])
        followup.approve(by=cast["lpo_chef"])
    if target >= 3:
        followup.publish(by=cast["samordnare"])
    followup.refresh_from_db()
    assert followup.state == state
    return followup


def _correct(followup, user):
    return followup.correct(by=user, reason="Fel siffra i sammanfattningen.")


# transition, state it starts from, call, roles that may do it
TRANSITIONS = [
    ("submit", "draft", lambda f, u: f.submit(by=u), {"samordnare"}),
    (
        "approve",
        "in_review",
        lambda f, u: f.approve(by=u, comment="OK"),
        {"ordforande", "lpo_chef"},
    ),
    (
        "return_to_draft",
        "in_review",
        lambda f, u: f.return_to_draft(by=u, comment="Komplettera"),
        {"samordnare", "ordforande", "lpo_chef"},
    ),
    ("record_edit", "approved", lambda f, u: f.record_edit(by=u), {"samordnare"}),
    ("publish", "approved", lambda f, u: f.publish(by=u), {"samordnare", "ordforande", "lpo_chef"}),
    ("correct", "published", _correct, {"samordnare"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "state", "call", "allowed"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS]
)
def test_each_transition_is_open_only_to_its_roles(
    followup, cast, role, name, state, call, allowed
):
    followup = bring_to(followup, state, cast)
    events_before = followup.events.count()
    if role in allowed:
        call(followup, cast[role])
        assert followup.events.count() > events_before
        assert followup.events.last().by == cast[role]
    else:
        with pytest.raises(PermissionDenied):
            call(followup, cast[role])
        followup.refresh_from_db()
        assert followup.state == state
        assert followup.events.count() == events_before


@pytest.mark.parametrize(
    ("name", "state", "call", "allowed"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS]
)
def test_a_transition_from_the_wrong_state_is_refused_with_a_code(
    followup, cast, name, state, call, allowed
):
    wrong = "published" if state != "published" else "draft"
    followup = bring_to(followup, wrong, cast)
    with pytest.raises(ValidationError) as error:
        call(followup, cast[sorted(allowed)[0]])
    assert error.value.code == "wrong_state"


def test_it_is_approved_only_when_both_signatories_have_approved(followup, cast):
    bring_to(followup, "in_review", cast)
    followup.approve(by=cast["ordforande"], comment="Bra rapport.")
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.IN_REVIEW
    followup.approve(by=cast["lpo_chef"])
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.APPROVED
    assert {a.organisation for a in followup.approvals.all()} == {
        followup.promise.municipality,
        followup.promise.police_area,
    }
    assert followup.approvals.get(approved_by=cast["ordforande"]).comment == "Bra rapport."


def test_an_organisation_approves_only_once(followup, cast, municipality_org):
    from commitments import roles

    from .conftest import _member

    second = _member("ordforande2", municipality_org, roles.APPROVER)
    bring_to(followup, "in_review", cast)
    followup.approve(by=cast["ordforande"])
    with pytest.raises(ValidationError) as error:
        followup.approve(by=second)
    assert error.value.code == "already_approved"
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.IN_REVIEW


def test_an_edit_after_an_approval_sends_it_back_to_draft_and_clears_approvals(followup, cast):
    bring_to(followup, "in_review", cast)
    followup.approve(by=cast["ordforande"])
    followup.summary = "Ny sammanfattning."
    followup.save()
    followup.record_edit(by=cast["samordnare"])
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.DRAFT
    assert not Approval.objects.filter(followup=followup).exists()
    assert followup.events.last().action == FollowUpEvent.Action.RETURNED


def test_an_edit_of_an_approved_follow_up_needs_both_approvals_again(followup, cast):
    bring_to(followup, "approved", cast)
    followup.record_edit(by=cast["samordnare"])
    followup.submit(by=cast["samordnare"])
    followup.approve(by=cast["lpo_chef"])
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.IN_REVIEW


def test_a_draft_without_an_assessment_of_every_commitment_cannot_be_submitted(
    eskilstuna, samordnare
):
    followup = FollowUpFactory(promise=eskilstuna)
    CommitmentAssessmentFactory(followup=followup, commitment=eskilstuna.commitments.first())
    with pytest.raises(ValidationError) as error:
        followup.submit(by=samordnare)
    assert error.value.code == "incomplete"


def test_every_step_is_in_the_audit_history_with_who_when_and_comment(followup, cast):
    followup.submit(by=cast["samordnare"], comment="Klar för granskning.")
    followup.approve(by=cast["ordforande"], comment="Godkänd av Trygga Eskilstuna.")
    followup.approve(by=cast["lpo_chef"])
    followup.publish(by=cast["lpo_chef"])
    events = [(e.action, e.by.username, e.comment) for e in followup.events.all()]
    assert events == [
        ("submitted", "samordnare", "Klar för granskning."),
        ("approved", "ordforande", "Godkänd av Trygga Eskilstuna."),
        ("approved", "lpo-chef", ""),
        ("published", "lpo-chef", ""),
    ]
    assert all(e.at for e in followup.events.all())
    states = [h.state for h in followup.history.order_by("history_date")]
    assert states[-1] == "published" and "in_review" in states and "approved" in states


def test_a_correction_is_a_new_version_with_a_reason_and_the_old_stays_published(followup, cast):
    bring_to(followup, "published", cast)
    with pytest.raises(ValidationError) as error:
        followup.correct(by=cast["samordnare"], reason="  ")
    assert error.value.error_dict["correction_reason"][0].code == "reason_required"
    correction = followup.correct(by=cast["samordnare"], reason="Fel antal timmar.")
    assert (correction.version, correction.state) == (2, FollowUp.State.DRAFT)
    assert correction.correction_reason == "Fel antal timmar."
    assert correction.assessments.count() == followup.assessments.count()
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.PUBLISHED
    with pytest.raises(ValidationError) as error:
        followup.correct(by=cast["samordnare"], reason="Igen.")
    assert error.value.code == "already_corrected"
