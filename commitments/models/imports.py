"""The audit record of a spreadsheet import: who imported which file, when, with what result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Organisation
from .promise import Promise
from .tenancy import PromiseScopedQuerySet


class ActivityImport(models.Model):
    """One committed import of activities from a CSV or XLSX file.

    Written in the same transaction as the activities, so it exists exactly when they do; the
    activities' history rows name it in their change reason.
    """

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.PROTECT, related_name="imports"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="imports",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when imported from the command line."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("activity import")
        verbose_name_plural = _("activity imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"

    @property
    def change_reason(self):
        """What the activities' history rows say about where a change came from."""
        return f"import {self.pk}: {self.file_name}"[:100]
