"""Every URL pattern of the site, and a concrete address for each, built from the seed data.

The permission matrix and the page checks (axe, the Nu Html Checker, 320 px) start from here,
so a pattern is checked from the day it is added. A pattern is filled in from its keyword
names (`slug`, `number`, `district`, `tertial`, ...) with values taken from the Eskilstuna 2018
promise and the demo data; a pattern whose names mean nothing here must be listed in
`EXPLICIT`, or `concrete_url` raises `Unresolvable` and the tests that use it fail.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation

from .catalogue_rows import (
    PROMISE_SLUG,
    _deletable_police_activity,
    _draft_followup,
    _export,
    _invitation,
    _invitation_link,
    _municipal_account,
    _police_activity,
    _published_followup,
)


class Unresolvable(LookupError):
    """No concrete address can be built for a pattern: list it in EXPLICIT."""


@dataclass(frozen=True)
class Route:
    key: str  # "public:commitment"; the full route when the pattern has no name
    route: str  # the pattern as written, without the language prefix
    i18n: bool  # inside i18n_patterns: Swedish at the root, English under /en/
    regex: bool  # a regular expression somewhere in the path: cannot be filled in

    @property
    def namespace(self):
        return self.key.rpartition(":")[0] if ":" in self.key else ""


def _walk(patterns, prefix="", namespace="", i18n=False, regex=False):
    for entry in patterns:
        pattern = entry.pattern
        is_regex = regex or isinstance(pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            if isinstance(pattern, LocalePrefixPattern):
                yield from _walk(entry.url_patterns, prefix, namespace, True, regex)
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(
                entry.url_patterns, prefix + str(pattern), inner.strip(":"), i18n, is_regex
            )
        elif isinstance(entry, URLPattern):
            route = prefix + str(pattern)
            key = f"{namespace}:{entry.name}".strip(":") if entry.name else f"/{route}"
            yield Route(key=key, route=route, i18n=i18n, regex=is_regex)


def all_routes():
    """Every pattern of the URL configuration, in its order."""
    return list(_walk(get_resolver().url_patterns))


def _first_pk(app_label, model_name):
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise Unresolvable(f"no {app_label}.{model_name} row in the seed data")
    return obj.pk


_ADMIN_OBJECT = re.compile(r"admin/(\w+)/(\w+)/<path:object_id>/.*")


def admin_model(route):
    """The model of an admin page of one row (change, delete, history), else None."""
    match = _ADMIN_OBJECT.fullmatch(route.route) or _SIMPLE_HISTORY.match(route.route)
    return apps.get_model(match[1], match[2]) if match else None


def is_tenant_scoped(route):
    """An admin page of one row of a promise, or of an organisation or user: one per tenant."""
    model = admin_model(route)
    if model is None:
        return False
    return hasattr(model, "promise_path") or model._meta.model_name in ("organisation", "user")


def tenant_object(model, promise):
    """The first row of `model` that belongs to `promise`'s tenant."""
    from commitments.models import Organisation, User

    if model is Organisation:
        return promise.municipality
    if model is User:
        return User.objects.filter(organisation=promise.municipality).order_by("pk").first()
    return model._default_manager.of_promise(promise).order_by("pk").first()


def _tenant(slug):
    from commitments.models import Promise

    return Promise.objects.get(slug=slug or PROMISE_SLUG)


def _admin_object(route, tenant=None):
    """admin:<app>_<model>_<view> with an object id: the tenant's first row of that model."""
    model = admin_model(route)
    if model is None:
        raise Unresolvable(route.key)
    if not is_tenant_scoped(route):
        return _first_pk(model._meta.app_label, model._meta.model_name)
    obj = tenant_object(model, _tenant(tenant))
    if obj is None:
        raise Unresolvable(f"{route.key}: no row of {tenant or PROMISE_SLUG}")
    return obj.pk


def _values():
    """The value of each keyword name a public or staff pattern may use."""
    from commitments.models import District, Promise

    promise = Promise.objects.get(slug=PROMISE_SLUG)
    district = District.objects.filter(promise=promise, slug="skiftinge").first()
    return {
        "slug": promise.slug,
        "promise": promise.slug,
        "promise_slug": promise.slug,
        "number": 1,
        "commitment": 1,
        "district": district.slug if district else "skiftinge",
        "district_slug": district.slug if district else "skiftinge",
        "tertial": "2018-t1",
        "year": 2018,
    }


def _view_on_site():
    from django.contrib.contenttypes.models import ContentType

    from commitments.models import Promise

    promise = Promise.objects.get(slug=PROMISE_SLUG)
    return f"/admin/r/{ContentType.objects.get_for_model(Promise).pk}/{promise.pk}/"


def _staff(path):
    return lambda: f"/personal/{path.format(activity=_police_activity())}"


def _followup(suffix):
    return lambda: reverse(f"followups_staff:{suffix}", kwargs={"pk": _draft_followup()})


