"""App configuration for e-mail subscriptions to a promise's follow-ups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from followups.signals import followup_published

        from .tasks import enqueue_followup_mail

        # FollowUp.publish() announces a committed publication; followups does not know us.
        followup_published.connect(enqueue_followup_mail, dispatch_uid="subscriptions")
