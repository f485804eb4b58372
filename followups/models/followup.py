"""A follow-up of one tertial of a promise, its QuerySet, and the promise's tertial calendar."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments import permissions
from commitments.fields import PublicTextField
from commitments.models import Promise
from commitments.models.tenancy import PromiseScopedQuerySet

from ..tertials import Tertial, tertials_between
from .workflow import FollowUpWorkflow


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


class FollowUp(FollowUpWorkflow, models.Model):
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
