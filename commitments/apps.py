"""App configuration for what is promised and what is done."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Promises and activities")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_groups

        # Groups and their permissions are part of the schema: synced after every migrate,
        # as Django syncs its own permissions.
        post_migrate.connect(ensure_groups, sender=self)
