"""App configuration for citizens' feedback ("Tyck till")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Citizens' feedback")

    def ready(self):
        # The form on a promise's and a district's public page (commitments.public_parts).
        from commitments.public_parts import page_context

        from .models import Feedback

        def safety_choices(_promise, context):
            context["safety_choices"] = Feedback.Safety.choices

        page_context("promise")(safety_choices)
        page_context("district")(safety_choices)
