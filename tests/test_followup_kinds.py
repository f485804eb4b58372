"""Reporting cadence, the final verdict and follow-ups registered afterwards (issue 16).

- A promise reports every tertial, twice a year or once a year; only due tertials can be past
  due, and a coordinator can mark a due one as not reported, with a public reason (item 3).
- The last tertial's follow-up gives the verdict on each commitment, uppfyllt / delvis
  uppfyllt / inte uppfyllt; the earlier ones say how the work goes (item 2).
- A report approved and published before the portal was used is entered with its real dates
  and signers, approved by both in the portal, and marked "efterregistrerad" (item 8).
"""

import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from commitments.tertials import Cadence, Tertial, final_tertial, reported_tertials
from followups import reports
from followups.forms import AssessmentForm
from followups.models import (
    CommitmentAssessment,
    FollowUp,
    FollowUpEvent,
    UnreportedTertial,
    calendar,
)

from .factories import CommitmentAssessmentFactory, FollowUpFactory, PromiseFactory
from .public_urls import body
from .tenants import second_tenant

pytestmark = pytest.mark.django_db

T = Tertial


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", body(response)).split())


def _pdf_text(followup):
    pdf = PdfReader(io.BytesIO(reports.render_pdf(followup, with_charts=False)))
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


# Item 3: which tertials are due, by cadence (commitments/tertials.py).


@pytest.mark.parametrize(
    ("start", "end", "cadence", "due"),
    [
        (
            date(2019, 1, 1),
            date(2019, 12, 31),
            Cadence.TERTIAL,
            [T(2019, 1), T(2019, 2), T(2019, 3)],
        ),
        (date(2019, 1, 1), date(2019, 12, 31), Cadence.HALF_YEAR, [T(2019, 2), T(2019, 3)]),
        (date(2019, 1, 1), date(2019, 12, 31), Cadence.YEAR, [T(2019, 3)]),
        (date(2019, 1, 1), date(2020, 12, 31), Cadence.YEAR, [T(2019, 3), T(2020, 3)]),
        (
            date(2019, 1, 1),
            date(2020, 12, 31),
            Cadence.HALF_YEAR,
            [T(2019, 2), T(2019, 3), T(2020, 2), T(2020, 3)],
        ),
        # A promise that ends in June still gets its final follow-up, whatever the cadence.
        (date(2019, 7, 1), date(2020, 6, 30), Cadence.YEAR, [T(2019, 3), T(2020, 2)]),
        # T2 2019 (May–August) overlaps the promise by two months: it is its first tertial.
        (
            date(2019, 7, 1),
            date(2020, 6, 30),
            Cadence.HALF_YEAR,
            [T(2019, 2), T(2019, 3), T(2020, 2)],
        ),
        (date(2019, 3, 1), date(2019, 4, 30), Cadence.YEAR, [T(2019, 1)]),
    ],
)
def test_the_cadence_says_which_tertials_are_due(start, end, cadence, due):
    assert reported_tertials(start, end, cadence) == due
    assert final_tertial(start, end) == due[-1]


def _promise(cadence, start=date(2019, 1, 1), end=date(2019, 12, 31), **extra):
    return PromiseFactory(start_date=start, end_date=end, reporting_cadence=cadence, **extra)


@pytest.mark.parametrize(
    ("cadence", "past_due", "not_due"),
    [
        (Cadence.TERTIAL, ["T1 2019", "T2 2019", "T3 2019"], []),
        (Cadence.HALF_YEAR, ["T2 2019", "T3 2019"], ["T1 2019"]),
        (Cadence.YEAR, ["T3 2019"], ["T1 2019", "T2 2019"]),
    ],
)
def test_only_due_tertials_are_past_due(cadence, past_due, not_due):
    rows = calendar(_promise(cadence), [], today=date(2020, 3, 1))
    assert [str(r.tertial) for r in rows if r.is_past_due] == past_due
    assert [str(r.tertial) for r in rows if not r.is_due] == not_due
    assert [str(r.tertial) for r in rows if r.is_final] == ["T3 2019"]


