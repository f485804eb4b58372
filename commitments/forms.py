"""Staff forms: choosing an activity type, logging or correcting an activity, filtering the list.

Every choice is limited to what the user may use (the QuerySets' `loggable_by`/`visible_to`).
"""

import uuid

from django import forms
from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions
from .imports import may_import
from .models import Activity, ActivityType, Commitment, District, Organisation, Promise, User
from .tertials import Tertial, tertials_between


def _type_choices(types):
    """Activity types grouped under their commitment, for an <optgroup> per commitment."""
    groups = {}
    for activity_type in types:
        commitment = activity_type.commitment
        label = str(commitment)
        if commitment.promise_count > 1:
            label = f"{commitment.promise.title}: {label}"
        groups.setdefault(label, []).append((activity_type.pk, activity_type.name))
    return list(groups.items())


class TypeChoiceForm(forms.Form):
    """Step one, so that the form without JavaScript knows which measures to ask for."""

    typ = forms.TypedChoiceField(label=_("What did you do?"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        types = list(ActivityType.objects.loggable_by(user).select_related("commitment__promise"))
        promises = {t.commitment.promise_id for t in types}
        for activity_type in types:
            activity_type.commitment.promise_count = len(promises)
        self.fields["typ"].choices = _type_choices(types)
        self.has_choices = bool(types)


class ActivityForm(forms.ModelForm):
    """Log or correct one activity of a chosen type, with a field for each of its measures."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # One per form opened for a new activity: sending the form twice saves it once.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "organisation",
            "district",
            "date",
            "hours",
            "staff_count",
            "summary",
            "internal_note",
            "is_public",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.25", "min": "0", "inputmode": "decimal"}),
            "staff_count": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "internal_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "summary": _(
                "Shown in public. No names, personal identity numbers, e-mail addresses, "
                "phone numbers or registration numbers."
            ),
            "internal_note": _("Never shown in public. No personal identity numbers."),
        }

    def __init__(self, *args, user, activity_type, last=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.activity_type = activity_type
        activity = self.instance
        commitment = activity_type.commitment
        promise = commitment.promise
        activity.activity_type = activity_type
        activity.commitment = commitment

        districts = commitment.districts.all()
        if not districts.exists():
            districts = District.objects.filter(promise=promise)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = None if districts.count() == 1 else "–"

        if permissions.is_coordinator_of(user, promise) or permissions.is_superuser(user):
            self.fields["organisation"].queryset = Organisation.objects.filter(
                permissions.loggable_organisations(user, promise)
            ).distinct()
        else:
            # Staff log for their own organisation only; the field is not offered.
            del self.fields["organisation"]
            if activity.pk is None:
                activity.organisation = user.organisation

        self.measures = list(activity_type.measures.all())
        current = {}
        if activity.pk:
            current = {v.measure_id: v.value for v in activity.values.all()}
            self.fields["version"].initial = activity.version
            del self.fields["token"]
        else:
            del self.fields["version"]
            self.fields["token"].initial = uuid.uuid4()
            self._set_defaults(promise, districts, last)
        for measure in self.measures:
            self.fields[f"measure_{measure.pk}"] = forms.DecimalField(
                label=measure.name,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=current.get(measure.pk),
                help_text=measure.unit,
                widget=forms.NumberInput(attrs={"min": "0", "inputmode": "decimal"}),
            )

    def _set_defaults(self, promise, districts, last):
        today = timezone.localdate()
        # Today, unless the promise has ended (or not begun): then the nearest day it covers.
        self.initial.setdefault("date", min(max(today, promise.start_date), promise.end_date))
        if "organisation" in self.fields:
            self.initial.setdefault("organisation", self.user.organisation_id)
        if last is not None and last.district in districts:
            self.initial.setdefault("district", last.district_id)

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError(_("The form is missing its version."), code="no_version")
        return version

    def measure_fields(self):
        return [self[f"measure_{measure.pk}"] for measure in self.measures]

    def values(self):
        return {m: self.cleaned_data.get(f"measure_{m.pk}") for m in self.measures}

    def save_activity(self):
        """Save through the model's methods; an edit may raise ValidationError(code="stale").

        Returns the activity saved: for a new one sent again, the one its first sending made.
        """
        if self.instance.pk:
            self.instance.save_edit(based_on=self.cleaned_data["version"], values=self.values())
            return self.instance
        return self.instance.save_new(
            by=self.user, values=self.values(), token=self.cleaned_data.get("token")
        )


class ActivityFilterForm(forms.Form):
    """The staff list's filters; every choice is something the user may see."""

    commitment = forms.ModelChoiceField(
        label=_("commitment"), queryset=Commitment.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("district"), queryset=District.objects.none(), required=False
    )
    tertial = forms.ChoiceField(label=_("tertial"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), required=False
    )
    activity_type = forms.ModelChoiceField(
        label=_("activity type"), queryset=ActivityType.objects.none(), required=False
    )
    created_by = forms.ModelChoiceField(
        label=_("entered by"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, user, commitments, **kwargs):
        """`commitments`: the user's `permissions.commitment_ids`, read once by the view."""
        super().__init__(*args, **kwargs)
        promises = Promise.objects.visible_to(user)
        self.fields["commitment"].queryset = Commitment.objects.filter(
            pk__in=commitments.visible
        ).select_related("promise")
        self.fields["district"].queryset = District.objects.visible_to(user)
        self.fields["activity_type"].queryset = ActivityType.objects.visible_to(user)
        # The organisations taking part in the promises the user sees, and their people: read
        # from the promises, not from the activities (a semi-join over every visible activity
        # took half a second at a million activities, docs/benchmarks.md).
        organisations = Organisation.objects.visible_to(user)
        if not permissions.sees_other_organisations_activities(user):
            # Without a leading role a user sees only the own organisation's activities.
            organisations = organisations.filter(pk=user.organisation_id)
        self.fields["organisation"].queryset = organisations
        self.fields["created_by"].queryset = User.objects.filter(
            organisation__in=organisations
        ).order_by("first_name", "last_name", "username")
        self.fields["created_by"].label_from_instance = lambda u: u.get_full_name() or u.username
        period = promises.aggregate(start=Min("start_date"), end=Max("end_date"))
        tertials = tertials_between(period["start"], period["end"]) if period["start"] else []
        self.fields["tertial"].choices = [("", "–")] + [(t.slug, str(t)) for t in tertials]

    def filter(self, activities):
        """The activities matching the valid filters (an invalid form filters nothing)."""
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        for name in ["commitment", "district", "organisation", "activity_type", "created_by"]:
            if data.get(name):
                activities = activities.filter(**{name: data[name]})
        if data.get("tertial"):
            tertial = Tertial.from_slug(data["tertial"])
            activities = activities.between(tertial.start, tertial.end)
        return activities


class ImportForm(forms.Form):
    """Upload a spreadsheet of activities for one organisation in one promise."""

    promise = forms.ModelChoiceField(label=_("Promise"), queryset=Promise.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Whose activities the file holds."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (XLSX), with one activity per row under the template's headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        promises = Promise.objects.loggable_by(user)
        self.fields["promise"].queryset = promises
        if promises.count() == 1:
            self.fields["promise"].initial = promises.first()
        # Whom the user may import for in any of these promises; `may_import` checks the pair.
        organisations = Q(pk=user.organisation_id)
        if permissions.is_superuser(user):
            organisations = Q()
        else:
            for promise in promises:
                organisations |= permissions.loggable_organisations(user, promise)
        organisations = Organisation.objects.filter(organisations).distinct()
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].initial = user.organisation_id

    def clean(self):
        data = super().clean()
        promise, organisation = data.get("promise"), data.get("organisation")
        if promise and organisation and not may_import(self.user, promise, organisation):
            raise forms.ValidationError(
                _("You may not import activities of %(organisation)s in %(promise)s."),
                code="not_allowed",
                params={"organisation": organisation, "promise": promise},
            )
        upload = data.get("file")
        if upload is not None and upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error(
                "file",
                forms.ValidationError(
                    _("The file is larger than %(limit)s MB, the most that can be imported."),
                    code="too_large",
                    params={"limit": settings.IMPORT_MAX_BYTES // 1_048_576},
                ),
            )
        return data


class ImportConfirmForm(forms.Form):
    """The preview's "import" button: which stored upload, for whom."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    promise = forms.ModelChoiceField(queryset=Promise.objects.none(), widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), widget=forms.HiddenInput
    )
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["promise"].queryset = Promise.objects.loggable_by(user)

    def clean(self):
        data = super().clean()
        promise, organisation = data.get("promise"), data.get("organisation")
        if promise and organisation and not may_import(self.user, promise, organisation):
            raise forms.ValidationError(
                _("You may not import activities of %(organisation)s in %(promise)s."),
                code="not_allowed",
                params={"organisation": organisation, "promise": promise},
            )
        return data


class CopyPromiseForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new promise"), min_value=2000, max_value=2100)