def _draft(slug):
    """An unpublished promise of Eskilstuna's organisations, made once: "eskilstuna-2019", its
    continuation (a draft with every part), or "eskilstuna-tom", an empty draft. A published
    promise keeps its parts and starts from nothing, so those pages need a draft."""
    from django.contrib.auth import get_user_model

    from commitments.copying import copy_to_year
    from commitments.models import Promise

    draft = Promise.objects.filter(slug=slug).first()
    if draft is not None:
        return draft
    promise = Promise.objects.get(slug=PROMISE_SLUG)
    if slug == "eskilstuna-2019":
        coordinator = get_user_model().objects.get(username="samordnare")
        return copy_to_year(promise, year=2019, by=coordinator)
    draft = Promise.objects.get(pk=promise.pk)
    draft.pk = draft.id = None
    draft.slug, draft.title, draft.is_published, draft.published_at = (
        slug,
        "Tomt utkast",
        False,
        None,
    )
    draft.previous = None
    draft.save()
    return draft


def _workspace(path, promise_slug=PROMISE_SLUG):
    """A workspace address of one row of a promise (Eskilstuna's by default): `path` is
    formatted with the pk of its first district, commitment, activity type and indicator."""

    def build():
        from commitments.models import ActivityType, Indicator, Promise

        promise = (
            Promise.objects.get(slug=promise_slug)
            if promise_slug == PROMISE_SLUG
            else _draft(promise_slug)
        )
        rows = {
            "district": getattr(promise.districts.order_by("pk").first(), "pk", 0),
            "commitment": getattr(promise.commitments.filter(number=1).first(), "pk", 0),
            "type": getattr(
                ActivityType.objects.of_promise(promise).order_by("pk").first(), "pk", 0
            ),
            "indicator": getattr(
                Indicator.objects.of_promise(promise).shown().order_by("pk").first(), "pk", 0
            ),
        }
        return f"/personal/loften/{promise.slug}/{path.format(**rows)}"

    return build


_TASK = "/admin/django_tasks_database/dbtaskresult/00000000-0000-0000-0000-000000000000/"

# Patterns that the generic filling cannot serve: key → a function of nothing that returns
# the address (without the language prefix, with a leading slash).
EXPLICIT = {
    "admin:view_on_site": lambda: _view_on_site(),
    "admin:auth_user_password_change": lambda: (
        f"/admin/commitments/user/{_first_pk('commitments', 'user')}/password/"
    ),
    "admin:app_list": lambda: "/admin/commitments/",
    "/admin/(?P<url>.*)$": lambda: "/admin/no-such-page/",
    "staff:activity": _staff("aktiviteter/{activity}/"),
    "staff:activity_edit": _staff("aktiviteter/{activity}/andra/"),
    "staff:activity_delete": lambda: (
        f"/personal/aktiviteter/{_deletable_police_activity()}/ta-bort/"
    ),
    "staff:activity_history": _staff("aktiviteter/{activity}/historik/"),
    "staff:export": lambda: f"/personal/exporter/{_export()}/",
    "staff:export_file": lambda: f"/personal/exporter/{_export()}/fil/",
    "staff:invitation_resend": lambda: f"/personal/personal/{_invitation()}/skicka-igen/",
    "staff:invitation_revoke": lambda: f"/personal/personal/{_invitation()}/aterkalla/",
    "staff:invitation_accept": lambda: _invitation_link(),
    "staff:account_deactivate": lambda: (
        f"/personal/personal/konto/{_municipal_account()}/avaktivera/"
    ),
    "staff:account_role": lambda: f"/personal/personal/konto/{_municipal_account()}/roll/",
    "staff:password_reset_confirm": lambda: "/personal/aterstall-losenord/MQ/ogiltig-nyckel/",
    "subscriptions:confirm": lambda: "/prenumeration/bekrafta/ogiltig-nyckel/",
    "subscriptions:unsubscribe": lambda: "/prenumeration/avsluta/1:ogiltig-signatur/",
    "followups:version": lambda: f"/loften/{PROMISE_SLUG}/uppfoljningar/2018-t1/v1/",
    "followups:version_pdf": lambda: f"/loften/{PROMISE_SLUG}/uppfoljningar/2018-t1/v1/rapport.pdf",
    # POST only (405 to a GET): the feedback need not exist for the answer.
    "feedback_staff:publish": lambda: f"/personal/loften/{PROMISE_SLUG}/synpunkter/1/publicera/",
    "feedback_staff:unpublish": lambda: (
        f"/personal/loften/{PROMISE_SLUG}/synpunkter/1/avpublicera/"
    ),
    "followups:share_image": lambda: f"/loften/{PROMISE_SLUG}/uppfoljningar/2018-t1/v1/delning.png",
    "followups_staff:detail": _followup("detail"),
    "followups_staff:edit": _followup("edit"),
    # Only a published follow-up can be corrected (by a new version).
    "followups_staff:correct": lambda: reverse(
        "followups_staff:correct", kwargs={"pk": _published_followup()}
    ),
    "followups_staff:draft_pdf": _followup("draft_pdf"),
    "followups_staff:retry": _followup("retry"),
    "followups_staff:transition": lambda: reverse(
        "followups_staff:transition", kwargs={"pk": _draft_followup(), "action": "submit"}
    ),
    "staff:workspace_type_create": _workspace("atagande/{commitment}/typer/ny/"),
    "staff:workspace_type": _workspace("typer/{type}/"),
    # Deleting a part, and starting from another promise: pages of a draft only.
    "staff:workspace_type_delete": _workspace("typer/{type}/ta-bort/", "eskilstuna-2019"),
    "staff:workspace_copy_from": _workspace("kopiera-fran/", "eskilstuna-tom"),
    "staff:workspace_withdraw": _workspace("indikatorer/{indicator}/dra-tillbaka/"),
    "staff:workspace_part_create": _workspace("omraden/ny/"),
    "staff:workspace_part": _workspace("omraden/{district}/"),
    "staff:workspace_part_delete": _workspace("omraden/{district}/ta-bort/", "eskilstuna-2019"),
    # Admin pages of one row of a model the demo data has no row of: an id that does not exist.
    "admin:axes_accessattempt_history": lambda: "/admin/axes/accessattempt/1/history/",
    "admin:axes_accessattempt_delete": lambda: "/admin/axes/accessattempt/1/delete/",
    "admin:axes_accessattempt_change": lambda: "/admin/axes/accessattempt/1/change/",
    "admin:axes_accessfailurelog_history": lambda: "/admin/axes/accessfailurelog/1/history/",
    "admin:axes_accessfailurelog_delete": lambda: "/admin/axes/accessfailurelog/1/delete/",
    "admin:axes_accessfailurelog_change": lambda: "/admin/axes/accessfailurelog/1/change/",
    "/admin/axes/accessattempt/<path:object_id>/": lambda: "/admin/axes/accessattempt/1/",
    "/admin/axes/accesslog/<path:object_id>/": lambda: "/admin/axes/accesslog/999999/",
    "admin:axes_accesslog_history": lambda: "/admin/axes/accesslog/999999/history/",
    "admin:axes_accesslog_delete": lambda: "/admin/axes/accesslog/999999/delete/",
    "admin:axes_accesslog_change": lambda: "/admin/axes/accesslog/999999/change/",
    "/admin/axes/accessfailurelog/<path:object_id>/": lambda: "/admin/axes/accessfailurelog/1/",
    "/admin/django_tasks_database/dbtaskresult/<path:object_id>/": lambda: _TASK,
    "admin:django_tasks_database_dbtaskresult_history": lambda: f"{_TASK}history/",
    "admin:django_tasks_database_dbtaskresult_delete": lambda: f"{_TASK}delete/",
    "admin:django_tasks_database_dbtaskresult_change": lambda: f"{_TASK}change/",
}
# django-simple-history's "<object>/history/<history id>/" admin pages, one per tracked model.
_SIMPLE_HISTORY = re.compile(r"admin/(\w+)/(\w+)/\^\(\[\^/\]\+\)/history/")