def test_a_yearly_promise_s_page_does_not_call_its_first_tertials_late(client):
    promise = _promise(Cadence.YEAR, is_published=True, published_at=timezone.now())
    page = _text(client.get(promise.get_absolute_url()))
    assert "Följs upp en gång om året (efter T3)" in page
    assert "T1 2019: Uppföljningen skulle ha redovisats" not in page
    assert "T2 2019:" not in page
    assert "T3 2019: Uppföljningen skulle ha redovisats senast 31 januari 2020" in page


# Item 3: a due tertial marked as not reported, with the public reason.


def test_a_coordinator_marks_a_due_tertial_not_reported_and_citizens_read_why(
    client, eskilstuna, samordnare
):
    client.force_login(samordnare)
    url = "/personal/uppfoljningar/eskilstuna-2018/2018-t1/inte-redovisad/"
    assert "Markera ett tertial som inte redovisat" in _text(client.get(url))
    reason = "Samordnaren var tjänstledig; T1 redovisas i T2:s uppföljning."
    response = client.post(url, {"reason": reason})
    assert response.status_code == 302
    mark = UnreportedTertial.objects.get(promise=eskilstuna, year=2018, tertial=1)
    assert (mark.reason, mark.marked_by) == (reason, samordnare)
    assert mark.history.count() == 1
    staff = _text(client.get("/personal/uppfoljningar/"))
    assert f"Redovisas inte: {reason}" in staff
    client.logout()
    page = _text(client.get(eskilstuna.get_absolute_url()))
    assert f"T1 2018: Redovisas inte. {reason}" in page
    assert "T1 2018: Uppföljningen skulle ha redovisats" not in page
    assert "T2 2018: Uppföljningen skulle ha redovisats" in page
    assert samordnare.username not in page


def test_unmarking_makes_the_tertial_due_again_and_the_history_keeps_both(
    client, eskilstuna, samordnare
):
    mark = UnreportedTertial.mark(
        promise=eskilstuna, tertial=T(2018, 1), reason="Glömdes bort.", by=samordnare
    )
    client.force_login(samordnare)
    response = client.post(
        "/personal/uppfoljningar/eskilstuna-2018/2018-t1/inte-redovisad/ta-bort/"
    )
    assert response.status_code == 302
    assert not UnreportedTertial.objects.exists()
    assert [h.history_type for h in mark.history.order_by("history_id")] == ["+", "-"]
    client.logout()
    assert "T1 2018: Uppföljningen skulle ha redovisats" in _text(
        client.get(eskilstuna.get_absolute_url())
    )


def _published(promise, tertial, by=None):
    followup = FollowUpFactory(
        promise=promise,
        year=tertial.year,
        tertial=tertial.number,
        state=FollowUp.State.PUBLISHED,
        published_at=timezone.now(),
        summary="Sammanfattning.",
    )
    for commitment in promise.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment)
    return followup


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("not_due", ValidationError),
        ("reported", ValidationError),
        ("no_reason", ValidationError),
        ("personal_number", ValidationError),
        ("police_officer", PermissionDenied),
        ("approver", PermissionDenied),
        ("other_municipality", PermissionDenied),
    ],
)
def test_a_mark_is_refused_and_changes_nothing(
    case, error, eskilstuna, samordnare, polis, ordforande
):
    by, tertial, reason = samordnare, T(2018, 1), "Skäl."
    if case == "not_due":
        eskilstuna.reporting_cadence = Cadence.YEAR
        eskilstuna.save()
    elif case == "reported":
        _published(eskilstuna, tertial)
    elif case == "no_reason":
        reason = "  "
    elif case == "personal_number":
        reason = "Ring 811218-9876."
    elif case == "police_officer":
        by = polis
    elif case == "approver":
        by = ordforande
    elif case == "other_municipality":
        by = second_tenant().users["coordinator"]
    version = eskilstuna.public_version
    with pytest.raises(error):
        UnreportedTertial.mark(promise=eskilstuna, tertial=tertial, reason=reason, by=by)
    assert not UnreportedTertial.objects.exists()
    eskilstuna.refresh_from_db()
    assert eskilstuna.public_version == version


