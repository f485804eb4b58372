"""A measured indicator's values: one per period, for a district or the whole promise."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..fields import PublicCharField
from .indicator import Indicator
from .promise import District
from .tenancy import PromiseScopedQuerySet


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
