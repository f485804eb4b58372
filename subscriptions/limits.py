"""Rate limits of the subscribe form: promise_portal/rate_limits.py's hourly counters."""

import hashlib

from django.conf import settings

from promise_portal.rate_limits import WINDOW_SECONDS, within

__all__ = ["WINDOW_SECONDS", "allow_address", "allow_client"]


def allow_client(ip):
    """Every POST of one client address counts, whatever its address field says."""
    return within(f"subscribe:ip:{ip}", settings.SUBSCRIBE_LIMIT_PER_CLIENT)


def allow_address(email):
    """Requests for one address, from anywhere. The key is its hash: no address in the cache."""
    digest = hashlib.sha256(email.encode()).hexdigest()
    return within(f"subscribe:address:{digest}", settings.SUBSCRIBE_LIMIT_PER_ADDRESS)
