"""The public "Tyck till" form and the coordinator's reply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class FeedbackForm(forms.ModelForm):
    """How safe a person feels in a district and what would make it safer; no name.

    `website` is a honeypot: hidden from people (and from screen readers), left empty by them,
    filled in by bots that fill in every field.
    """

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Feedback
        fields = ["district", "safety", "text"]
        widgets = {
            "safety": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }
        labels = {"district": _("Where"), "safety": _("How safe do you feel there?")}
        help_texts = {
            "text": _(
                "Do not write your name or anyone else's, phone numbers, e-mail addresses or "
                "number plates: the police and the municipality read everything before anything "
                "is shown."
            )
        }

    def __init__(self, *args, promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.promise = promise
        district = self.fields["district"]
        district.queryset = promise.districts.order_by("order", "name")
        district.empty_label = _("The whole area")
        district.required = False
        self.fields["safety"].choices = Feedback.Safety.choices

    @property
    def is_bot(self):
        return bool(self.data.get("website"))


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["reply"]
        widgets = {"reply": forms.Textarea(attrs={"rows": 3})}
        labels = {"reply": _("Your reply, published with it")}

    def clean_reply(self):
        reply = self.cleaned_data["reply"].strip()
        if not reply:
            raise forms.ValidationError(_("Write a reply: feedback is published with an answer."))
        return reply