def test_the_mark_form_says_what_is_wrong_in_swedish(client, eskilstuna, samordnare):
    client.force_login(samordnare)
    url = "/personal/uppfoljningar/eskilstuna-2018/2018-t1/inte-redovisad/"
    response = client.post(url, {"reason": "Ring 070-123 45 67."})
    assert response.status_code == 200
    assert "personnummer" in response.text or "telefonnummer" in response.text
    _published(eskilstuna, T(2018, 1))
    response = client.post(url, {"reason": "Skäl."})
    assert "Tertialet har en publicerad uppföljning." in response.text
    assert not UnreportedTertial.objects.exists()


def test_another_municipality_s_coordinator_cannot_open_the_mark_page(client, eskilstuna):
    client.force_login(second_tenant().users["coordinator"])
    url = "/personal/uppfoljningar/eskilstuna-2018/2018-t1/inte-redovisad/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Skäl."}).status_code == 404
    assert not UnreportedTertial.objects.exists()


# Item 2: the final follow-up gives the verdict.


@pytest.mark.parametrize(
    ("tertial", "allowed"),
    [
        (T(2018, 1), ["on_track", "partly", "not_on_track"]),
        (T(2018, 2), ["on_track", "partly", "not_on_track"]),
        (T(2018, 3), ["kept", "partly_kept", "not_kept"]),
    ],
)
def test_the_final_follow_up_offers_the_verdicts_and_the_others_the_progress(
    eskilstuna, tertial, allowed
):
    followup = FollowUpFactory(promise=eskilstuna, year=tertial.year, tertial=tertial.number)
    commitment = eskilstuna.commitments.first()
    form = AssessmentForm(instance=CommitmentAssessment(followup=followup, commitment=commitment))
    assert [value for value, _label in form.fields["status"].choices] == allowed
    assert followup.is_final == (tertial == T(2018, 3))


@pytest.mark.parametrize(
    ("tertial", "status", "message"),
    [
        (T(2018, 3), "on_track", "Den sista uppföljningen ger en slutbedömning"),
        (T(2018, 3), "partly", "Den sista uppföljningen ger en slutbedömning"),
        (T(2018, 1), "kept", "Bara den sista uppföljningen ger en slutbedömning"),
        (T(2018, 2), "not_kept", "Bara den sista uppföljningen ger en slutbedömning"),
    ],
)
def test_a_status_of_the_wrong_kind_is_refused(eskilstuna, tertial, status, message):
    followup = FollowUpFactory(promise=eskilstuna, year=tertial.year, tertial=tertial.number)
    assessment = CommitmentAssessment(
        followup=followup,
        commitment=eskilstuna.commitments.first(),
        status=status,
        justification="Skäl.",
    )
    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()
    assert message in " ".join(refused.value.messages)


def test_the_promise_page_shows_the_verdict_once_the_final_follow_up_is_published(
    client, eskilstuna
):
    _published(eskilstuna, T(2018, 2))
    page = _text(client.get(eskilstuna.get_absolute_url()))
    assert "Status: Enligt plan (bedömt i uppföljningen av T2 2018)" in page
    assert "Slutbedömning" not in page
    final = FollowUpFactory(promise=eskilstuna, year=2018, tertial=3, summary="Slut.")
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessment.objects.create(
            followup=final,
            commitment=commitment,
            status="partly_kept" if commitment.number == 2 else "kept",
            justification=f"Slutord om åtagande {commitment.number}.",
        )
    assert "Slutbedömning" not in _text(client.get(eskilstuna.get_absolute_url()))  # a draft
    FollowUp.objects.filter(pk=final.pk).update(
        state=FollowUp.State.PUBLISHED, published_at=timezone.now()
    )
    eskilstuna.touch()
    page = _text(client.get(eskilstuna.get_absolute_url()))
    assert "Slutbedömning: Uppfyllt (i den sista uppföljningen, T3 2018)" in page
    assert "Slutbedömning: Delvis uppfyllt" in page
    assert "Slutord om åtagande 2." in page
    commitment_page = _text(client.get("/loften/eskilstuna-2018/atagande/2/"))
    assert "Slutbedömning: Delvis uppfyllt" in commitment_page
    final.refresh_from_db()
    report = _text(client.get(final.get_absolute_url()))
    pdf = _pdf_text(final)
    for text in (report, pdf):
        assert "Slutbedömning" in text
        assert "Delvis uppfyllt. Slutord om åtagande 2." in text
        assert "Enligt plan" not in text


