"""Accounts without a superuser: invitations by e-mail, and the trail of who changed an account.

A coordinator invites the people of the organisations that sign the promises they coordinate
(`permissions.people_administration`); the operators invite a promise's first coordinator with
`manage.py invite_coordinator`. The link carries a random token; only its SHA-256 is stored, so
a copy of the database opens no account. A token is good for one use within INVITATION_DAYS;
sending the invitation again makes a new token and the old link stops working.

The invitation's own changes (sent, sent again, revoked, accepted) are in its history
(django-simple-history, with the action as the change reason). What is done to an account
afterwards (created from an invitation, deactivated, its role changed) is an `AccountEvent`:
the User model is not copied by simple_history, because its history would hold the password
hash and a row for each login (`last_login`), and its role is a group membership, which a
copy of the user row does not show.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import permissions, roles
from ..fields import InternalEmailField
from .organisation import Organisation

INVITATION_DAYS = 7


class Role(models.TextChoices):
    """The four staff groups (commitments.roles), as a coordinator chooses one."""

    POLICE = roles.POLICE, _("police staff")
    MUNICIPALITY = roles.MUNICIPALITY, _("municipal staff")
    APPROVER = roles.APPROVER, _("approver")
    COORDINATOR = roles.COORDINATOR, _("coordinator")


# The roles an organisation of each kind may be given: police staff in a police area, municipal
# staff in a municipality; approvers and coordinators in either.
ROLES_OF_KIND = {
    Organisation.Kind.POLICE: (Role.POLICE, Role.APPROVER, Role.COORDINATOR),
    Organisation.Kind.MUNICIPALITY: (Role.MUNICIPALITY, Role.APPROVER, Role.COORDINATOR),
}


def role_fits(role, organisation):
    return role in ROLES_OF_KIND.get(organisation.kind, ())


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Invitations to the organisations whose people the user administers."""
        return self.filter(
            organisation__in=Organisation.objects.filter(permissions.people_administration(user))
        )

    def pending(self, now=None):
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )

    def with_token(self, raw):
        return self.filter(token_hash=hash_token(raw))


class Invitation(models.Model):
    """An e-mailed invitation to become staff of one organisation in one role."""

    class State(models.TextChoices):
        PENDING = "pending", _("invited")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        ACCEPTED = "accepted", _("accepted")

    email = InternalEmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when an operator invited from the command line."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitation",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)

    # The token's hash is left out: a hash of a link that no longer works tells nobody anything,
    # and a sending again is seen in the history by its reason and its new expires_at.
    history = HistoricalRecords(excluded_fields=["token_hash"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} ({self.organisation})"

    def clean(self):
        if self.organisation_id and self.role and not role_fits(self.role, self.organisation):
            raise ValidationError(
                {"role": _("This role cannot be given in this organisation.")},
                code="role_of_kind",
            )

    @classmethod
    def issue(cls, *, email, organisation, role, invited_by=None, token=None):
        """A new invitation, validated and saved; returns it and the raw token for its link."""
        invitation = cls(
            email=email.strip().lower(), organisation=organisation, role=role, invited_by=invited_by
        )
        raw = invitation._new_token(token)
        invitation.full_clean()
        invitation._change_reason = "invited"
        invitation.save()
        return invitation, raw

    def _new_token(self, token=None):
        raw = token or secrets.token_urlsafe(32)
        self.token_hash = hash_token(raw)
        now = timezone.now()
        if self.pk is None:
            self.created_at = now
        self.expires_at = now + timedelta(days=INVITATION_DAYS)
        return raw

    def renew(self):
        """Send again: a new token and a new week; the old link stops working."""
        raw = self._new_token()
        self._change_reason = "resent"
        self.save(update_fields=["token_hash", "expires_at"])
        return raw

    def revoke(self):
        self.revoked_at = timezone.now()
        self._change_reason = "revoked"
        self.save(update_fields=["revoked_at"])

    def state_at(self, now):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def state(self):
        return self.state_at(timezone.now())

    def get_state_display(self):
        return self.state.label

    @property
    def is_open(self):
        """May still be sent again or revoked: neither accepted nor revoked (expired may)."""
        return self.accepted_at is None and self.revoked_at is None


class AccountEvent(models.Model):
    """What was done to an account after its invitation: the audit trail of the User."""

    class Action(models.TextChoices):
        CREATED = "created", _("account created from an invitation")
        DEACTIVATED = "deactivated", _("deactivated")
        ROLE_CHANGED = "role_changed", _("role changed")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
