"""Activity types, their measures, and the activities staff log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import no_contact_details, no_personal_data
from .promise import Commitment, District, Organisation


class ActivityType(models.Model):
    """A kind of work under a commitment, e.g. foot patrol or SSPF case meeting."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="activity_types",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Counts concern few, identifiable people: small public counts are shown as "
            "'fewer than 3'."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

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


class Measure(models.Model):
    """What an activity of a type counts, with its unit (e.g. vehicles checked, vehicles)."""

    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

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
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class ActivityQuerySet(models.QuerySet):
    def public(self):
        """What a citizen may see: public activities of published promises, once not too recent.

        Patrol plans must not be readable live; which date counts is decided here, once.
        """
        cutoff = timezone.localdate() - settings.PUBLICATION_DELAY
        return self.filter(is_public=True, commitment__promise__is_published=True, date__lte=cutoff)


class Activity(models.Model):
    """What was done: one logged piece of work, with a value for each measure of its type."""

    # Indexed by the composite indexes in Meta, which start with it (one index fewer to write).
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    staff_count = models.PositiveSmallIntegerField(_("number of staff"), default=1)
    summary = models.TextField(_("public summary"), blank=True, validators=[no_contact_details])
    internal_note = models.TextField(
        _("internal note"),
        blank=True,
        validators=[no_personal_data],
        help_text=_("Never shown in public."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The row's id in a spreadsheet, so that a re-import updates it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="activity_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(staff_count__gte=0),
                name="activity_staff_not_negative",
                violation_error_message=_("The number of staff cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique_per_organisation",
                violation_error_message=_("The organisation already has an activity with this id."),
            ),
        ]
        # For the real query patterns (issue 9, docs/benchmarks.md shows their plans).
        indexes = [
            models.Index(fields=["commitment", "date"], name="activity_commitment_date"),
            models.Index(fields=["district", "date"], name="activity_district_date"),
            models.Index(fields=["organisation", "date"], name="activity_organisation_date"),
            # Public figures of a commitment or district in a period: every column they count,
            # sum or group by is in the index, so PostgreSQL answers from it alone.
            models.Index(
                fields=["commitment", "date", "district", "activity_type", "hours", "id"],
                condition=Q(is_public=True),
                name="activity_public_commitment",
            ),
            models.Index(
                fields=["district", "date", "commitment", "activity_type", "hours", "id"],
                condition=Q(is_public=True),
                name="activity_public_district",
            ),
            # A user's own recent entries; imported and generated rows without one stay out.
            models.Index(
                fields=["created_by", "-created_at"],
                condition=Q(created_by__isnull=False),
                name="activity_created_by_recent",
            ),
        ]

    def __str__(self):
        return f"{self.activity_type} {self.date:%Y-%m-%d}"

    def clean(self):
        errors = {}
        if self.commitment_id:
            promise = self.commitment.promise
            if self.date and not promise.contains(self.date):
                errors["date"] = ValidationError(
                    _("The date must be within the promise's period, %(start)s – %(end)s."),
                    code="outside_period",
                    params={"start": promise.start_date, "end": promise.end_date},
                )
            if self.activity_type_id and self.activity_type.commitment_id != self.commitment_id:
                errors["activity_type"] = ValidationError(
                    _("The activity type does not belong to the chosen commitment."),
                    code="type_of_other_commitment",
                )
            if self.district_id and self.district.promise_id != promise.pk:
                errors["district"] = ValidationError(
                    _("The district does not belong to this promise."),
                    code="district_of_other_promise",
                )
        if errors:
            raise ValidationError(errors)


class ActivityValue(models.Model):
    """One activity's value for one measure of its type."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,  # the unique (activity, measure) index starts with it
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("measure value")
        verbose_name_plural = _("measure values")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "measure"],
                name="one_value_per_activity_and_measure",
                violation_error_message=_("The activity already has a value for this measure."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="measure_value_not_negative",
                violation_error_message=_("A measure value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.measure.name}: {self.value}"

    def clean(self):
        if (
            self.activity_id
            and self.measure_id
            and self.measure.activity_type_id != self.activity.activity_type_id
        ):
            raise ValidationError(
                {
                    "measure": ValidationError(
                        _("The measure belongs to another activity type than the activity's."),
                        code="measure_of_other_type",
                    )
                }
            )
