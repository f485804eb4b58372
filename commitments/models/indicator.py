"""Indicators of progress and the measured values entered for them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..fields import PublicCharField, PublicTextField
from .activity_type import ActivityType, Measure
from .promise import Commitment, District, Promise
from .tenancy import PromiseScopedQuerySet


class IndicatorQuerySet(PromiseScopedQuerySet):
    def shown(self):
        """Those on the pages: not withdrawn."""
        return self.filter(withdrawn_at=None)


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

    class Target(models.TextChoices):
        """What the promise promised of the figure; each is judged and shown its own way."""

        AT_LEAST = "at_least", _("at least a number over the period")
        AT_MOST = "at_most", _("at most a number over the period")
        RATE = "rate", _("at least a number every week or month")
        MILESTONE = "milestone", _("a milestone: done or not")
        NONE = "none", _("no target")

    class RatePeriod(models.TextChoices):
        WEEK = "week", pgettext_lazy("rate period", "week")
        MONTH = "month", pgettext_lazy("rate period", "month")

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
    unit = PublicCharField(_("unit"), max_length=50, help_text=_("As for many: lectures."))
    unit_singular = PublicCharField(
        _("unit for one"), max_length=50, blank=True, help_text=_("As for one: lecture.")
    )
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
    target_kind = models.CharField(
        _("kind of target"), max_length=10, choices=Target.choices, default=Target.NONE
    )
    target_value = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The number: over the period, or every week or month for a rate."),
    )
    year_targets = models.JSONField(
        _("targets of each year"),
        default=dict,
        blank=True,
        help_text=_(
            "For a promise of several years, the target of each year beside the whole "
            'period\'s: {"2019": "30", "2020": "35"}.'
        ),
    )
    rate_period = models.CharField(_("per"), max_length=5, choices=RatePeriod.choices, blank=True)
    milestone_reached_on = models.DateField(
        _("milestone reached on"),
        null=True,
        blank=True,
        help_text=_("For a measured milestone; a derived one is reached by its first activity."),
    )
    milestone_note = PublicTextField(
        _("what shows it"), blank=True, help_text=_("Shown in public with the milestone.")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = PublicTextField(
        _("reason for withdrawing"),
        blank=True,
        help_text=_(
            "An indicator of a published promise is never deleted: give the reason and save to "
            "take it off the pages; the reason is shown where it was."
        ),
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

    history = HistoricalRecords(excluded_fields=["order"])
    objects = IndicatorQuerySet.as_manager()
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

    def targets_by_year(self):
        """[(year, Decimal target)] in order, from `year_targets`."""
        return sorted((int(year), Decimal(str(value))) for year, value in self.year_targets.items())

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def unit_for(self, value):
        """The unit after a figure: "1 föreläsning", "2 föreläsningar"."""
        return self.unit_singular if value == 1 and self.unit_singular else self.unit

    def withdraw(self, reason):
        """Take a mistaken indicator off the pages, saying why; the history keeps it."""
        if not reason.strip():
            raise ValidationError(
                {
                    "withdrawal_reason": _(
                        "Say why the indicator is withdrawn: the reason is public."
                    )
                },
                code="withdrawal_reason_required",
            )
        self.withdrawn_at, self.withdrawal_reason = timezone.now(), reason.strip()
        self.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        self.promise.touch()

    def clean(self):
        errors = {}
        if self.commitment_id and self.promise_id and self.commitment.promise_id != self.promise_id:
            errors["commitment"] = ValidationError(
                _("The commitment belongs to another promise."), code="commitment_of_other_promise"
            )
        if (
            self.measure_id
            and self.promise_id
            and self.measure.activity_type.commitment.promise_id != self.promise_id
        ):
            errors["measure"] = ValidationError(
                _("The measure belongs to an activity type of another promise."),
                code="measure_of_other_promise",
            )
        errors.update(self._target_errors())
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

    def _target_errors(self):
        errors = {}
        Target = self.Target
        needs_value = self.target_kind in (Target.AT_LEAST, Target.AT_MOST, Target.RATE)
        if needs_value and self.target_value is None:
            errors["target_value"] = ValidationError(
                _("Give the number the promise promised."), code="target_value_required"
            )
        if self.target_kind == Target.NONE and self.target_value is not None:
            errors["target_value"] = ValidationError(
                _("An indicator without a target has no target value."),
                code="target_value_without_target",
            )
        if self.target_kind == Target.RATE:
            if not self.rate_period:
                errors["rate_period"] = ValidationError(
                    _("Say whether the rate is per week or per month."), code="rate_period_required"
                )
            if self.kind != self.Kind.DERIVED:
                errors["target_kind"] = ValidationError(
                    _("A rate is counted from activities: make the indicator derived."),
                    code="rate_needs_derived",
                )
        elif self.rate_period:
            errors["rate_period"] = ValidationError(
                _("Only a rate is per week or per month."), code="rate_period_without_rate"
            )
        if self.target_kind != Target.MILESTONE and (
            self.milestone_reached_on or self.milestone_note
        ):
            errors["milestone_reached_on"] = ValidationError(
                _("Only a milestone is reached on a date."), code="not_a_milestone"
            )
        if self.target_kind == Target.MILESTONE and self.target_value is not None:
            errors["target_value"] = ValidationError(
                _("A milestone is done or not: it has no number."),
                code="milestone_has_no_value",
            )
        if self.year_targets:
            errors.update(self._year_target_errors())
        direction = {Target.AT_LEAST: self.Direction.HIGHER, Target.AT_MOST: self.Direction.LOWER}
        if self.target_kind in direction and self.direction != direction[self.target_kind]:
            errors["direction"] = ValidationError(
                _("“At least” means higher is better and “at most” lower is better."),
                code="direction_contradicts_target",
            )
        return errors

    def _year_target_errors(self):
        def error(message, code):
            return {"year_targets": ValidationError(message, code=code)}

        if self.target_kind not in (self.Target.AT_LEAST, self.Target.AT_MOST):
            return error(
                _("Only an “at least” or “at most” target is set per year."), "year_target_kind"
            )
        if not isinstance(self.year_targets, dict):
            return error(_("Give each year with its target."), "year_targets_not_years")
        try:
            years = self.targets_by_year()
        except (ValueError, ArithmeticError, TypeError):
            return error(
                _("Each year is a year (2019) and each target a number (30)."),
                "year_targets_not_numbers",
            )
        if self.promise_id:
            first, last = self.promise.start_date.year, self.promise.end_date.year
            outside = [str(year) for year, _value in years if not first <= year <= last]
            if outside:
                return error(
                    _("The promise runs %(start)s–%(end)s, not %(years)s.")
                    % {"start": first, "end": last, "years": ", ".join(outside)},
                    "year_outside_promise",
                )
        if any(value < 0 for _year, value in years):
            return error(_("A target is not below zero."), "year_target_negative")
        return {}

    @staticmethod
    def choice_errors(promise, *, activity_types, districts, measure, aggregation, target_kind):
        """Errors for the choices a form makes beside the indicator's own fields.

        The many-to-many choices are saved after the indicator, so its form checks them here
        (commitments.admin.IndicatorForm) before anything is saved: activity types, districts
        and measure of the indicator's own promise; a type whose entries each log many (a
        counting measure) summed by that measure, not counted; no rate of a sensitive type.
        """
        errors = {}

        def others(rows, promise_id_of):
            return ", ".join(
                f"“{row.name}” ({promise_id_of(row)})"
                for row in rows
                if promise_id_of(row).pk != promise.pk
            )

        foreign = others(activity_types, lambda t: t.commitment.promise)
        if foreign:
            errors["activity_types"] = ValidationError(
                _("Not of this indicator's promise: %(rows)s.") % {"rows": foreign},
                code="activity_type_of_other_promise",
            )
        foreign = others(districts, lambda d: d.promise)
        if foreign:
            errors["districts"] = ValidationError(
                _("Not of this indicator's promise: %(rows)s.") % {"rows": foreign},
                code="district_of_other_promise",
            )
        if measure is not None and measure.activity_type not in activity_types:
            errors["measure"] = ValidationError(
                _("The measure is not one of the chosen activity types'."),
                code="measure_of_other_type",
            )
        if aggregation == Indicator.Aggregation.COUNT:
            batched = [t for t in activity_types if t.counted_measure is not None]
            if batched:
                errors["aggregation"] = ValidationError(
                    _(
                        "Each entry of %(types)s logs many: sum its measure “%(measure)s” "
                        "instead of counting entries."
                    )
                    % {
                        "types": ", ".join(f"“{t.name}”" for t in batched),
                        "measure": batched[0].counted_measure.name,
                    },
                    code="count_of_batched_type",
                )
        if target_kind == Indicator.Target.RATE and any(t.is_sensitive for t in activity_types):
            errors["target_kind"] = ValidationError(
                _("A sensitive type is not judged week by week: it could identify people."),
                code="rate_of_sensitive_type",
            )
        return errors
