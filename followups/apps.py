"""App configuration for tertial follow-ups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # Its parts of a promise's public pages (commitments.public_parts).
        from . import public_parts  # noqa: F401
