"""Public pages rendered outside a reader's request: what the background worker does.

After `promise.touch()` the worker renders again each page of the promise that has a stored
rendering (the pages readers read), in both languages, and the home page; a page nobody has
read is left to its first reader. Which pages a promise has is told by the apps
(commitments/public_parts.py): `followups` registers its follow-up pages there.

A page is rendered by its view, as for a reader: same URL resolution, language and template,
so the stored bytes are the ones a reader's request would have stored
(tests/test_public_rendering.py compares them).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import resolve
from django.utils import translation

from .cache import page_key
from .public_parts import paths_of


def _in_language(path, language):
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def render_page(path, language):
    """The response a reader's GET of `path` would get, rendered here and stored afresh."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META = {"REQUEST_METHOD": "GET", "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    request.LANGUAGE_CODE = language
    request.portal_refresh = True  # never serve the stored rendering: make a new one
    with translation.override(language):
        match = resolve(path)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)


def _stored(path, language):
    return cache.get(page_key(language, path)) is not None


def render_promise_pages(promise):
    """Render again the promise's pages that have a stored rendering, and the home page.

    Returns the number of pages rendered.
    """
    rendered = 0
    for language, _name in settings.LANGUAGES:
        paths = [_in_language(p, language) for p in paths_of(promise)]
        for path in paths:
            if path != paths[0] and not _stored(path, language):
                continue  # nobody reads it: its first reader renders it
            render_page(path, language)
            rendered += 1
    return rendered + render_home()


def render_home():
    for language, _name in settings.LANGUAGES:
        render_page(_in_language("/", language), language)
    return len(settings.LANGUAGES)
