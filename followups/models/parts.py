"""What a follow-up holds: its assessment of each commitment, approvals and audit trail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from commitments import permissions
from commitments.fields import InternalTextField, PublicTextField
from commitments.models import Commitment, Organisation
from commitments.models.tenancy import PromiseScopedQuerySet


class FollowUpPartQuerySet(PromiseScopedQuerySet):
    """Assessments, approvals and events: seen by whoever sees their follow-up."""

    def visible_to(self, user):
        return self.filter(permissions.followup_visibility(user, "followup__"))

    def editable_by(self, user):
        # Imported here: followup.py imports this module (through workflow.py) to define FollowUp.
        from .followup import FollowUp

        return self.filter(followup__in=FollowUp.objects.editable_by(user))


class CommitmentAssessment(models.Model):
    """A follow-up's judgement of one commitment; its figures are computed, never typed."""

    class Status(models.TextChoices):
        # During the promise: how the work goes.
        ON_TRACK = "on_track", _("on track")
        PARTLY = "partly", _("partly on track")
        NOT_ON_TRACK = "not_on_track", _("not on track")
        # In the final follow-up: the verdict on the commitment.
        KEPT = "kept", pgettext_lazy("verdict", "kept")
        PARTLY_KEPT = "partly_kept", pgettext_lazy("verdict", "partly kept")
        NOT_KEPT = "not_kept", pgettext_lazy("verdict", "not kept")

    DURING = [Status.ON_TRACK, Status.PARTLY, Status.NOT_ON_TRACK]
    VERDICTS = [Status.KEPT, Status.PARTLY_KEPT, Status.NOT_KEPT]

    followup = models.ForeignKey(
        "FollowUp",
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

    @classmethod
    def statuses_for(cls, followup):
        """The statuses a follow-up may give: the verdicts in the final one, else the others."""
        return cls.VERDICTS if followup.is_final else cls.DURING

    @property
    def is_verdict(self):
        return self.status in self.VERDICTS

    def clean(self):
        if self.status and self.followup_id and self.status not in self.statuses_for(self.followup):
            message = (
                _("The final follow-up gives a verdict: kept, partly kept or not kept.")
                if self.followup.is_final
                else _("Only the final follow-up gives a verdict; say how the work goes.")
            )
            raise ValidationError({"status": ValidationError(message, code="wrong_status")})


class Approval(models.Model):
    """One signatory organisation's approval of a follow-up version."""

    followup = models.ForeignKey(
        "FollowUp", verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="approvals"
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
        REGISTERED = "registered", _("registered afterwards")

    followup = models.ForeignKey(
        "FollowUp", verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="events"
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
