"""The speed layer readers meet: public pages kept per promise version, renewed in the background.

A public HTML page is stored once per (language, path) with the stamp it was rendered under:
the version of what it shows — its promise's `public_version` for the pages under
/loften/<slug>/, the published promises' versions together for the home page, nothing for a
page without data — and the date, because activities become public by age alone.

Writing: whatever changes what citizens see of a promise calls `promise.touch()`, which bumps
its version (nobody else's). Nothing is rendered then: a page is rendered again when someone
reads it, by the background worker, so the work follows the readers — a promise changed twice a
minute whose district pages nobody reads costs no rendering of them.

Reading, one query for the version:
- the stored rendering has the current stamp: it is served;
- it is behind (the promise changed, or a new day began): it is still served, and its
  rendering is queued once (the task `render_public_page`), but only within
  PUBLIC_PAGE_STALE_SECONDS of the change (or of midnight); later the request renders the page
  itself, so no reader sees a page older than that, worker or not;
- nothing is stored (a page nobody has read): the request renders and stores it.

Each answer says which it was in `X-Page-Cache`: hit, stale (served while renewed) or render.
CSV, JSON and the feed answer conditional GETs by the same stamp (`etag`, `last_modified`).

The stored rendering is also the page's last known one: while the database is unreachable
(reading the version fails) it is served instead of the outage page, marked as such in
`X-Served-While-Database-Unavailable` and `Age`, with `Cache-Control: no-cache`.
"""

import gzip
import hashlib
import logging
import re
import time as clock
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# A week: an entry is replaced when its stamp moves on, and it is the page served during a
# database outage, so it is kept while nobody visits the page for a few days.
PAGE_TIMEOUT = 60 * 60 * 24 * 7
DATABASE_DOWN = (OperationalError, InterfaceError)
_GZIP = re.compile(r"\bgzip\b")
HOME = "home"  # the scope of the home page: every published promise


@dataclass(frozen=True)
class Stamp:
    """What a rendering shows: its scope's version and since when, and the date."""

    version: object
    changed_at: datetime | None
    today: str

    @property
    def key(self):
        return (self.version, self.today)


# The one query of a stored page, written out: building it with the ORM cost 530 µs a request
# against 200 µs as plain SQL, a third of a cached page's time (docs/benchmarks.md).
_PROMISE_VERSION = (
    "SELECT public_version, public_changed_at FROM commitments_promise "
    "WHERE slug = %s AND is_published"
)
_HOME_VERSION = (
    "SELECT COUNT(*), COALESCE(SUM(public_version), 0), MAX(public_changed_at) "
    "FROM commitments_promise WHERE is_published"
)


