"""Activity types under a commitment, and the measures an activity of a type counts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import PublicCharField, PublicSlugField
from .promise import Commitment
from .tenancy import PromiseScopedQuerySet


class ActivityTypeQuerySet(PromiseScopedQuerySet):
    def loggable_by(self, user):
        return self.filter(commitment__in=Commitment.objects.loggable_by(user))


class ActivityType(models.Model):
    """A kind of work under a commitment, e.g. foot patrol or SSPF case meeting."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="activity_types",
    )
    name = PublicCharField(_("name"), max_length=200)
    slug = PublicSlugField(_("slug"), max_length=100)
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Counts concern few, identifiable people: small public counts are shown as "
            "'fewer than 3'."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ActivityTypeQuerySet.as_manager()
    promise_path = "commitment__promise"

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["commitment", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "slug"],
                name="activity_type_slug_unique_per_commitment",
                violation_error_message=_("The commitment already has a type with this slug."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def counted_measure(self):
        """The measure an entry counts the work in (controls, walks), if any: then an entry
        may stand for many, and public tables lead with the measure (from prefetched
        measures)."""
        return next((m for m in self.measures.all() if m.counts_the_work), None)


class Measure(models.Model):
    """What an activity of a type counts, with its unit (e.g. vehicles checked, vehicles)."""

    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    name = PublicCharField(_("name"), max_length=200)
    unit = PublicCharField(_("unit"), max_length=50, help_text=_("As for many: controls."))
    unit_singular = PublicCharField(
        _("unit for one"), max_length=50, blank=True, help_text=_("As for one: control.")
    )
    counts_the_work = models.BooleanField(
        _("counts the work"),
        default=False,
        help_text=_(
            "Each entry logs a number of these (e.g. “95 traffic controls in March”): public "
            "tables lead with this measure and call the entries log entries, not activities."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "activity_type__commitment__promise"

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["activity_type", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity_type", "name"],
                name="measure_name_unique_per_type",
                violation_error_message=_("The activity type already has a measure of this name."),
            ),
            models.UniqueConstraint(
                fields=["activity_type"],
                condition=models.Q(counts_the_work=True),
                name="one_counting_measure_per_type",
                violation_error_message=_("Only one measure of a type counts the work."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def unit_for(self, value):
        return self.unit_singular if value == 1 and self.unit_singular else self.unit
