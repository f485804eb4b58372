"""Indicators of progress and the measured values entered for them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..fields import PublicCharField
from .activity_type import ActivityType, Measure
from .promise import Commitment, District, Promise
from .tenancy import PromiseScopedQuerySet


class Indicator(models.Model):
    """A measurable sign of progress for a commitment, or for the promise's goal.

    A derived indicator is computed from activities (see commitments.figures); a measured one
    takes values entered per period and district (Measurement).
    """

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    class Kind(models.TextChoices):
        DERIVED = "derived", _("derived from activities")
        MEASURED = "measured", _("measured")

    class Aggregation(models.TextChoices):
        COUNT = "count", _("number of activities")
        SUM_MEASURE = "sum_measure", _("sum of a measure")
        SUM_HOURS = "sum_hours", _("sum of hours")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="indicators"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="indicators",
        null=True,
        blank=True,
        help_text=_("Empty for an indicator of the promise's goal."),
    )
    name = PublicCharField(_("name"), max_length=200)
    unit = PublicCharField(_("unit"), max_length=50)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(
        _("baseline measured"),
        null=True,
        blank=True,
        help_text=_("The end of the period the baseline describes."),
    )
    target_value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = PublicCharField(_("source"), max_length=300)
    aggregation = models.CharField(
        _("counted as"), max_length=15, choices=Aggregation.choices, blank=True
    )
    activity_types = models.ManyToManyField(
        ActivityType, verbose_name=_("activity types"), blank=True, related_name="indicators"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("districts"),
        blank=True,
        related_name="indicators",
        help_text=_("Empty means every district of the promise."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["promise", "commitment__number", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="measured", aggregation="")
                | Q(kind="derived") & ~Q(aggregation=""),
                name="indicator_derived_has_aggregation",
                violation_error_message=_(
                    "A derived indicator says how it is counted; a measured one does not."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.commitment_id and self.promise_id and self.commitment.promise_id != self.promise_id:
            errors["commitment"] = ValidationError(
                _("The commitment belongs to another promise."), code="commitment_of_other_promise"
            )
        if self.kind == self.Kind.DERIVED:
            if not self.aggregation:
                errors["aggregation"] = ValidationError(
                    _("Say how the indicator is counted."), code="aggregation_required"
                )
            if self.aggregation == self.Aggregation.SUM_MEASURE and not self.measure_id:
                errors["measure"] = ValidationError(
                    _("Choose the measure to sum."), code="measure_required"
                )
        elif self.kind == self.Kind.MEASURED and (self.aggregation or self.measure_id):
            errors["aggregation"] = ValidationError(
                _("A measured indicator takes entered values, not a counting rule."),
                code="measured_has_no_aggregation",
            )
        if errors:
            raise ValidationError(errors)


class Measurement(models.Model):
    """A value of a measured indicator for a period, for one district or the whole promise."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        help_text=_("Empty for a value of the whole promise area."),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source_note = PublicCharField(_("source note"), max_length=300, blank=True)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "indicator__promise"

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period_start", "district"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="measurement_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "district"],
                name="one_measurement_per_period_and_district",
                violation_error_message=_("There is already a value for this period and district."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                condition=Q(district__isnull=True),
                name="one_area_wide_measurement_per_period",
                violation_error_message=_("There is already a value for this period."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period_start}–{self.period_end})"

    def clean(self):
        errors = {}
        if self.indicator_id and self.indicator.kind != Indicator.Kind.MEASURED:
            errors["indicator"] = ValidationError(
                _("Values are entered only for measured indicators."), code="not_measured"
            )
        if (
            self.indicator_id
            and self.district_id
            and self.district.promise_id != self.indicator.promise_id
        ):
            errors["district"] = ValidationError(
                _("The district does not belong to this promise."),
                code="district_of_other_promise",
            )
        if errors:
            raise ValidationError(errors)
