"""Rate limits of the subscribe form, kept in the cache (Redis in production: shared by every
web process). A fixed window: the first request of an hour opens a counter of that hour."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _count(key):
    """This request's number within the window of `key`."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def allow_client(ip):
    """Every POST of one client address counts, whatever its address field says."""
    return _count(f"subscribe:ip:{ip}") <= settings.SUBSCRIBE_LIMIT_PER_CLIENT


def allow_address(email):
    """Requests for one address, from anywhere. The key is its hash: no address in the cache."""
    digest = hashlib.sha256(email.encode()).hexdigest()
    return _count(f"subscribe:address:{digest}") <= settings.SUBSCRIBE_LIMIT_PER_ADDRESS
