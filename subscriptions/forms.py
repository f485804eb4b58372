"""The subscribe form: an address, and a field only robots fill in."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write a whole e-mail address, such as namn@example.se."),
        },
    )
    # The honeypot: hidden from people (the `hidden` attribute), filled in by form robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(
                _("Leave the last field empty: it is there to stop robots."), code="honeypot"
            )
        return ""