def _read(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _aware(moment):
    """A timestamp from a plain query: SQLite answers text; the database keeps UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def promise_version(slug):
    """(version, changed at) of a published promise, or None."""
    row = _read(_PROMISE_VERSION, [slug])
    return None if row is None else (row[0], _aware(row[1]))


def home_version():
    """The published promises' versions together: any change of one, or of which are
    published, changes it."""
    count, total, changed = _read(_HOME_VERSION)
    return (f"{count}.{total}", _aware(changed))


def _stamp(request, scope):
    """The request's stamp, read once (ETag and Last-Modified share it)."""
    if not hasattr(request, "_public_stamp"):
        if scope is None:
            version = (0, None)
        elif scope == HOME:
            version = home_version()
        else:
            version = promise_version(scope)
        today = timezone.localdate().isoformat()
        request._public_stamp = None if version is None else Stamp(*version, today)
    return request._public_stamp


def page_key(language, path):
    """The cache key of a page's rendering. The path without its query string, which only a
    page's `variant` adds back, normalised: random query strings must not fill the cache."""
    return "public-page:" + hashlib.sha256(f"{language}:{path}".encode()).hexdigest()


def _last_rendering(request, key, error):
    """The page as last rendered, while the version cannot be read; else the error again."""
    cached = cache.get(key)
    if cached is None:
        raise error
    response = _response(request, cached)
    response["X-Served-While-Database-Unavailable"] = "1"
    response["Age"] = str(max(0, int(clock.time() - cached[3])))
    response["Cache-Control"] = "no-cache"
    return response


def _response(request, entry):
    """A cache entry as a response: gzipped when the browser accepts it."""
    _stamp_key, content, content_type, _rendered_at, compressed = entry
    if _GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _answer(response, how):
    response["X-Page-Cache"] = how
    return response


def _since(entry_key, stamp):
    """When the stored rendering became stale: the change, or the start of the day."""
    if entry_key[0] != stamp.version and stamp.changed_at is not None:
        return stamp.changed_at
    return timezone.make_aware(
        datetime.combine(datetime.fromisoformat(stamp.today).date(), time.min)
    )


def _may_serve_stale(entry_key, stamp):
    age = (timezone.now() - _since(entry_key, stamp)).total_seconds()
    return age < settings.PUBLIC_PAGE_STALE_SECONDS


def _store(key, stamp, response):
    # Compressed once, here, for every later reader whose browser accepts gzip (a public page
    # holds no secret, so compression reveals nothing; BREACH needs one).
    entry = (
        stamp.key,
        response.content,
        response["Content-Type"],
        clock.time(),
        gzip.compress(response.content, compresslevel=6, mtime=0),
    )
    cache.set(key, entry, PAGE_TIMEOUT)


def cached_public_page(view=None, *, scope=None, variant=None):
    """Serve a public HTML page from its stored rendering (see the module's docstring).

    `scope` says whose version the page shows: None for the promise of the `slug` argument,
    HOME for the home page, or the name of a page without data (it is stored per date only).

    `variant`, for a page that reads its query string (the home page's filters and pages): a
    function of the request giving the normalised query it shows ("" for none), stored as a
    page of its own, or None for a query not worth keeping (a free-text search, invalid
    input): that is rendered for the request, not stored. A variant is never served stale:
    the background rendering knows paths only.
    """
    if view is None:
        return lambda view: cached_public_page(view, scope=scope, variant=variant)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        query = variant(request) if variant else ""
        if query is None:
            return _answer(view(request, *args, **kwargs), "uncached")
        key = page_key(get_language(), f"{request.path}?{query}" if query else request.path)
        page_scope = kwargs.get("slug") if scope is None else scope
        try:
            stamp = _stamp(request, page_scope if page_scope != "static" else None)
        except DATABASE_DOWN as error:
            logger.warning("Database unreachable, serving the last rendering of %s", request.path)
            return _last_rendering(request, key, error)
        if stamp is None:  # no such published promise: the view answers (404)
            return view(request, *args, **kwargs)
        refresh = getattr(request, "portal_refresh", False)
        cached = None if refresh else cache.get(key)
        if cached is not None:
            if cached[0] == stamp.key:
                return _answer(_response(request, cached), "hit")
            if not query and _may_serve_stale(cached[0], stamp):
                request_rendering(request, stamp)
                return _answer(_response(request, cached), "stale")
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            _store(key, stamp, response)
            patch_vary_headers(response, ["Accept-Encoding"])
        return _answer(response, "render")

    return wrapper


def request_rendering(request, stamp):
    """Queue the rendering of the page of this request (it was found stale), unless queued.

    One rendering a page at a time: until the worker starts it, later changes need no second
    one (it renders the page as it is then). The marker expires, should the worker never come.
    """
    language = get_language()
    if cache.add(_queued(language, request.path), 1, QUEUED_TIMEOUT):
        from .tasks import render_public_page

        render_public_page.enqueue(request.path, language)


def rendering_started(path, language):
    """Called by the task as it starts: a change from now on queues another rendering."""
    cache.delete(_queued(language, path))


def _queued(language, path):
    return f"public-rendering-queued:{page_key(language, path)}"


QUEUED_TIMEOUT = 60


def etag(request, slug=None, *args, **kwargs):
    """An ETag for open data, the feed and the sitemap: the stamp and the language."""
    stamp = _stamp(request, slug or HOME)
    if stamp is None:
        return None
    return f"{stamp.version}-{stamp.today}-{get_language()}"


def last_modified(request, slug=None, *args, **kwargs):
    """When the public data last changed: the version's change, or today's start if later.

    Today's start counts because activities become public by age alone.
    """
    stamp = _stamp(request, slug or HOME)
    if stamp is None:
        return None
    midnight = _since((None, None), Stamp(None, None, stamp.today))
    return max(stamp.changed_at, midnight) if stamp.changed_at else midnight
