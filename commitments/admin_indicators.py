"""The operators' admin of indicators and their measured values (imported by admin.py).

Its choices are named with their promise, and its form refuses another promise's activity
types, measures and districts like the workspace's (`workspace_forms.add_choice_errors`).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ActivityType, District, Indicator, Measure, Measurement
from .models.tenancy import promise_of
from .scoped_admin import ScopedAdmin, ScopedInline, scoped
from .workspace_forms import INDICATOR_FIELDS, add_choice_errors


class MeasurementInline(ScopedInline, admin.TabularInline):
    model = Measurement
    extra = 0


class WithPromise(forms.ModelMultipleChoiceField):
    """Choices named with their promise: two promises' “Trafikkontroll” are told apart."""

    def label_from_instance(self, obj):
        return _("%(name)s — %(promise)s") % {"name": obj, "promise": promise_of(obj)}


class MeasureWithPromise(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s — %(type)s, %(promise)s") % {
            "name": obj,
            "type": obj.activity_type.name,
            "promise": promise_of(obj),
        }


class IndicatorForm(forms.ModelForm):
    withdraw = forms.BooleanField(
        label=_("Withdraw the indicator"),
        required=False,
        help_text=_("It leaves the public pages with the reason below; its history is kept."),
    )

    class Meta:
        model = Indicator
        fields = ["promise", *INDICATOR_FIELDS, "withdrawal_reason"]

    def clean(self):
        cleaned = super().clean()
        promise = cleaned.get("promise")
        if promise is not None:
            add_choice_errors(self, promise)
        if cleaned.get("withdraw") and not (cleaned.get("withdrawal_reason") or "").strip():
            self.add_error(
                "withdrawal_reason",
                forms.ValidationError(
                    _("Say why the indicator is withdrawn: the reason is public."),
                    code="withdrawal_reason_required",
                ),
            )
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Indicators, with the choices of their own promise named as such.

    An indicator of a published promise is not deleted: a mistaken one is withdrawn, with a
    public reason, and the history keeps what it was.
    """

    form = IndicatorForm
    list_display = ["name", "promise", "commitment", "kind", "target_kind", "withdrawn_at"]
    list_filter = ["kind", "target_kind", *scoped("promise")]
    list_select_related = ["promise", "commitment"]
    search_fields = ["name", "source"]
    filter_horizontal = ["activity_types", "districts"]
    readonly_fields = ["withdrawn_at"]
    inlines = [MeasurementInline]
    fieldsets = [
        (None, {"fields": ["promise", "commitment", "name", "unit", "unit_singular", "order"]}),
        (
            _("How it is counted"),
            {"fields": ["kind", "aggregation", "activity_types", "measure", "districts", "source"]},
        ),
        (
            _("Target"),
            {
                "fields": [
                    "target_kind",
                    "target_value",
                    "year_targets",
                    "rate_period",
                    "direction",
                    "baseline_value",
                    "baseline_date",
                    "milestone_reached_on",
                    "milestone_note",
                ],
            },
        ),
        (_("Withdrawal"), {"fields": ["withdraw", "withdrawal_reason", "withdrawn_at"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "activity_types":
            kwargs["form_class"] = WithPromise
            kwargs["queryset"] = (
                ActivityType.objects.editable_by(request.user)
                .select_related("commitment__promise")
                .prefetch_related("measures")
            )
        elif db_field.name == "districts":
            kwargs["form_class"] = WithPromise
            kwargs["queryset"] = District.objects.editable_by(request.user).select_related(
                "promise"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "measure":
            kwargs["form_class"] = MeasureWithPromise
            kwargs["queryset"] = Measure.objects.editable_by(request.user).select_related(
                "activity_type__commitment__promise"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("withdraw") and not form.instance.is_withdrawn:
            form.instance.withdraw(form.cleaned_data["withdrawal_reason"])


@admin.register(Measurement)
class MeasurementAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "district", "value"]
    list_filter = scoped("indicator__promise", "indicator", "district")
    list_select_related = ["indicator", "district"]
    search_fields = ["indicator__name", "source_note"]
