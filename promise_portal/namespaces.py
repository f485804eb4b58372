"""Whose a request is, the public's or the staff's: decided here only, by the URL namespace.

Each app keeps its public and its staff addresses in separate URL files and namespaces
(commitments: `public` and `staff`; followups: `followups` and `followups_staff`; feedback:
`feedback` and `feedback_staff`; subscriptions: `subscriptions`, public only), so a
resolved request says which side it is on; no path is matched by pattern anywhere else.
"""

PUBLIC = frozenset({"public", "followups", "feedback", "subscriptions"})
STAFF = frozenset({"staff", "followups_staff", "feedback_staff", "admin"})


def namespace(request):
    """The resolved request's top namespace, or "" (not resolved yet, or none)."""
    match = getattr(request, "resolver_match", None)
    return match.namespaces[0] if match is not None and match.namespaces else ""


def is_public_request(request):
    return namespace(request) in PUBLIC


def is_staff_request(request):
    return namespace(request) in STAFF
