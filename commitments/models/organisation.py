"""Organisations and their staff: who takes part in promises, and who may do what."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..counties import County
from ..fields import PublicCharField, PublicSlugField


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own organisation and those taking part in the promises they see."""
        return self.filter(permissions.organisation_visibility(user))

    def editable_by(self, user):
        return self.filter(permissions.organisation_editability(user))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("police")
        MUNICIPALITY = "municipality", _("municipality")
        OTHER = "other", _("other partner")

    name = PublicCharField(_("name"), max_length=200)
    slug = PublicSlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A municipality's county: the home page filters promises by it.
    county = models.CharField(_("county"), max_length=2, choices=County.choices, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff user; permissions follow from the organisation and the user's group."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        """Only operators (superusers) are staff: the admin is their tool (issue 17).

        Coordinators and everyone else work in the staff area (/personal/); `is_staff` is what
        lets a user into the admin, so the admin's user form refuses it without superuser status.
        """
        super().clean()
        if self.is_staff and not self.is_superuser:
            raise ValidationError({"is_staff": _("Only operators (superusers) may use the admin.")})
