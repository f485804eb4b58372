"""A staff export prepared by the task worker: which rows, how far it has come, its file."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is its requester's alone: it holds what they may see, which others may
        not. Nobody else, the operator neither, opens it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def expired(self, now=None):
        cutoff = (now or timezone.now()) - timedelta(hours=settings.EXPORT_HOURS)
        return self.filter(requested_at__lt=cutoff)


class ActivityExport(models.Model):
    """The activities a user's filter selects, as a CSV or XLSX file in the storage.

    Large lists take longer than a web request may (gunicorn's 30 s), so the worker writes the
    file (commitments/export_files.py) and the staff page shows its progress. The rows are
    chosen when the worker runs, from what the requester may see then (`visible_to`), with the
    filter stored here. The file and the row go after EXPORT_HOURS (`manage.py run_jobs`).
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The staff list's filter as its query string ("commitment=3&tertial=2018-t1").
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ActivityExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity export")
        verbose_name_plural = _("activity exports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_format_display()} {self.requested_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("staff:export", args=[self.pk])

    @property
    def expires_at(self):
        return self.requested_at + timedelta(hours=settings.EXPORT_HOURS)

    @property
    def percent(self):
        if not self.rows_total:
            return 100 if self.state == self.State.READY else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def file_name(self):
        return f"aktiviteter-{timezone.localtime(self.requested_at):%Y-%m-%d-%H%M}.{self.format}"
