"""Forms of the follow-up workflow: the draft's text, assessments, comments and corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.validators import PersonalDataValidator

from .models import Approval, CommitmentAssessment, FollowUp


def _guard_of(model, name):
    """The personal-data guard of a model field, for a plain form's field that fills it.

    So that the error shows at the form's field, in the words the model would use.
    """
    field = model._meta.get_field(name)
    return PersonalDataValidator(checks=field.checks, label=field.verbose_name)


class FollowUpForm(forms.ModelForm):
    """The summary, and the revision it was written on (FollowUp.edit_text checks it)."""

    class Meta:
        model = FollowUp
        fields = ["summary", "revision"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "revision": forms.HiddenInput}


class AssessmentForm(forms.ModelForm):
    """One commitment's assessment; the status needs its written justification."""

    class Meta:
        model = CommitmentAssessment
        fields = ["status", "justification", "done", "effect", "next_steps"]
        widgets = {
            "status": forms.RadioSelect,
            "justification": forms.Textarea(attrs={"rows": 3}),
            "done": forms.Textarea(attrs={"rows": 3}),
            "effect": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked below, so that the message says what a justification is for.
        self.fields["justification"].required = False

    def clean_justification(self):
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError(
                _("Justify the status in a few words."), code="justification_required"
            )
        return text


class CommentForm(forms.Form):
    # The comment of any transition; an approval's is public, so every one is guarded as such.
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[_guard_of(Approval, "comment")],
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Shown with the new version, beside the earlier one."),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_guard_of(FollowUp, "correction_reason")],
    )
