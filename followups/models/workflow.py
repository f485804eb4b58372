"""A follow-up's workflow: who may move it, and the transitions that move it.

FollowUp inherits them from FollowUpWorkflow, so they are its methods (`followup.submit(by=)`),
written here apart from its fields for length. Each transition checks user and state, writes a
FollowUpEvent, and is the only way a follow-up changes state.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.permissions import is_approver_of, is_coordinator_of

from ..signals import followup_published
from ..tertials import tertials_between
from .parts import Approval, CommitmentAssessment, FollowUpEvent


class FollowUpWorkflow:
    """FollowUp's permission predicates and transitions (a mixin of FollowUp only)."""

    # Who may do what. The transitions check these; views call them only to show buttons.

    def can_edit(self, user):
        return is_coordinator_of(user, self.promise) and self.state != self.State.PUBLISHED

    def can_submit(self, user):
        return is_coordinator_of(user, self.promise) and self.state == self.State.DRAFT

    def can_approve(self, user):
        return (
            is_approver_of(user, self.promise)
            and self.state == self.State.IN_REVIEW
            and not any(a.organisation_id == user.organisation_id for a in self.approvals.all())
        )

    def can_return_to_draft(self, user):
        return (
            is_coordinator_of(user, self.promise) or is_approver_of(user, self.promise)
        ) and self.state in (self.State.IN_REVIEW, self.State.APPROVED)

    def can_publish(self, user):
        return (
            is_coordinator_of(user, self.promise) or is_approver_of(user, self.promise)
        ) and self.state == self.State.APPROVED

    def can_correct(self, user):
        return (
            is_coordinator_of(user, self.promise)
            and self.state == self.State.PUBLISHED
            and not self._has_newer_version()
        )

    def can_download_draft(self, user):
        return is_coordinator_of(user, self.promise) or is_approver_of(user, self.promise)

    # Transitions: the only way a follow-up changes state.

    @classmethod
    @transaction.atomic
    def start_draft(cls, *, promise, tertial, by):
        """The coordinator opens the first version of a tertial's follow-up, as a draft."""
        followup = cls._startable(promise=promise, tertial=tertial, by=by)
        followup._change_reason = "created"
        followup.full_clean()
        followup.save()
        followup._log(FollowUpEvent.Action.CREATED, by=by)
        return followup

    @classmethod
    @transaction.atomic
    def register_past(cls, *, promise, tertial, by, approved_on, published_on, signed_by):
        """The coordinator enters a report approved and published before the portal was used.

        It starts as a draft like any other, with the real dates and signers (FollowUp.clean
        checks them): the text is written in, both approvers approve it in the portal, and
        it is published marked "efterregistrerad". The event says who entered it and when.
        """
        followup = cls._startable(promise=promise, tertial=tertial, by=by)
        followup.registered_afterwards = True
        followup.approved_on, followup.published_on = approved_on, published_on
        followup.signed_by = (signed_by or "").strip()
        followup._change_reason = "registered afterwards"
        followup.full_clean()
        followup.save()
        followup._log(FollowUpEvent.Action.REGISTERED, by=by)
        return followup

    @classmethod
    def _startable(cls, *, promise, tertial, by):
        """An unsaved first version of the tertial's follow-up, when one may be started."""
        if by is None or not is_coordinator_of(by, promise):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        if tertial not in tertials_between(promise.start_date, promise.end_date):
            raise ValidationError(_("The tertial is outside the promise's period."), code="period")
        if cls.objects.filter(promise=promise, year=tertial.year, tertial=tertial.number).exists():
            raise ValidationError(_("This tertial already has a follow-up."), code="exists")
        return cls(promise=promise, year=tertial.year, tertial=tertial.number)

    def _lock(self):
        """Lock this follow-up's row until the transaction ends, and read it again.

        Two people may move one follow-up at the same moment, as when both approvers approve
        at once: without the lock each transaction counted only its own approval and the
        follow-up stayed in review with both (issue 14). With it, the second waits for the
        first to commit and then decides on what the first wrote. (SQLite writes one
        transaction at a time anyway and ignores FOR UPDATE.)
        """
        self.refresh_from_db(from_queryset=type(self).objects.select_for_update())

    def _require(self, allowed, *, by, states):
        """Who first (PermissionDenied), then when (ValidationError with code wrong_state).

        Called first in every transition, inside its transaction: it locks the row (`_lock`).
        """
        self._lock()
        if by is None or not by.is_authenticated or not allowed(by):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        if self.state not in states:
            raise ValidationError(
                _("Not possible while the follow-up is %(state)s."),
                code="wrong_state",
                params={"state": self.get_state_display()},
            )

    def _log(self, action, *, by, comment=""):
        # Validated like every other write: the comment passes the personal-data guard, and
        # a refusal rolls back the transition it would have recorded.
        event = FollowUpEvent(followup=self, action=action, by=by, comment=comment)
        event.full_clean()
        event.save()
        return event

    def _save_state(self, *fields, reason):
        self._change_reason = reason
        self.full_clean()
        self.save(update_fields=[*fields, "updated_at"])

    @transaction.atomic
    def submit(self, *, by, comment=""):
        """The coordinator sends a complete draft to the approvers."""
        self._require(
            lambda u: is_coordinator_of(u, self.promise), by=by, states=[self.State.DRAFT]
        )
        missing = self.promise.commitments.exclude(assessments__followup=self)
        if missing.exists() or not self.summary.strip():
            raise ValidationError(
                _("Write a summary and assess every commitment before submitting."),
                code="incomplete",
            )
        # The approvers approve every text, so every text is checked again (a text saved
        # before the personal-data guard, or copied by a correction, must be fixed first).
        for assessment in self.assessments.all():
            assessment.full_clean()
        self.state = self.State.IN_REVIEW
        self.submitted_by, self.submitted_at = by, timezone.now()
        self._save_state("state", "submitted_by", "submitted_at", reason="submitted")
        self._log(FollowUpEvent.Action.SUBMITTED, by=by, comment=comment)

    @transaction.atomic
    def approve(self, *, by, comment=""):
        """One signatory organisation's approver approves; both make it approved."""
        self._require(
            lambda u: is_approver_of(u, self.promise), by=by, states=[self.State.IN_REVIEW]
        )
        if self.approvals.filter(organisation_id=by.organisation_id).exists():
            raise ValidationError(
                _("Your organisation has already approved this follow-up."),
                code="already_approved",
            )
        approval = Approval(
            followup=self,
            organisation=by.organisation,
            approved_by=by,
            approved_at=timezone.now(),
            comment=comment,
        )
        approval.full_clean()
        approval.save()
        self._log(FollowUpEvent.Action.APPROVED, by=by, comment=comment)
        signatories = {self.promise.municipality_id, self.promise.police_area_id}
        if signatories <= set(self.approvals.values_list("organisation_id", flat=True)):
            self.state = self.State.APPROVED
            self._save_state("state", reason="approved by both signatories")

    @transaction.atomic
    def return_to_draft(self, *, by, comment=""):
        """Send a follow-up in review or approved back to draft; its approvals are cleared."""
        self._require(
            lambda u: is_coordinator_of(u, self.promise) or is_approver_of(u, self.promise),
            by=by,
            states=[self.State.IN_REVIEW, self.State.APPROVED],
        )
        self._back_to_draft(by=by, comment=comment)

    def _back_to_draft(self, *, by, comment):
        self.approvals.all().delete()
        self.state = self.State.DRAFT
        self.submitted_by, self.submitted_at = None, None
        self._save_state("state", "submitted_by", "submitted_at", reason="returned to draft")
        self._log(FollowUpEvent.Action.RETURNED, by=by, comment=comment)

    @transaction.atomic
    def edit_text(self, *, by, based_on, summary, assessments, easy_read=None):
        """Save the coordinator's summary and assessments, written on revision `based_on`.

        Two coordinators (the municipality's and the police's) may write one draft at once:
        an edit based on an older revision than the saved one is refused (ValidationError,
        code "stale") and changes nothing, so nobody's text is lost; `changes_since` tells
        the second what the first changed. `assessments` are unsaved CommitmentAssessment
        instances of this follow-up (from the edit page's forms).
        """
        self._require(
            lambda u: is_coordinator_of(u, self.promise),
            by=by,
            states=[self.State.DRAFT, self.State.IN_REVIEW, self.State.APPROVED],
        )
        if self.revision != based_on:
            raise ValidationError(
                _("Someone else saved this follow-up after you opened it."), code="stale"
            )
        self.summary = summary
        if easy_read is not None:
            self.easy_read = easy_read
        self.revision += 1
        self._save_state("summary", "easy_read", "revision", reason="edited")
        for assessment in assessments:
            assessment.followup = self
            assessment.full_clean()
            assessment.save()
        self._after_edit(by=by, comment="")

    def changes_since(self, revision):
        """What was saved after `revision`: each changed text with its wording then and now.

        For the page that refuses a stale edit: [{"field", "old", "new"}] and the edit
        events since (who saved, when).
        """
        base = self.history.filter(revision=revision).order_by("history_id").last()
        if base is None:
            return {"changes": [], "events": []}
        after = self.history.filter(revision__gt=revision).order_by("history_id").first()
        since = after.history_date if after is not None else base.history_date
        changes = []
        for name in ("summary", "easy_read"):
            if getattr(base, name) != getattr(self, name):
                changes.append(
                    {
                        "field": self._meta.get_field(name).verbose_name,
                        "old": getattr(base, name),
                        "new": getattr(self, name),
                    }
                )
        texts = ["status", *CommitmentAssessment.TEXTS]
        for assessment in self.assessments.select_related("commitment"):
            before = assessment.history.filter(history_date__lt=since).order_by("history_id").last()
            for name in texts:
                old = getattr(before, name) if before is not None else ""
                new = getattr(assessment, name)
                if old != new:
                    field = CommitmentAssessment._meta.get_field(name)
                    changes.append(
                        {
                            "field": f"{assessment.commitment}: {field.verbose_name}",
                            "old": dict(field.flatchoices).get(old, old) if field.choices else old,
                            "new": dict(field.flatchoices).get(new, new) if field.choices else new,
                        }
                    )
        events = self.events.filter(
            at__gte=since, action__in=[FollowUpEvent.Action.EDITED, FollowUpEvent.Action.RETURNED]
        ).select_related("by")
        return {"changes": changes, "events": list(events)}

    @transaction.atomic
    def record_edit(self, *, by, comment=""):
        """Called after the coordinator changed the text: an approval was of the old text.

        So an edit of a follow-up in review or approved sends it back to draft and clears
        its approvals. A published follow-up is never edited: it is corrected.
        """
        self._require(
            lambda u: is_coordinator_of(u, self.promise),
            by=by,
            states=[self.State.DRAFT, self.State.IN_REVIEW, self.State.APPROVED],
        )
        self._after_edit(by=by, comment=comment)

    def _after_edit(self, *, by, comment):
        if self.state == self.State.DRAFT:
            self._log(FollowUpEvent.Action.EDITED, by=by, comment=comment)
        else:
            self._back_to_draft(by=by, comment=comment or _("Edited after submission."))

    @transaction.atomic
    def publish(self, *, by, comment=""):
        """Publish an approved follow-up; its PDF is rendered once, off the request path."""
        self._require(
            lambda u: is_coordinator_of(u, self.promise) or is_approver_of(u, self.promise),
            by=by,
            states=[self.State.APPROVED],
        )
        self.state = self.State.PUBLISHED
        self.published_by, self.published_at = by, timezone.now()
        self.pdf_status, self.pdf_error = self.PdfStatus.PENDING, ""
        self._save_state(
            "state", "published_by", "published_at", "pdf_status", "pdf_error", reason="published"
        )
        self._log(FollowUpEvent.Action.PUBLISHED, by=by, comment=comment)
        self.promise.touch()
        self.enqueue_report()
        sender, pk = type(self), self.pk
        transaction.on_commit(lambda: followup_published.send(sender=sender, followup_pk=pk))

    def enqueue_report(self):
        """Queue the PDF rendering once the transaction commits (the worker must see the row)."""
        from ..tasks import render_report

        pk = self.pk
        transaction.on_commit(lambda: render_report.enqueue(pk))

    @transaction.atomic
    def retry_report(self, *, by):
        """After a failed rendering the coordinator queues it again."""
        self._lock()
        if not (is_coordinator_of(by, self.promise) or is_approver_of(by, self.promise)):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        if self.pdf_status != self.PdfStatus.FAILED or self.pdf:
            raise ValidationError(_("The report has not failed."), code="not_failed")
        self.pdf_status, self.pdf_error = self.PdfStatus.PENDING, ""
        self._save_state("pdf_status", "pdf_error", reason="report rendering retried")
        self._log(FollowUpEvent.Action.RETRIED, by=by)
        self.enqueue_report()

    @transaction.atomic
    def correct(self, *, by, reason):
        """A correction of a published follow-up: a new draft version with a stated reason.

        The published version stays as it is, readable with its frozen PDF, until the new
        version is published in its turn.
        """
        self._require(
            lambda u: is_coordinator_of(u, self.promise), by=by, states=[self.State.PUBLISHED]
        )
        if not (reason or "").strip():
            raise ValidationError(
                {"correction_reason": ValidationError(_("State why."), code="reason_required")}
            )
        if self._has_newer_version():
            raise ValidationError(
                _("A newer version of this follow-up already exists."), code="already_corrected"
            )
        correction = type(self)(
            promise=self.promise,
            year=self.year,
            tertial=self.tertial,
            version=self.version + 1,
            summary=self.summary,
            correction_reason=reason.strip(),
            registered_afterwards=self.registered_afterwards,
            approved_on=self.approved_on,
            published_on=self.published_on,
            signed_by=self.signed_by,
        )
        correction._change_reason = "correction"
        # The copied texts are checked when the correction is submitted, not here: a published
        # text that fails today's personal-data guard must be correctable (that is the point).
        correction.full_clean(exclude=["summary", "signed_by"])
        correction.save()
        for assessment in self.assessments.all():
            assessment.pk = None
            assessment.followup = correction
            assessment.full_clean(exclude=CommitmentAssessment.TEXTS)
            assessment.save()
        self._log(FollowUpEvent.Action.CORRECTED, by=by, comment=reason.strip())
        correction._log(FollowUpEvent.Action.CREATED, by=by, comment=reason.strip())
        return correction

    def _has_newer_version(self):
        newer = type(self).objects.filter(
            promise_id=self.promise_id,
            year=self.year,
            tertial=self.tertial,
            version__gt=self.version,
        )
        return newer.exists()
