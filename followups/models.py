"""Tertial follow-ups of a promise, their assessments per commitment, and their approvals.

The workflow draft → in review → approved → published lives in FollowUp's transition methods
(submit, approve, return_to_draft, record_edit, publish, correct); they check state and user,
write a FollowUpEvent, and are the only way a follow-up changes state.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments import permissions
from commitments.fields import InternalTextField, PublicTextField
from commitments.models import Commitment, Organisation, Promise
from commitments.models.tenancy import PromiseScopedQuerySet
from commitments.permissions import is_approver_of, is_coordinator_of

from .tertials import Tertial, tertials_between


@dataclass(frozen=True)
class CalendarRow:
    """One tertial of a promise: when it is due and where its follow-up stands."""

    tertial: Tertial
    followup: "FollowUp | None"
    is_past_due: bool

    @property
    def due_date(self):
        return self.tertial.due_date


class FollowUpQuerySet(PromiseScopedQuerySet):
    def public(self):
        """What a citizen may see: published follow-ups of published promises."""
        return self.filter(state=FollowUp.State.PUBLISHED, promise__is_published=True)

    def visible_to(self, user):
        """Staff of a promise's signatory organisations see all its follow-ups, drafts too."""
        return self.filter(permissions.followup_visibility(user))

    def editable_by(self, user):
        """Follow-ups whose text the user may write: unpublished ones, by their coordinators."""
        return self.filter(permissions.followup_editability(user)).exclude(
            state=FollowUp.State.PUBLISHED
        )

    def calendar(self, promise, *, today=None):
        """The promise's tertials with the latest follow-up of each among these rows
        (`calendar`). Called through the related manager on public pages,
        `promise.followups.public().calendar(promise)`, so that only published ones count."""
        return calendar(promise, [f for f in self if f.promise_id == promise.pk], today=today)


def calendar(promise, followups, *, today=None):
    """The promise's tertials with the latest of `followups` of each, and which are past due.

    A tertial is past due when its report month has ended and none of `followups` of it is
    published. The follow-ups are a list the caller read (and may show): no query here.
    """
    today = today or timezone.localdate()
    latest, published = {}, set()
    for followup in sorted(followups, key=lambda f: (f.year, f.tertial, f.version)):
        key = (followup.year, followup.tertial)
        latest[key] = followup
        if followup.state == FollowUp.State.PUBLISHED:
            published.add(key)
    rows = []
    for tertial in tertials_between(promise.start_date, promise.end_date):
        key = (tertial.year, tertial.number)
        past_due = today > tertial.due_date and key not in published
        rows.append(CalendarRow(tertial, latest.get(key), past_due))
    return rows


