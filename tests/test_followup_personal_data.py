"""Follow-ups refuse personal data on every path: staff pages, transitions and the admin."""

import pytest
from django.core.exceptions import ValidationError

from followups.models import FollowUp, FollowUpEvent

from .factories import CommitmentAssessmentFactory, FollowUpFactory, UserFactory

pytestmark = pytest.mark.django_db

# One of each: a personnummer, an e-mail address, a phone number and a registration plate.
PERSONAL_DATA = "Samtal med 811218–9876 (anna@example.se, 070-123 45 67) om bilen ABC 123."
FOUND = [
    ("ett personnummer", "811218–9876"),
    ("en e-postadress", "anna@example.se"),
    ("ett telefonnummer", "070-123 45 67"),
    ("ett registreringsnummer", "ABC 123"),
]
ALL_CODES = ["personal_number", "email", "phone", "registration_number"]


@pytest.fixture(autouse=True)
def private_media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(eskilstuna):
    followup = FollowUpFactory(promise=eskilstuna, year=2018, tertial=1, summary="Bra tertial.")
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment, done="Patruller.")
    return followup


@pytest.fixture
def cast(samordnare, ordforande, lpo_chef):
    return {"samordnare": samordnare, "ordforande": ordforande, "lpo_chef": lpo_chef}


def bring_to(followup, state, cast):
    order = ["draft", "in_review", "approved", "published"]
    if order.index(state) >= 1:
        followup.submit(by=cast["samordnare"])
    if order.index(state) >= 2:
        followup.approve(by=cast["ordforande"])
        followup.approve(by=cast["lpo_chef"])
    if order.index(state) >= 3:
        followup.publish(by=cast["samordnare"])
    return FollowUp.objects.get(pk=followup.pk)


def stored(promise):
    """Everything a refused request must leave as it was, read from the database."""
    followups = FollowUp.objects.filter(promise=promise).order_by("pk")
    return (
        list(followups.values_list("version", "state", "summary", "correction_reason")),
        list(
            followups.values_list(
                "assessments__justification",
                "assessments__done",
                "assessments__effect",
                "assessments__next_steps",
            )
        ),
        list(followups.values_list("approvals__comment")),
        list(FollowUpEvent.objects.filter(followup__in=followups).values_list("action", "comment")),
        FollowUp.history.count(),
    )


def codes(error):
    """The codes of a ValidationError, whether it holds a list or a dict of errors."""
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def edit_data(followup, **changes):
    """The edit page's form as the coordinator posts it, with some fields changed."""
    data = {"summary": followup.summary}
    for assessment in followup.assessments.select_related("commitment"):
        prefix = f"c{assessment.commitment.number}"
        for name in ["status", "justification", "done", "effect", "next_steps"]:
            data[f"{prefix}-{name}"] = getattr(assessment, name)
    return data | changes


def test_a_draft_summary_with_personal_data_is_refused_in_swedish_and_nothing_is_saved(
    client, samordnare, draft
):
    before = stored(draft.promise)
    client.force_login(samordnare)

    response = client.post(
        f"/personal/uppfoljningar/{draft.pk}/redigera/", edit_data(draft, summary=PERSONAL_DATA)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["summary"]
    assert [error.code for error in errors] == ALL_CODES
    for kind, found in FOUND:
        assert (
            f"”Sammanfattning” innehåller något som ser ut som {kind} ({found}). "
            "Portalen lagrar inga personuppgifter: ta bort det."
        ) in response.text
    assert PERSONAL_DATA in response.text  # kept in the box, to be corrected
    assert stored(draft.promise) == before


@pytest.mark.parametrize("field", ["justification", "done", "effect", "next_steps"])
def test_an_assessment_with_personal_data_is_refused_and_nothing_is_saved(
    client, samordnare, draft, field
):
    before = stored(draft.promise)
    client.force_login(samordnare)

    response = client.post(
        f"/personal/uppfoljningar/{draft.pk}/redigera/",
        edit_data(draft, **{f"c1-{field}": PERSONAL_DATA}),
    )

    assert response.status_code == 200
    part = next(p for p in response.context["parts"] if p.commitment.number == 1)
    assert [error.code for error in part.form.errors.as_data()[field]] == ALL_CODES
    assert stored(draft.promise) == before


def test_an_approval_comment_with_a_personnummer_is_refused_and_it_stays_in_review(
    client, cast, draft
):
    followup = bring_to(draft, "in_review", cast)
    before = stored(followup.promise)
    client.force_login(cast["ordforande"])

    response = client.post(
        f"/personal/uppfoljningar/{followup.pk}/godkann/", {"comment": "Godkänt. 811218-9876"}
    )

    assert response.status_code == 200
    errors = response.context["comment_form"].errors.as_data()["comment"]
    assert [error.code for error in errors] == ["personal_number"]
    assert "”Kommentar” innehåller något som ser ut som ett personnummer (811218-9876)." in (
        response.text
    )
    assert stored(followup.promise) == before
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.IN_REVIEW
    assert not followup.approvals.exists()


def test_a_comment_with_a_phone_number_is_refused_at_submission_too(client, samordnare, draft):
    before = stored(draft.promise)
    client.force_login(samordnare)

    response = client.post(
        f"/personal/uppfoljningar/{draft.pk}/skicka/", {"comment": "Frågor: 070-123 45 67"}
    )

    assert response.status_code == 200
    assert "”Kommentar” innehåller något som ser ut som ett telefonnummer" in response.text
    assert stored(draft.promise) == before


def test_a_correction_reason_with_personal_data_is_refused_and_no_version_is_made(
    client, cast, draft
):
    followup = bring_to(draft, "published", cast)
    before = stored(followup.promise)
    client.force_login(cast["samordnare"])

    response = client.post(
        f"/personal/uppfoljningar/{followup.pk}/korrigera/", {"reason": PERSONAL_DATA}
    )

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["reason"]] == (
        ALL_CODES
    )
    assert "”Skäl till rättelsen” innehåller något som ser ut som ett personnummer" in (
        response.text
    )
    assert stored(followup.promise) == before


