"""The client's address behind the reverse proxies we run: what login throttling keys on.

Behind nginx every request comes from the proxy's address, so a lockout keyed on it would let
anyone lock a staff account for everyone by failing its password ten times (issue 14). Each
proxy we run appends the address it saw to X-Forwarded-For (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`), so with N trusted proxies
the client is the N-th address from the right; what stands left of it was written by the
client and is not believed. TRUSTED_PROXY_COUNT (settings) says N; 0 means no proxy.
"""

from django.conf import settings


def client_ip(request):
    """The client's address, trusting the last TRUSTED_PROXY_COUNT X-Forwarded-For entries."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(chain) < count:
        # Fewer entries than proxies: the request did not come through them all.
        return remote
    return chain[-count]
