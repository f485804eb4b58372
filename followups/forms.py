"""Forms of the follow-up workflow: the draft's text, assessments, comments and corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.validators import PersonalDataValidator

from .models import Approval, CommitmentAssessment, FollowUp, UnreportedTertial


def _guard_of(model, name):
    """The personal-data guard of a model field, for a plain form's field that fills it.

    So that the error shows at the form's field, in the words the model would use.
    """
    field = model._meta.get_field(name)
    return PersonalDataValidator(checks=field.checks, label=field.verbose_name)


class FollowUpForm(forms.ModelForm):
    """The summary, its easy-to-read version, and the revision they were written on
    (FollowUp.edit_text checks it)."""

    class Meta:
        model = FollowUp
        fields = ["summary", "easy_read", "revision"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "easy_read": forms.Textarea(attrs={"rows": 5, "lang": "sv"}),
            "revision": forms.HiddenInput,
        }


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
        # The final follow-up gives verdicts, the others say how the work goes.
        allowed = CommitmentAssessment.statuses_for(self.instance.followup)
        self.fields["status"].choices = [
            (value, label)
            for value, label in CommitmentAssessment.Status.choices
            if value in allowed
        ]
        if self.instance.followup.is_final:
            self.fields["status"].label = _("Verdict")

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


class UnreportedForm(forms.ModelForm):
    """Why a due tertial gets no follow-up: shown to citizens where the report would be."""

    class Meta:
        model = UnreportedTertial
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": _("Public: shown on the promise's page instead of the report.")}


class PastFollowUpForm(forms.ModelForm):
    """A report approved and published before the portal was used: its real dates and signers.

    The instance is the unsaved follow-up (registered afterwards), so that FollowUp.clean
    checks the dates against its tertial.
    """

    class Meta:
        model = FollowUp
        fields = ["approved_on", "published_on", "signed_by"]
        widgets = {
            "approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signed_by": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "approved_on": _("The day both signatories approved the report."),
            "published_on": _("The day the report was made public."),
        }
