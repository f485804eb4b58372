"""Forms of the promise workspace: each limited to the promise it belongs to.

Every choice a form offers (organisations, districts, activity types, measures) comes from
the promise being set up, never from the whole table: a coordinator cannot point a commitment
or an indicator at another municipality's rows, and the dropdowns show only their own.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    ActivityType,
    Commitment,
    District,
    Indicator,
    Measure,
    Organisation,
    Promise,
    Signatory,
)
from .validators import PUBLIC, PersonalDataValidator
from .workspace import boundary_from_geojson

_DATE = {"type": "date"}


class PromiseForm(forms.ModelForm):
    """The promise's own texts, period and reporting. The other signing organisation is chosen
    when the promise is created (`partner`); the coordinator's own is the other."""

    sources = forms.MultipleChoiceField(
        label=_("Sources of the problem picture"),
        choices=Promise.Source.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Promise
        fields = [
            "title",
            "slug",
            "start_date",
            "end_date",
            "reporting_cadence",
            "introduction",
            "problem_picture",
            "sources",
            "goal",
            "follow_up_plan",
            "easy_read",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "problem_picture": forms.Textarea(attrs={"rows": 5}),
            "goal": forms.Textarea(attrs={"rows": 4}),
            "follow_up_plan": forms.Textarea(attrs={"rows": 3}),
            "easy_read": forms.Textarea(attrs={"rows": 6, "lang": "sv"}),
        }
        help_texts = {"slug": _("In the promise's address: lower case, digits and hyphens.")}


class SourceLinkForm(forms.Form):
    """One source of the problem picture, as citizens will follow it: a title and an address."""

    title = forms.CharField(
        label=_("Title of the source"),
        max_length=200,
        validators=[PersonalDataValidator(checks=PUBLIC, label=_("Title of the source"))],
    )
    url = forms.URLField(label=_("Address (https://…)"), assume_scheme="https", max_length=500)


SourceLinkFormSet = forms.formset_factory(SourceLinkForm, extra=2, can_delete=True)


def source_link_formset(data, promise):
    """The promise's source links as a formset (prefix "sources"); its `links()` after
    validation are what Promise.source_links holds."""
    initial = list(promise.source_links) if promise is not None and promise.pk else []
    formset = SourceLinkFormSet(data, initial=initial, prefix="sources")
    formset.links = lambda: [
        {"title": form.cleaned_data["title"].strip(), "url": form.cleaned_data["url"]}
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("title")
    ]
    return formset


class NewPromiseForm(PromiseForm):
    """A new promise, with the organisation that signs it beside the coordinator's own."""

    partner = forms.ModelChoiceField(
        label=_("Signed together with"), queryset=Organisation.objects.none()
    )

    class Meta(PromiseForm.Meta):
        fields = ["partner", *PromiseForm.Meta.fields]

    def __init__(self, *args, own, **kwargs):
        super().__init__(*args, **kwargs)
        other = (
            Organisation.Kind.POLICE
            if own.kind == Organisation.Kind.MUNICIPALITY
            else Organisation.Kind.MUNICIPALITY
        )
        self.fields["partner"].queryset = Organisation.objects.filter(kind=other).order_by("name")
        self.fields["partner"].label = (
            _("Local police area") if other == Organisation.Kind.POLICE else _("Municipality")
        )
        self.own = own
        if own.kind == Organisation.Kind.MUNICIPALITY:
            self.instance.municipality = own
        else:
            self.instance.police_area = own

    def _post_clean(self):
        partner = self.cleaned_data.get("partner")
        if partner is not None:
            if self.own.kind == Organisation.Kind.MUNICIPALITY:
                self.instance.police_area = partner
            else:
                self.instance.municipality = partner
        super()._post_clean()


class _OfPromise(forms.ModelForm):
    """A part of one promise: the form sets it, and limits its choices to the promise's own."""

    def __init__(self, *args, promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.promise = promise
        if hasattr(self.instance, "promise_id") and self.instance.promise_id is None:
            self.instance.promise = promise
        signatories = Organisation.objects.filter(
            pk__in=[promise.municipality_id, promise.police_area_id]
        )
        for _name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if model is Organisation:
                field.queryset = signatories
            elif model is District:
                field.queryset = promise.districts.all()
            elif model is Commitment:
                field.queryset = promise.commitments.all()
            elif model is ActivityType:
                field.queryset = ActivityType.objects.filter(
                    commitment__promise=promise
                ).select_related("commitment")
                field.label_from_instance = lambda t: f"{t.commitment.number}. {t.name}"
            elif model is Measure:
                field.queryset = Measure.objects.filter(
                    activity_type__commitment__promise=promise
                ).select_related("activity_type")
                field.label_from_instance = lambda m: f"{m.activity_type.name}: {m.name}"


class SignatoryForm(_OfPromise):
    class Meta:
        model = Signatory
        fields = ["organisation", "name", "role", "order"]
        help_texts = {
            "role": _("As it is written under the signature, e.g. kommunstyrelsens ordförande.")
        }


class DistrictForm(_OfPromise):
    boundary_file = forms.FileField(
        label=_("Boundary (GeoJSON file, optional)"),
        required=False,
        help_text=_("A Polygon or MultiPolygon in WGS 84, as exported from a map tool."),
    )
    remove_boundary = forms.BooleanField(label=_("Remove the boundary"), required=False)

    class Meta:
        model = District
        fields = ["name", "slug", "kind", "order"]

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > 2_000_000:
            raise forms.ValidationError(_("The file is larger than 2 MB."), code="too_large")
        return boundary_from_geojson(upload.read())

    def save(self, commit=True):
        if self.cleaned_data.get("remove_boundary"):
            self.instance.boundary = None
        elif self.cleaned_data.get("boundary_file"):
            self.instance.boundary = self.cleaned_data["boundary_file"]
        return super().save(commit)


class CommitmentForm(_OfPromise):
    class Meta:
        model = Commitment
        fields = ["number", "title", "text", "responsible_organisations", "districts"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "responsible_organisations": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
        }
        help_texts = {"text": _("Word for word as in the signed promise.")}


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["name", "slug", "is_sensitive", "order"]


MeasureFormSet = forms.inlineformset_factory(
    ActivityType,
    Measure,
    fields=["name", "unit", "unit_singular", "counts_the_work", "order"],
    extra=2,
    can_delete=True,
)


class YearTargetsField(forms.CharField):
    """Per-year targets written as lines "2019: 30", kept as Indicator.year_targets
    ({"2019": "30"}); the model's clean checks the years against the promise."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{year}: {target}" for year, target in sorted(value.items()))
        return value

    def to_python(self, value):
        targets = {}
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            year, _sep, target = line.partition(":")
            target = target.strip().replace(",", ".").replace(" ", "")
            if not (year.strip().isdigit() and len(year.strip()) == 4 and target):
                raise forms.ValidationError(
                    _("Write one year a line, as “2019: 30”."), code="bad_year_target"
                )
            try:
                float(target)
            except ValueError as error:
                raise forms.ValidationError(
                    _("Write one year a line, as “2019: 30”."), code="bad_year_target"
                ) from error
            targets[year.strip()] = target
        return targets


# What a coordinator writes of an indicator, here and in the admin (which adds its promise and
# the reason of a withdrawal).
INDICATOR_FIELDS = [
    "commitment",
    "name",
    "unit",
    "unit_singular",
    "kind",
    "aggregation",
    "activity_types",
    "measure",
    "districts",
    "source",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_kind",
    "target_value",
    "year_targets",
    "rate_period",
    "milestone_reached_on",
    "milestone_note",
    "order",
]


class IndicatorForm(_OfPromise):
    """An indicator of every target kind; its choices are this promise's types, measures and
    districts, and Indicator.choice_errors says why a combination is refused."""

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {
            "activity_types": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "baseline_date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "milestone_reached_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "milestone_note": forms.Textarea(attrs={"rows": 2}),
        }

    year_targets = YearTargetsField(
        label=_("Targets of each year"),
        required=False,
        help_text=_("For a promise of several years: one year a line, as “2019: 30”."),
    )

    def clean(self):
        cleaned = super().clean()
        add_choice_errors(self, self.promise)
        return cleaned


def add_choice_errors(form, promise):
    """Indicator.choice_errors of a cleaned indicator form, added at its fields (here and in
    the admin's form): another promise's types or districts, a measure of another type …"""
    cleaned = form.cleaned_data
    errors = Indicator.choice_errors(
        promise,
        activity_types=list(cleaned.get("activity_types") or []),
        districts=list(cleaned.get("districts") or []),
        measure=cleaned.get("measure"),
        aggregation=cleaned.get("aggregation"),
        target_kind=cleaned.get("target_kind"),
    )
    for field, error in errors.items():
        form.add_error(field, error)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        help_text=_("Public: shown where the indicator was."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CopyFromForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the structure of"),
        queryset=Promise.objects.public().select_related("municipality").order_by("title"),
        help_text=_(
            "Its districts, commitments, kinds of work, measures and indicators are copied "
            "into this draft; then change what differs here."
        ),
    )