class FollowUp(models.Model):
    """A tertialuppföljning: the report on one tertial of a promise, in versions."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.PROTECT, related_name="followups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    summary = PublicTextField(_("summary"), blank=True)
    correction_reason = PublicTextField(
        _("reason for the correction"),
        blank=True,
        help_text=_("Required for a version after the first."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    pdf = models.FileField(_("report (PDF)"), upload_to="reports/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the report"), max_length=64, blank=True)
    pdf_status = models.CharField(
        _("report status"), max_length=10, choices=PdfStatus.choices, blank=True
    )
    pdf_error = models.TextField(_("report error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Optimistic concurrency of the text: an edit based on an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FollowUpQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["promise", "year", "tertial", "version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tertial__gte=1, tertial__lte=3),
                name="followup_tertial_1_to_3",
                violation_error_message=_("A tertial is numbered 1 to 3."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="followup_version_positive",
                violation_error_message=_("Versions are numbered from 1."),
            ),
            models.UniqueConstraint(
                fields=["promise", "year", "tertial", "version"],
                name="one_followup_per_tertial_and_version",
                violation_error_message=_("This tertial already has a follow-up of this version."),
            ),
        ]

    def __str__(self):
        return f"{self.promise} – {self.period}"

    def get_absolute_url(self):
        return reverse(
            "followups:detail", kwargs={"slug": self.promise.slug, "tertial": self.period.slug}
        )

    @property
    def period(self):
        return Tertial(self.year, self.tertial)

    def is_deletable(self):
        """Public records are kept (Swedish archive rules): only a draft may be deleted."""
        return self.state == self.State.DRAFT

    def get_version_url(self):
        """This very version's page, which stays readable after a correction."""
        return reverse(
            "followups:version",
            kwargs={
                "slug": self.promise.slug,
                "tertial": self.period.slug,
                "version": self.version,
            },
        )

    def get_pdf_url(self):
        return reverse(
            "followups:version_pdf",
            kwargs={
                "slug": self.promise.slug,
                "tertial": self.period.slug,
                "version": self.version,
            },
        )

    def get_staff_url(self):
        return reverse("followups_staff:detail", kwargs={"pk": self.pk})

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
        if by is None or not is_coordinator_of(by, promise):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        if tertial not in tertials_between(promise.start_date, promise.end_date):
            raise ValidationError(_("The tertial is outside the promise's period."), code="period")
        if cls.objects.filter(promise=promise, year=tertial.year, tertial=tertial.number).exists():
            raise ValidationError(_("This tertial already has a follow-up."), code="exists")
        followup = cls(promise=promise, year=tertial.year, tertial=tertial.number)
        followup._change_reason = "created"
        followup.full_clean()
        followup.save()
        followup._log(FollowUpEvent.Action.CREATED, by=by)
        return followup

    def _lock(self):
        """Lock this follow-up's row until the transaction ends, and read it again.

        Two people may move one follow-up at the same moment, as when both approvers approve
        at once: without the lock each transaction counted only its own approval and the
        follow-up stayed in review with both (issue 14). With it, the second waits for the
        first to commit and then decides on what the first wrote. (SQLite writes one
        transaction at a time anyway and ignores FOR UPDATE.)
        """
        self.refresh_from_db(from_queryset=FollowUp.objects.select_for_update())

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
    def edit_text(self, *, by, based_on, summary, assessments):
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
        self.revision += 1
        self._save_state("summary", "revision", reason="edited")
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
        if base.summary != self.summary:
            changes.append(
                {
                    "field": self._meta.get_field("summary").verbose_name,
                    "old": base.summary,
                    "new": self.summary,
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

    def enqueue_report(self):
        """Queue the PDF rendering once the transaction commits (the worker must see the row)."""
        from .tasks import render_report

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
        correction = FollowUp(
            promise=self.promise,
            year=self.year,
            tertial=self.tertial,
            version=self.version + 1,
            summary=self.summary,
            correction_reason=reason.strip(),
        )
        correction._change_reason = "correction"
        # The copied texts are checked when the correction is submitted, not here: a published
        # text that fails today's personal-data guard must be correctable (that is the point).
        correction.full_clean(exclude=["summary"])
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
        return FollowUp.objects.filter(
            promise_id=self.promise_id,
            year=self.year,
            tertial=self.tertial,
            version__gt=self.version,
        ).exists()


class FollowUpPartQuerySet(PromiseScopedQuerySet):
    """Assessments, approvals and events: seen by whoever sees their follow-up."""

    def visible_to(self, user):
        return self.filter(permissions.followup_visibility(user, "followup__"))

    def editable_by(self, user):
        return self.filter(followup__in=FollowUp.objects.editable_by(user))


class CommitmentAssessment(models.Model):
    """A follow-up's judgement of one commitment; its figures are computed, never typed."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        PARTLY = "partly", _("partly on track")
        NOT_ON_TRACK = "not_on_track", _("not on track")

    followup = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    justification = PublicTextField(_("justification of the status"))
    done = PublicTextField(_("what was done"), blank=True)
    effect = PublicTextField(_("what effect is seen"), blank=True)
    next_steps = PublicTextField(_("next steps"), blank=True)

    history = HistoricalRecords()
    objects = FollowUpPartQuerySet.as_manager()
    promise_path = "followup__promise"
    TEXTS = ["justification", "done", "effect", "next_steps"]

    class Meta:
        verbose_name = _("commitment assessment")
        verbose_name_plural = _("commitment assessments")
        ordering = ["followup", "commitment__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "commitment"],
                name="one_assessment_per_commitment",
                violation_error_message=_("The follow-up already assesses this commitment."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.get_status_display()}"


class Approval(models.Model):
    """One signatory organisation's approval of a follow-up version."""

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="approvals"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"))
    # The follow-up's public page lists its approvals: the comment gets the public guard.
    comment = PublicTextField(_("comment"), blank=True)

    objects = FollowUpPartQuerySet.as_manager()
    promise_path = "followup__promise"

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["followup", "approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "organisation"],
                name="one_approval_per_organisation",
                violation_error_message=_("This organisation has already approved."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.approved_at:%Y-%m-%d})"


class FollowUpEvent(models.Model):
    """The audit trail of the workflow: who moved a follow-up, when, and their comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned to draft")
        PUBLISHED = "published", _("published")
        CORRECTED = "corrected", _("corrected by a new version")
        RETRIED = "retried", _("report rendering retried")

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # Read by staff on the follow-up's page only.
    comment = InternalTextField(_("comment"), blank=True)

    objects = FollowUpPartQuerySet.as_manager()
    promise_path = "followup__promise"

    class Meta:
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        ordering = ["followup", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class SentReminder(models.Model):
    """A reminder already sent, so that send_reminders run again sends it only once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    promise = models.ForeignKey(Promise, verbose_name=_("promise"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "promise", "year", "tertial"],
                name="one_reminder_per_person_and_tertial",
            ),
        ]

    def __str__(self):
        return f"{self.user} {Tertial(self.year, self.tertial)}"
