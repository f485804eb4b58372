"""The public URLs, enumerated from the resolver, with the arguments to request each one.

Shared by the canary, query-count and header tests: a new public URL pattern without a row
in `ARGUMENTS` fails `test_every_public_url_has_arguments`.
"""

from django.urls import URLPattern, URLResolver, get_resolver

NOT_PUBLIC_PREFIXES = ("personal/", "admin/", "healthz/")
# Stored files, not pages: rendered once on publish; tests/test_followup_reports.py and
# tests/test_share_pack.py.
STORED_FILES = {"followups:pdf", "followups:version_pdf", "followups:share_image"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route, name


def public_url_names():
    """Every named URL outside the staff area, admin and health check."""
    names = set()
    for route, name in _walk(get_resolver().url_patterns):
        # i18n_patterns' prefix shows as the language code; strip it to see the route.
        bare = route.split("/", 1)[1] if route.startswith(("sv/", "en/")) else route
        if (
            not name
            or bare.startswith(NOT_PUBLIC_PREFIXES)
            or route.startswith(NOT_PUBLIC_PREFIXES)
            or name in STORED_FILES
        ):
            continue
        names.add(name)
    return names


# URL name → kwargs, for the Eskilstuna 2018 promise with its follow-up of T1 2018 published.
ARGUMENTS = {
    "public:index": {},
    "public:accessibility": {},
    "public:promise": {"slug": "eskilstuna-2018"},
    "public:easy_read": {"slug": "eskilstuna-2018"},
    "public:commitment": {"slug": "eskilstuna-2018", "number": 1},
    "public:district": {"slug": "eskilstuna-2018", "district": "skiftinge"},
    "public:csv": {"slug": "eskilstuna-2018"},
    "public:json": {"slug": "eskilstuna-2018"},
    "followups:detail": {"slug": "eskilstuna-2018", "tertial": "2018-t1"},
    "followups:version": {"slug": "eskilstuna-2018", "tertial": "2018-t1", "version": 1},
    "followups:json": {"slug": "eskilstuna-2018", "tertial": "2018-t1"},
    "followups:easy_read": {"slug": "eskilstuna-2018", "tertial": "2018-t1"},
    "followups:feed": {"slug": "eskilstuna-2018"},
    "feedback:page": {"slug": "eskilstuna-2018"},
    "subscriptions:subscribe": {"slug": "eskilstuna-2018"},
    "subscriptions:sent": {"slug": "eskilstuna-2018"},
    # Links that do not work: tests/test_subscriptions.py follows working ones.
    "subscriptions:confirm": {"token": "ogiltig-nyckel"},
    "subscriptions:unsubscribe": {"token": "1:ogiltig-signatur"},
    "subscriptions:privacy": {},
    "sitemap": {},
    "robots": {},
}
# Pages repeated per commitment and district, so that every one of them is checked.
EXTRA_KWARGS = {
    "public:commitment": [{"slug": "eskilstuna-2018", "number": n} for n in (2, 3)],
    "public:district": [
        {"slug": "eskilstuna-2018", "district": d} for d in ("froslunda", "lagersberg", "centrum")
    ],
}


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")