# Item 8: a follow-up registered afterwards.


REGISTER = "/personal/uppfoljningar/eskilstuna-2018/2018-t2/efterregistrera/"
GOOD = {
    "approved_on": "2018-09-20",
    "published_on": "2018-09-28",
    "signed_by": "Jimmy Jansson, kommunstyrelsens ordförande; Anna Berg, lokalpolisområdeschef",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"approved_on": "2018-08-31"}, "approved_on", "efter att dess tertial har slutat"),
        (
            {"published_on": "2018-09-19"},
            "published_on",
            "samma dag som den godkändes eller senare",
        ),
        ({"published_on": "2099-01-01"}, "published_on", "publicerades före i dag"),
        ({"signed_by": ""}, "signed_by", "Krävs för en efterregistrerad uppföljning."),
        ({"approved_on": ""}, "approved_on", "Krävs för en efterregistrerad uppföljning."),
        ({"signed_by": "Anna Berg, 811218-9876"}, "signed_by", "personnummer"),
    ],
)
def test_a_past_follow_up_with_wrong_dates_or_signers_is_refused_and_nothing_is_saved(
    client, eskilstuna, samordnare, change, field, message
):
    client.force_login(samordnare)
    response = client.post(REGISTER, GOOD | change)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not FollowUp.objects.exists()


def test_a_past_follow_up_is_approved_in_the_portal_and_published_with_its_real_dates(
    client, eskilstuna, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks
):
    client.force_login(samordnare)
    response = client.post(REGISTER, GOOD)
    followup = FollowUp.objects.get()
    assert response.url == f"/personal/uppfoljningar/{followup.pk}/redigera/"
    assert followup.registered_afterwards and followup.state == FollowUp.State.DRAFT
    assert (followup.approved_on, followup.published_on) == (date(2018, 9, 20), date(2018, 9, 28))
    (event,) = followup.events.all()
    assert (event.action, event.by) == (FollowUpEvent.Action.REGISTERED, samordnare)
    assert followup.history.first().history_user == samordnare
    # The text is written in, then both approvers approve it before it can be published.
    followup.summary = "Uppföljningen av T2 2018, som den undertecknades."
    followup.save()
    for commitment in eskilstuna.commitments.all():
        CommitmentAssessmentFactory(followup=followup, commitment=commitment)
    followup.submit(by=samordnare)
    followup.approve(by=ordforande)
    with pytest.raises(ValidationError):
        followup.publish(by=samordnare)
    followup.approve(by=lpo_chef)
    with django_capture_on_commit_callbacks(execute=True):
        followup.publish(by=samordnare)
    followup.refresh_from_db()
    assert followup.publication_date == date(2018, 9, 28)
    client.logout()
    page = _text(client.get(followup.get_absolute_url()))
    pdf = _pdf_text(followup)
    for text in (page, pdf):
        assert "Efterregistrerad." in text
        assert "godkändes den 20 september 2018 och publicerades den 28 september 2018" in text
        assert "Jimmy Jansson, kommunstyrelsens ordförande; Anna Berg" in text
        assert "28 september 2018" in text
        assert samordnare.username not in text
    # The approvals of the entry in the portal carry today's date, under their own heading.
    assert f"Registreringen i portalen godkändes av: {eskilstuna.municipality.name}" in page
    promise_page = _text(client.get(eskilstuna.get_absolute_url()))
    assert "Uppföljning T2 2018 · 28 september 2018 (efterregistrerad)" in promise_page
    data = json.loads(body(client.get(f"{followup.get_absolute_url()}sammanstallning.json")))
    assert data["follow_up"]["registered_afterwards"] is True
    assert data["follow_up"]["published_on"] == "2018-09-28"
    assert data["follow_up"]["approved_on"] == "2018-09-20"
    feed = body(client.get("/loften/eskilstuna-2018/flode/"))
    assert "efterregistrerad, publicerad 28 september 2018" in feed


def test_an_ordinary_follow_up_has_no_dates_or_signers_of_its_own(eskilstuna):
    followup = FollowUp(promise=eskilstuna, year=2018, tertial=1, signed_by="Anna Berg")
    with pytest.raises(ValidationError) as refused:
        followup.full_clean()
    assert "Bara en efterregistrerad uppföljning" in " ".join(refused.value.messages)


