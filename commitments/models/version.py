"""The version of the published data, which the cache keys of public pages include."""

from datetime import UTC, datetime

from django.db import connections, models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: a number bumped whenever data a citizen may see could have changed.

    Kept in the database, not in the cache, so that every worker process and every cache
    backend sees the same version. Bumped by `commitments.cache.bump_data_version()`.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.number)

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"number": 1})

    @classmethod
    def current(cls):
        """(number, changed_at) in one query; (0, None) before the first bump.

        Every public request reads it, a cached page's only query, so it is plain SQL on the
        database the router picks for reads: building the ORM's query cost a cached page a
        fifth of its time.
        """
        with connections[cls.objects.db].cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return (0, None)
        number, changed_at = row
        if isinstance(changed_at, str):  # SQLite hands back the stored text
            changed_at = datetime.fromisoformat(changed_at)
        if changed_at.tzinfo is None:  # stored in UTC (USE_TZ)
            changed_at = changed_at.replace(tzinfo=UTC)
        return (number, changed_at)
