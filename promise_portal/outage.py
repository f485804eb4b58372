"""While the database is unreachable: 503 with Retry-After and a page in the reader's language.

A connect timeout (DATABASE_CONNECT_TIMEOUT, settings.py) bounds how long a request waits for
PostgreSQL; the error that follows becomes this answer instead of a 500. Cached public pages
never reach the database, so they are still served. Django closes a broken connection at the
end of the request, and the next request connects afresh: the app recovers without a restart.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)


def unavailable(request):
    """The 503 answer; its template reads nothing from the database."""
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response.render()


class DatabaseOutageMiddleware:
    """Turns a view's database connection error into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unreachable: %s", exception, extra={"request": request})
            return unavailable(request)
        return None


def server_error(request):
    """handler500: a database error raised outside a view (e.g. in middleware) is an outage too."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable(request)
    return defaults.server_error(request)