@pytest.mark.parametrize("who", ["polis", "ordforande", "other"])
def test_only_the_promise_s_coordinators_register_a_past_follow_up(request, eskilstuna, who):
    by = second_tenant().users["coordinator"] if who == "other" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        FollowUp.register_past(
            promise=eskilstuna,
            tertial=T(2018, 1),
            by=by,
            approved_on=date(2018, 5, 20),
            published_on=date(2018, 5, 21),
            signed_by="Anna Berg",
        )
    assert not FollowUp.objects.filter(promise=eskilstuna).exists()


def test_a_correction_of_a_past_follow_up_keeps_its_real_dates(eskilstuna, samordnare):
    followup = FollowUp.register_past(
        promise=eskilstuna,
        tertial=T(2018, 1),
        by=samordnare,
        approved_on=date(2018, 5, 20),
        published_on=date(2018, 5, 21),
        signed_by="Anna Berg",
    )
    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUp.State.PUBLISHED, published_at=timezone.now() - timedelta(days=1)
    )
    followup.refresh_from_db()
    correction = followup.correct(by=samordnare, reason="Fel siffra.")
    assert correction.registered_afterwards
    assert (correction.approved_on, correction.published_on, correction.signed_by) == (
        date(2018, 5, 20),
        date(2018, 5, 21),
        "Anna Berg",
    )


# Issue 18, item 1 (begun): the report opens with its answer.


def test_the_report_s_first_page_says_for_each_commitment_whether_it_is_kept(client, eskilstuna):
    from .factories import IndicatorFactory

    commitments = list(eskilstuna.commitments.order_by("number"))
    for commitment in commitments:
        indicator = IndicatorFactory(
            promise=eskilstuna,
            commitment=commitment,
            name=f"Nyckeltal {commitment.number}",
            kind="derived",
            aggregation="count",
            direction="higher",
            target_kind="at_least",
            target_value=5,
        )
        indicator.activity_types.set(commitment.activity_types.all()[:1])
    final = FollowUpFactory(
        promise=eskilstuna,
        year=2018,
        tertial=3,
        state=FollowUp.State.PUBLISHED,
        published_at=timezone.now(),
        summary="Slut.",
    )
    verdicts = {1: "kept", 2: "partly_kept", 3: "not_kept"}
    for commitment in commitments:
        CommitmentAssessment.objects.create(
            followup=final,
            commitment=commitment,
            status=verdicts[commitment.number],
            justification=f"Motivering {commitment.number}.",
        )
    pdf = PdfReader(io.BytesIO(reports.render_pdf(final, with_charts=False)))
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Överblick: håller vi löftet?" in first
    for commitment, word in zip(
        commitments, ["Uppfyllt.", "Delvis uppfyllt.", "Inte uppfyllt."], strict=True
    ):
        assert f"{word} Motivering {commitment.number}." in first, first
        assert f"Nyckeltal {commitment.number}:" in first
    page = _text(client.get(final.get_absolute_url()))
    assert "Överblick: håller vi löftet?" in page and "Delvis uppfyllt. Motivering 2." in page


def test_the_promise_page_opens_with_each_commitment_at_a_glance(client, eskilstuna):
    from .factories import IndicatorFactory

    commitment = eskilstuna.commitments.get(number=1)
    IndicatorFactory(
        promise=eskilstuna,
        commitment=commitment,
        name="Upplevd trygghet i Skiftinge",
        direction="higher",
        target_value=60,
    )
    followup = _published(eskilstuna, T(2018, 2))
    page = body(client.get(eskilstuna.get_absolute_url()))
    glance = page[page.index('id="glance-heading"') : page.index('class="toc"')]
    text = " ".join(re.sub(r"<[^>]+>", " ", glance).split())
    assert "Överblick: håller vi löftet?" in text
    assert "1. Närvaro och synlighet" in text and "Enligt plan." in text
    assert "Upplevd trygghet i Skiftinge:" in text
    assert f'href="{followup.get_absolute_url()}"' in glance
    assert "T2 2018" in text
