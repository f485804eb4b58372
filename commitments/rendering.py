"""A public page rendered outside a reader's request: what the background worker does.

A reader who finds a page's stored rendering behind its promise's version is served it still,
and the page is queued for rendering (commitments/cache.py); the worker renders it here, by
its view, as for a reader: same URL resolution, language and template, so the stored bytes are
the ones a reader's request would have stored (tests/test_public_rendering.py compares them).
"""

from django.http import HttpRequest
from django.urls import resolve
from django.utils import translation


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
