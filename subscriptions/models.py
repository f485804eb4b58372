"""A citizen's e-mail subscription to a promise, and the record of each follow-up mailed.

The address is the one piece of personal data the portal keeps about a citizen, by their
consent: double opt-in (a link mailed to the address confirms it), deleted when they
unsubscribe, and deleted unconfirmed CONFIRMATION_PERIOD after the last confirmation mail.
Only the SHA-256 of the confirmation link's token is stored, so a copy of the database
confirms nobody. The unsubscribe link is signed (django.core.signing) instead: every mail
carries it, so it must be made again for each mail, and it needs nothing stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Promise
from followups.models import FollowUp

CONFIRMATION_PERIOD = timedelta(days=7)
# A request for an address already asked for mails it again at most this often.
REMAIL_AFTER = timedelta(hours=1)
_UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise(email):
    """One spelling per address, so that it is subscribed once: trimmed, in lower case."""
    return email.strip().lower()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_expired(self, now=None):
        """Unconfirmed, and the last confirmation mail (or the request) is a period old."""
        cutoff = (now or timezone.now()) - CONFIRMATION_PERIOD
        return self.filter(confirmed_at__isnull=True).filter(
            Q(request_mailed_at__lt=cutoff)
            | Q(request_mailed_at__isnull=True, created_at__lt=cutoff)
        )

    def with_unsubscribe_token(self, token):
        """The subscription a signed unsubscribe token names, or None (forged, or gone)."""
        try:
            pk = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
        except signing.BadSignature:
            return None
        return self.filter(pk=pk).select_related("promise").first()


class Subscription(models.Model):
    """One address that gets a mail when a follow-up of one promise is published."""

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last mail in answer to a request (the confirmation, or "you already subscribe").
    request_mailed_at = models.DateTimeField(_("request mailed at"), null=True, blank=True)
    # Of the confirmation link's token; empty once confirmed (the link works once).
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, db_index=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "email"], name="one_subscription_per_address_and_promise"
            ),
        ]

    def __str__(self):
        return f"{self.promise} – {self.pk}"

    @classmethod
    def request(cls, *, promise, email, language):
        """The subscription of this address to `promise`, made if new (unconfirmed).

        The caller mails it the same way whether it was new or not (tasks.send_request_mail),
        so that the answer tells nobody whether an address subscribes.
        """
        email = normalise(email)
        try:
            with transaction.atomic():
                subscription, _created = cls.objects.get_or_create(
                    promise=promise, email=email, defaults={"language": language}
                )
        except IntegrityError:  # the same address at the same moment
            subscription = cls.objects.get(promise=promise, email=email)
        return subscription

    def claim_request_mail(self, now=None):
        """True when this run may mail the address now: at most once within REMAIL_AFTER.

        One conditional UPDATE: two tasks for one address at once cannot both win.
        """
        now = now or timezone.now()
        claimed = (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(Q(request_mailed_at__isnull=True) | Q(request_mailed_at__lt=now - REMAIL_AFTER))
            .update(request_mailed_at=now)
        )
        self.request_mailed_at = now if claimed else self.request_mailed_at
        return bool(claimed)

    def new_confirmation_token(self):
        """A new link's token; the previous link stops working."""
        raw = secrets.token_urlsafe(32)
        self.token_hash = hash_token(raw)
        self.save(update_fields=["token_hash"])
        return raw

    @classmethod
    def confirm(cls, raw_token, now=None):
        """Confirm the subscription whose link this is: it, or None (used, expired, forged)."""
        now = now or timezone.now()
        live = cls.objects.filter(confirmed_at__isnull=True).exclude(
            pk__in=cls.objects.unconfirmed_expired(now)
        )
        subscription = live.filter(token_hash=hash_token(raw_token)).first() if raw_token else None
        if subscription is None:
            return None
        subscription.confirmed_at, subscription.token_hash = now, ""
        subscription.save(update_fields=["confirmed_at", "token_hash"])
        return subscription

    @property
    def unsubscribe_token(self):
        return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(self.pk))

    def unsubscribe(self):
        """Forget the address, and with it the record of what was mailed to it."""
        self.delete()


class Delivery(models.Model):
    """A follow-up mailed to one subscription: claimed before sending, so it goes once.

    A FollowUp row is one version of a tertial's report, so (subscription, followup) is
    (subscription, tertial, version): a correction is mailed again.
    """

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="+"
    )
    # The run that claimed it: its rows are those it inserted, not another run's.
    batch = models.UUIDField(_("batch"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "followup"], name="one_delivery_per_followup_version"
            ),
        ]

    def __str__(self):
        return f"{self.followup} → {self.subscription_id}"