def test_a_text_from_before_the_guard_is_not_published_and_the_page_says_why(client, cast, draft):
    followup = bring_to(draft, "approved", cast)
    # Written before the guard existed (an update() skips validation, as an old row did).
    FollowUp.objects.filter(pk=followup.pk).update(summary=PERSONAL_DATA)
    before = stored(followup.promise)
    client.force_login(cast["samordnare"])

    response = client.post(f"/personal/uppfoljningar/{followup.pk}/publicera/", follow=True)

    assert (
        "”Sammanfattning” innehåller något som ser ut som ett personnummer (811218–9876)."
        in response.text
    )
    assert stored(followup.promise) == before
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.APPROVED


def test_a_published_text_with_personal_data_is_corrected_and_fixed_before_it_goes_on(
    client, cast, draft
):
    """A text from before the guard is what a correction is for: the copy is made, and it is
    not submitted until its texts pass the guard."""
    followup = bring_to(draft, "published", cast)
    FollowUp.objects.filter(pk=followup.pk).update(summary=PERSONAL_DATA)  # from before the guard
    client.force_login(cast["samordnare"])

    response = client.post(
        f"/personal/uppfoljningar/{followup.pk}/korrigera/", {"reason": "Personuppgifter."}
    )

    assert response.status_code == 302
    correction = FollowUp.objects.get(promise=followup.promise, version=followup.version + 1)
    assert correction.summary == PERSONAL_DATA  # copied as it was, to be rewritten
    response = client.post(
        f"/personal/uppfoljningar/{correction.pk}/skicka/", {"comment": ""}, follow=True
    )
    assert "innehåller något som ser ut som ett personnummer" in response.text
    correction.refresh_from_db()
    assert correction.state == FollowUp.State.DRAFT
    correction.edit_text(
        by=cast["samordnare"],
        based_on=correction.revision,
        summary="Sammanfattning utan personuppgifter.",
        assessments=[],
    )
    correction.submit(by=cast["samordnare"])
    assert correction.state == FollowUp.State.IN_REVIEW


def test_an_assessment_from_before_the_guard_stops_the_submission(cast, draft):
    assessment = draft.assessments.first()
    type(assessment).objects.filter(pk=assessment.pk).update(done=PERSONAL_DATA)
    with pytest.raises(ValidationError) as error:
        FollowUp.objects.get(pk=draft.pk).submit(by=cast["samordnare"])
    assert "personal_number" in codes(error.value)
    draft.refresh_from_db()
    assert draft.state == FollowUp.State.DRAFT


# transition, the state it starts from, who does it, the call with a text of personal data
TRANSITIONS = [
    ("submit", "draft", "samordnare", lambda f, u, text: f.submit(by=u, comment=text)),
    ("approve", "in_review", "ordforande", lambda f, u, text: f.approve(by=u, comment=text)),
    (
        "return_to_draft",
        "in_review",
        "lpo_chef",
        lambda f, u, text: f.return_to_draft(by=u, comment=text),
    ),
    ("record_edit", "approved", "samordnare", lambda f, u, text: f.record_edit(by=u, comment=text)),
    ("publish", "approved", "ordforande", lambda f, u, text: f.publish(by=u, comment=text)),
    ("correct", "published", "samordnare", lambda f, u, text: f.correct(by=u, reason=text)),
]


@pytest.mark.parametrize(
    ("name", "state", "role", "call"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS]
)
def test_every_transition_refuses_a_personnummer_in_its_comment_and_writes_nothing(
    cast, draft, name, state, role, call
):
    followup = bring_to(draft, state, cast)
    before = stored(followup.promise)

    with pytest.raises(ValidationError) as error:
        call(followup, cast[role], "Gäller 811218-9876.")

    assert codes(error.value) == ["personal_number"]
    assert stored(followup.promise) == before


def test_the_staff_only_trail_takes_a_duty_phone_but_never_a_personnummer(samordnare, draft):
    event = FollowUpEvent(
        followup=draft,
        action=FollowUpEvent.Action.EDITED,
        by=samordnare,
        comment="Ring 070-123 45 67",
    )
    event.full_clean()
    event.comment = "Gäller 811218-9876."
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert codes(error.value) == ["personal_number"]


def admin_form_data(response):
    """The admin change form's data as the browser would post it back unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_the_admin_refuses_personal_data_too(client, draft):
    """The promise's own texts, as the operator edits them in the admin.

    (Follow-ups are read only in the admin: tests/test_admin_tenancy.py.)
    """
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    promise = draft.promise
    url = f"/admin/commitments/promise/{promise.pk}/change/"
    data = admin_form_data(client.get(url))
    before = promise.problem_picture

    response = client.post(url, data | {"problem_picture": PERSONAL_DATA})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["problem_picture"]
    assert [error.code for error in errors] == ALL_CODES
    assert "innehåller något som ser ut som ett personnummer" in response.text
    promise.refresh_from_db()
    assert promise.problem_picture == before
    # The form posted back as it was is accepted: the refusal is the personal data's.
    assert client.post(url, data).status_code == 302
