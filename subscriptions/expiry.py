"""Forgetting what a citizen did not confirm: run hourly (`remove_unconfirmed_subscriptions`)."""

from .models import Subscription


def remove_unconfirmed():
    """Delete the addresses not confirmed within CONFIRMATION_PERIOD; returns how many."""
    removed, _per_model = Subscription.objects.unconfirmed_expired().delete()
    return removed
