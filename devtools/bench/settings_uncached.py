"""Production settings with every cache a no-op: the "uncached" gunicorn run of `make bench`.

The cached run uses the project's settings unchanged. Replacing each cache alias with Django's
DummyCache makes every page render from the database on every request, without any switch in
the application code.
"""

from promise_portal import settings as _base
from promise_portal.settings import *  # noqa: F403

CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for alias in getattr(_base, "CACHES", None) or {"default": None}
}
