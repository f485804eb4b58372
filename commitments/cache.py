"""Cached public pages, invalidated by a data version rather than by time.

A public page is rendered once per (data version, date, language, path) and then served
from the cache. The date is in the key because what is public changes with it: an activity
becomes public once it is older than PUBLICATION_DELAY, without anyone saving anything.

The data version (a row in the database, `DataVersion`) must be bumped by every code path
that changes data a citizen may see. There are no signals for it (house rule: no hidden side
effects); instead:

- every successful POST, PUT, PATCH or DELETE to the staff area (/personal/) or the admin
  bumps it, in `DataVersionMiddleware` (so a new staff view cannot forget);
- code that changes data outside a request calls `bump_data_version()` itself: the promise
  loader, `seed_demo`, a spreadsheet import run as a command or task, and publishing a
  follow-up when that happens in a background task.

CSV, JSON and the feed also answer conditional GETs from the same version (`etag`,
`last_modified`), so a client that already has the current file gets a 304.

One cache entry per (language, path) holds the page with the version and date it was rendered
under; a request whose version or date differs renders the page again and replaces it. So the
entry is also the page's last known rendering: while the database is unreachable (reading the
version fails), that rendering is served instead of the outage page, marked as such in
`X-Served-While-Database-Unavailable` and `Age`, with `Cache-Control: no-cache` so that nothing
downstream keeps it. A page without an entry raises the connection error, which
`promise_portal.outage` turns into the 503 page: the database is asked once per request.
"""

import gzip
import hashlib
import logging
import re
import time as clock
from datetime import datetime, time
from functools import wraps

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .models import DataVersion

logger = logging.getLogger(__name__)

# A week: an entry is replaced when the version or date moves on, and it is the page served
# during a database outage, so it is kept while nobody visits the page for a few days.
PAGE_TIMEOUT = 60 * 60 * 24 * 7
DATABASE_DOWN = (OperationalError, InterfaceError)
_GZIP = re.compile(r"\bgzip\b")
STAFF_PREFIXES = ("/personal/", "/en/personal/", "/admin/")


def bump_data_version():
    """Say that published data may have changed: every cached public page is stale."""
    DataVersion.bump()


def _state(request):
    """(version, changed at, today), read once per request: ETag and Last-Modified share it."""
    if not hasattr(request, "_public_data_state"):
        number, changed_at = DataVersion.current()
        request._public_data_state = (number, changed_at, timezone.localdate())
    return request._public_data_state


def data_version(request):
    """The data version this request serves (read once per request, with `_state`)."""
    return _state(request)[0]


def _key(request):
    # The path without its query string: no public page reads one, and random query strings
    # must not fill the cache.
    raw = f"{get_language()}:{request.path}"
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _last_rendering(request, key, error):
    """The page as last rendered, while the data version cannot be read; else the error again."""
    cached = cache.get(key)
    if cached is None:
        raise error
    response = _response(request, cached)
    response["X-Served-While-Database-Unavailable"] = "1"
    response["Age"] = str(max(0, int(clock.time() - cached[4])))
    response["Cache-Control"] = "no-cache"
    return response


def _response(request, entry):
    """A cache entry as a response: gzipped when the browser accepts it."""
    _number, _today, content, content_type, _rendered_at, compressed = entry
    if _GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def cached_public_page(view):
    """Serve a public HTML page from the cache while the data version and date are unchanged."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        try:
            number, _changed_at, today = _state(request)
        except DATABASE_DOWN as error:
            logger.warning("Database unreachable, serving the last rendering of %s", request.path)
            return _last_rendering(request, key, error)
        cached = cache.get(key)
        if cached is not None and cached[:2] == (number, today.isoformat()):
            return _response(request, cached)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            # Compressed once, here, for every later reader whose browser accepts gzip (a
            # public page holds no secret, so compression reveals nothing; BREACH needs one).
            entry = (
                number,
                today.isoformat(),
                response.content,
                response["Content-Type"],
                clock.time(),
                gzip.compress(response.content, compresslevel=6, mtime=0),
            )
            cache.set(key, entry, PAGE_TIMEOUT)
            patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return wrapper


def etag(request, *args, **kwargs):
    """An ETag for open data and the feed: the data version, the date and the language."""
    number, _changed_at, today = _state(request)
    return f"{number}-{today.isoformat()}-{get_language()}"


def last_modified(request, *args, **kwargs):
    """When the public data last changed: the last bump, or the start of today if later.

    Today's start counts because activities become public by age alone.
    """
    _number, changed_at, today = _state(request)
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    return max(changed_at, midnight) if changed_at else midnight


# Staff pages whose POST changes nothing a citizen can see: logging in or out, passwords, the
# import's preview (a dry run). A bump from one of them would expire every cached page in the
# country for nothing (issue 14).
NO_PUBLIC_CHANGE = frozenset(
    {
        "staff:login",
        "staff:logout",
        "staff:password_change",
        "staff:password_reset",
        "staff:password_reset_confirm",
        "staff:import",
        "admin:login",
        "admin:logout",
        "admin:password_change",
    }
)


class DataVersionMiddleware:
    """Bump the data version after every successful change made through the staff area or admin.

    Except where a staff page changes no public data (NO_PUBLIC_CHANGE).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
            and request.path.startswith(STAFF_PREFIXES)
            and response.status_code < 400
            and (match is None or match.view_name not in NO_PUBLIC_CHANGE)
        ):
            bump_data_version()
        return response
