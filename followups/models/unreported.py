"""A tertial that the coordinators say will not be reported, with the public reason why."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments import permissions
from commitments.fields import PublicTextField
from commitments.models import Promise
from commitments.models.tenancy import PromiseScopedQuerySet

from ..tertials import Tertial


class UnreportedTertial(models.Model):
    """A due tertial that gets no follow-up: it is not past due, and its page says why.

    The reason is public (the promise page and the calendar show it); who marked it is not.
    Marked and unmarked by a coordinator of the promise (`mark`, `unmark`), never once the
    tertial has a published follow-up; the history keeps every mark.
    """

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.PROTECT,
        related_name="unreported_tertials",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"))
    reason = PublicTextField(_("why it is not reported"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    history = HistoricalRecords()
    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("tertial not reported")
        verbose_name_plural = _("tertials not reported")
        ordering = ["promise", "year", "tertial"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "year", "tertial"],
                name="one_unreported_mark_per_tertial",
                violation_error_message=_("This tertial is already marked as not reported."),
            ),
        ]

    def __str__(self):
        return f"{self.promise} – {self.period}"

    @property
    def period(self):
        return Tertial(self.year, self.tertial)

    @classmethod
    @transaction.atomic
    def mark(cls, *, promise, tertial, reason, by):
        """The coordinator says a due tertial of the promise will not be reported, and why."""
        from .followup import FollowUp

        if by is None or not permissions.is_coordinator_of(by, promise):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        if tertial not in promise.reported_tertials():
            raise ValidationError(
                _("This tertial is not due a follow-up: there is nothing to mark."),
                code="not_due",
            )
        published = FollowUp.objects.public().filter(
            promise=promise, year=tertial.year, tertial=tertial.number
        )
        if published.exists():
            raise ValidationError(_("This tertial has a published follow-up."), code="reported")
        mark = cls(
            promise=promise,
            year=tertial.year,
            tertial=tertial.number,
            reason=(reason or "").strip(),
            marked_by=by,
        )
        mark.full_clean()
        mark.save()
        promise.touch()
        return mark

    @transaction.atomic
    def unmark(self, *, by):
        """The tertial is due again (it will be reported after all)."""
        if by is None or not permissions.is_coordinator_of(by, self.promise):
            raise PermissionDenied(_("You may not do this with this follow-up."))
        self._change_reason = "unmarked"
        self.delete()
        self.promise.touch()
