"""Tertial follow-ups of a promise, their assessments per commitment, and their approvals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments.models import Commitment, Organisation, Promise

from .tertials import Tertial


class FollowUpQuerySet(models.QuerySet):
    def public(self):
        """What a citizen may see: published follow-ups of published promises."""
        return self.filter(state=FollowUp.State.PUBLISHED, promise__is_published=True)


class FollowUp(models.Model):
    """A tertialuppföljning: the report on one tertial of a promise, in versions."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.PROTECT, related_name="followups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    correction_reason = models.TextField(
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FollowUpQuerySet.as_manager()

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
    justification = models.TextField(_("justification of the status"))
    done = models.TextField(_("what was done"), blank=True)
    effect = models.TextField(_("what effect is seen"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)

    history = HistoricalRecords()

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
    comment = models.TextField(_("comment"), blank=True)

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
