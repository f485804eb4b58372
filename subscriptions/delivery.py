"""Mailing a published follow-up to its promise's subscribers: in batches, once to each.

Each batch is claimed before it is sent: a Delivery row per subscription, inserted under the
unique constraint (subscription, follow-up), in its own committed statement. A second run (the
task queued twice, a worker restarted) finds the rows and claims nobody twice; two runs at once
claim disjoint rows, because the database lets one insert of a pair through. The price is "at
most once": a worker that dies between claiming and sending leaves rows without `sent_at`, and
those subscribers miss that mail. A mail the SMTP server refuses is not lost: its claim is
removed and the run fails (the task shows it), so running it again sends just those.
"""

import logging
import uuid

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from . import mail
from .models import Delivery, Subscription

logger = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """Some mails of a follow-up were not sent; running the task again sends them."""


def send_followup(followup, *, batch_size=None):
    """Mail a published follow-up to each confirmed subscriber of its promise who has not had
    it (those confirmed by its publication); returns how many were sent."""
    size = batch_size or settings.SUBSCRIPTION_BATCH_SIZE
    assessments = list(
        followup.assessments.select_related("commitment").order_by("commitment__number")
    )
    sent, failed = 0, []
    while deliveries := _claim(followup, size):
        ok, not_sent = _send(followup, assessments, deliveries)
        sent += ok
        failed += not_sent
    if failed:
        # Unclaimed, so that the next run sends them; kept claimed until here, so that this
        # run's loop does not claim them again.
        Delivery.objects.filter(pk__in=failed).delete()
        raise DeliveryFailed(f"{len(failed)} mails of follow-up {followup.pk} were not sent")
    logger.info("Follow-up %s mailed to %s subscribers", followup.pk, sent)
    return sent


def _claim(followup, size):
    """Claim up to `size` subscriptions still waiting for this follow-up: this run's rows."""
    batch = uuid.uuid4()
    waiting = (
        Subscription.objects.confirmed()
        .filter(promise_id=followup.promise_id, confirmed_at__lte=followup.published_at)
        .exclude(deliveries__followup=followup)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    Delivery.objects.bulk_create(
        [Delivery(subscription_id=pk, followup=followup, batch=batch) for pk in waiting],
        ignore_conflicts=True,  # another run's claim: theirs to send
    )
    return list(
        Delivery.objects.filter(followup=followup, batch=batch)
        .select_related("subscription")
        .order_by("pk")
    )


def _send(followup, assessments, deliveries):
    """Send a batch over one SMTP connection: (how many sent, the pks of those not sent)."""
    done, failed = [], []
    try:
        with get_connection() as connection:
            for delivery in deliveries:
                subscription = delivery.subscription
                subscription.promise = followup.promise
                try:
                    mail.followup(subscription, followup, assessments, connection=connection).send()
                except Exception:
                    logger.exception("Follow-up %s: a mail was not sent", followup.pk)
                    failed.append(delivery.pk)
                else:
                    done.append(delivery.pk)
    except Exception:  # the connection could not be opened or closed
        logger.exception("Follow-up %s: the mail server failed", followup.pk)
        failed = [d.pk for d in deliveries if d.pk not in done]
    Delivery.objects.filter(pk__in=done).update(sent_at=timezone.now())
    return len(done), failed
