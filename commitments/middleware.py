"""Session lifetime in the staff area: 30 minutes idle, 12 hours at most.

Django ends a session when its expiry passes (the cookie's and the stored session's).
Renewing it on staff requests, at most once a minute, makes SESSION_COOKIE_AGE an idle
limit; the login time kept in the session adds an absolute limit. Public pages never touch
the session here, so they neither set cookies nor vary on them.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from promise_portal.namespaces import is_staff_request

SESSION_STARTED = "portal_session_started"
SESSION_RENEWED = "portal_session_renewed"
RENEW_AFTER_SECONDS = 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """On staff pages (`is_staff_request`, once the URL is resolved) of a logged-in user."""
        if not is_staff_request(request) or not request.user.is_authenticated:
            return None
        now = timezone.now().timestamp()
        started = request.session.setdefault(SESSION_STARTED, now)
        if now - started > settings.SESSION_MAX_AGE.total_seconds():
            logout(request)
            return redirect_to_login(request.get_full_path())
        # Renew the expiry: the session ends only after SESSION_COOKIE_AGE without a request.
        # At most once a minute: renewing writes the session row, and a busy page would
        # otherwise write it on every request (the idle limit is then exact to the minute).
        if now - request.session.get(SESSION_RENEWED, started) >= RENEW_AFTER_SECONDS:
            request.session[SESSION_RENEWED] = now
        return None
