"""Hourly limits of the public forms (subscribe, Tyck till), kept in the cache: Redis in
production, so every web process counts together. A fixed window: the first request of an
hour opens the counter of that hour, and it expires with it."""

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def count(key):
    """This request's number within the current window of `key`."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def within(key, limit):
    """Count this request under `key`; whether it is still within `limit` this hour."""
    return count(key) <= limit