def _simple_history(route, tenant=None):
    app_label, model_name = _SIMPLE_HISTORY.match(route.route).groups()
    model = apps.get_model(app_label, model_name)
    records = model.history.order_by("history_id")
    if hasattr(model, "promise_path"):
        records = records.filter(**{model.promise_path: _tenant(tenant)})
    record = records.first()
    if record is None:
        raise Unresolvable(f"{route.key}: no history of {model_name} in the seed data")
    object_id = getattr(record, model._meta.pk.name)
    return f"/admin/{app_label}/{model_name}/{object_id}/history/{record.history_id}/"


def concrete_url(route, language="sv", tenant=None):
    """One address for `route`, from the seed data; raises Unresolvable when none can be built.

    `tenant` (a promise's slug) picks whose row an admin page of one row shows; Eskilstuna's
    when None.
    """
    prefix = "/en" if route.i18n and language == "en" else ""
    if route.key in EXPLICIT and not (tenant and is_tenant_scoped(route)):
        return prefix + EXPLICIT[route.key]()
    if _SIMPLE_HISTORY.match(route.route):
        return prefix + _simple_history(route, tenant)
    if route.regex:
        raise Unresolvable(f"{route.key}: a regular expression; list it in EXPLICIT")
    values = _values()
    names = re.findall(r"<(?:\w+:)?(\w+)>", route.route)
    if "object_id" in names and route.route.startswith("admin/"):
        values = {**values, "object_id": _admin_object(route, tenant)}
    missing = [name for name in names if name not in values]
    if missing:
        raise Unresolvable(f"{route.key}: no value for {missing}; list it in EXPLICIT")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), route.route)
    url = f"{prefix}/{path}"
    # A filled-in address that does not resolve to its own pattern would test the wrong page.
    with translation.override(language):
        try:
            match = resolve(url)
        except Resolver404 as error:
            raise Unresolvable(f"{route.key}: {url} does not resolve") from error
    if route.key != f"/{route.route}" and match.view_name != route.key:
        raise Unresolvable(f"{route.key}: {url} resolves to {match.view_name}")
    return url


def check_explicit_entries_exist():
    """Keys of EXPLICIT that no longer name a pattern: stale entries hide nothing, but mislead."""
    keys = {route.key for route in all_routes()}
    return sorted(set(EXPLICIT) - keys)
