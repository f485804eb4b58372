"""A follow-up of one tertial of a promise, its QuerySet, and the promise's tertial calendar."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
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
    """One tertial of a promise: whether and when it is due, and where its follow-up stands.

    `is_due`: the promise's reporting cadence gives it a follow-up (the final tertial always
    has one); `unreported`: the coordinators' mark that it will not be, with the reason;
    `is_past_due`: due, not marked, its report month over and nothing published.
    """

    tertial: Tertial
    followup: "FollowUp | None"
    is_past_due: bool
    is_due: bool = True
    is_final: bool = False
    unreported: "object | None" = None
    has_ended: bool = False

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
        return calendar(
            promise,
            [f for f in self if f.promise_id == promise.pk],
            promise.unreported_tertials.all(),
            today=today,
        )


def calendar(promise, followups, unreported=(), *, today=None):
    """The promise's tertials with the latest of `followups` of each, and which are past due.

    Which tertials are due is the promise's reporting cadence (commitments.tertials); a due
    tertial is past due when its report month has ended, none of `followups` of it is
    published and it is not in `unreported` (UnreportedTertial marks). The follow-ups and
    marks are lists the caller read (and may show): no query here.
    """
    today = today or timezone.localdate()
    latest, published = {}, set()
    for followup in sorted(followups, key=lambda f: (f.year, f.tertial, f.version)):
        key = (followup.year, followup.tertial)
        latest[key] = followup
        if followup.state == FollowUp.State.PUBLISHED:
            published.add(key)
    marks = {(mark.year, mark.tertial): mark for mark in unreported}
    due = set(promise.reported_tertials())
    final = promise.final_tertial
    rows = []
    for tertial in tertials_between(promise.start_date, promise.end_date):
        key = (tertial.year, tertial.number)
        mark = marks.get(key) if tertial in due else None
        past_due = (
            tertial in due and mark is None and today > tertial.due_date and key not in published
        )
        rows.append(
            CalendarRow(
                tertial,
                latest.get(key),
                past_due,
                is_due=tertial in due,
                is_final=tertial == final,
                unreported=mark,
                has_ended=today > tertial.end,
            )
        )
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
    easy_read = PublicTextField(
        _("easy-to-read summary"),
        blank=True,
        help_text=_(
            "Optional: the follow-up in easy Swedish (lättläst), shown on a page of its own. "
            "Write short sentences with one thought each and common words: what was done, "
            "whether it went as promised, and what happens next."
        ),
    )
    # The share pack's image (followups/sharing.py), drawn once beside the report, and its
    # alt text as drawn: the public pages' Open Graph tags name them without a query.
    share_image = models.FileField(_("share image (PNG)"), upload_to="reports/", blank=True)
    share_image_alt = models.TextField(_("share image's alt text"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Optimistic concurrency of the text: an edit based on an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    # A report approved and published before the portal was used, entered afterwards
    # (`register_past`): its real dates and signers are shown, marked "efterregistrerad",
    # and the two approvals in the portal are still required before it is published here.
    registered_afterwards = models.BooleanField(_("registered afterwards"), default=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    signed_by = PublicTextField(
        _("signed by"),
        blank=True,
        help_text=_("The names and roles of those who signed the report, as written on it."),
    )

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

    def clean(self):
        """A follow-up registered afterwards has real dates and signers; others have none."""
        past = {"approved_on": self.approved_on, "published_on": self.published_on}
        past["signed_by"] = (self.signed_by or "").strip()
        if not self.registered_afterwards:
            if any(past.values()):
                raise ValidationError(
                    _("Only a follow-up registered afterwards has dates and signers of its own."),
                    code="not_afterwards",
                )
            return
        errors = {
            name: ValidationError(
                _("Required for a follow-up registered afterwards."), "required_afterwards"
            )
            for name, value in past.items()
            if not value
        }
        approved, published = self.approved_on, self.published_on
        if approved and approved <= self.period.end:
            errors["approved_on"] = ValidationError(
                _("A follow-up is approved after its tertial has ended (%(end)s)."),
                code="before_end",
                params={"end": date_format(self.period.end, "j F Y")},
            )
        if approved and published and published < approved:
            errors["published_on"] = ValidationError(
                _("A follow-up is published on or after the day it was approved."),
                code="before_approval",
            )
        if published and published > timezone.localdate():
            errors["published_on"] = ValidationError(
                _("A follow-up registered afterwards was published before today."),
                code="future",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_final(self):
        """The promise's final follow-up: it gives the verdict on each commitment."""
        return self.period == self.promise.final_tertial

    @property
    def publication_date(self):
        """The day it was published: outside the portal for one registered afterwards."""
        if self.registered_afterwards:
            return self.published_on
        return timezone.localdate(self.published_at) if self.published_at else None

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

    def get_easy_read_url(self):
        return reverse(
            "followups:easy_read",
            kwargs={"slug": self.promise.slug, "tertial": self.period.slug},
        )

    def get_share_image_url(self):
        return reverse(
            "followups:share_image",
            kwargs={
                "slug": self.promise.slug,
                "tertial": self.period.slug,
                "version": self.version,
            },
        )

    def get_staff_url(self):
        return reverse("followups_staff:detail", kwargs={"pk": self.pk})
