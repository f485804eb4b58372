"""The project as an app of its own: it registers the settings' system checks (checks.py)."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "promise_portal"
    verbose_name = "Medborgarlöftesportalen"

    def ready(self):
        from . import checks  # noqa: F401 (registers the checks)
