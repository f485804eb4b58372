"""The reminders already sent, so that each goes out once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Promise

from ..tertials import Tertial


class SentReminder(models.Model):
    """A reminder already sent, so that send_reminders run again sends it only once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    promise = models.ForeignKey(Promise, verbose_name=_("promise"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "promise", "year", "tertial"],
                name="one_reminder_per_person_and_tertial",
            ),
        ]

    def __str__(self):
        return f"{self.user} {Tertial(self.year, self.tertial)}"
