"""What citizens say about safety in a promise's districts ("Tyck till"), and the replies.

No name is asked for and none is kept: the text passes the same guard as staff texts (no
personal identity numbers, phone numbers, e-mail addresses or number plates). Nothing is public
until a coordinator of the promise has read it and chosen to publish it, with a reply; who
read and who published it is kept for the staff only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.fields import PublicTextField
from commitments.models import District, Promise
from commitments.models.tenancy import PromiseScopedQuerySet
from commitments.tertials import Tertial


class FeedbackQuerySet(PromiseScopedQuerySet):
    def public(self):
        """The publication rule of feedback: published by a coordinator, with its reply."""
        return self.filter(published_at__isnull=False, promise__is_published=True)


class Feedback(models.Model):
    class Safety(models.IntegerChoices):
        VERY_SAFE = 4, _("very safe")
        FAIRLY_SAFE = 3, _("fairly safe")
        FAIRLY_UNSAFE = 2, _("fairly unsafe")
        VERY_UNSAFE = 1, _("very unsafe")
        DONT_KNOW = 0, _("don't know")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="feedback"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("Empty: the whole area."),
    )
    safety = models.PositiveSmallIntegerField(_("how safe it feels"), choices=Safety.choices)
    text = PublicTextField(_("what would make it safer"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = PublicTextField(_("reply"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FeedbackQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["promise", "year", "tertial"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(read_at__isnull=False),
                name="feedback_read_before_published",
            )
        ]

    def __str__(self):
        return f"{self.promise}: {self.get_safety_display()}"

    def save(self, *args, **kwargs):
        if self.year is None or self.tertial is None:
            period = Tertial.of(timezone.localdate(self.created_at))
            self.year, self.tertial = period.year, period.number
        super().save(*args, **kwargs)

    @property
    def period(self):
        return Tertial(self.year, self.tertial)
