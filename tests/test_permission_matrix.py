"""One table: every URL pattern of the site × every role, and what each role gets.

The cast has two tenants: Eskilstuna (the demo data and its accounts) and Västerås
(tests/tenants.py: another municipality, police area and promise, in the same states), and
the operator (a superuser). A row of MATRIX says what each role gets at the pattern's address,
built from the demo data by `tests/url_catalogue.py`; a pattern without a row fails, so a new
page cannot ship without someone deciding who may open it.

The admin's patterns come from the admin registry through the URL resolver; their rows are in
ADMIN, by glob. The admin is the operators' tool (issue 17): only the operator is staff, so an
ADMIN entry says what the operator gets, and everybody else, coordinators too, is sent to the
admin's login; only the admin's own entrance, exit and catch-all have a row of every role. An
admin page of one row (change, delete, history) is still requested once for a row of each
tenant, so the operator is seen to reach the rows of both.

Answers: a status code; LOGIN = a redirect to the staff login; ADMIN_LOGIN = a redirect to the
admin login; ADMIN_INDEX = a redirect to the admin index (the admin's answer for a row that
does not exist, or that the user may not see). Safe methods only (GET); a GET of a POST-only
view shows that it is one (405).
"""

import fnmatch
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from commitments.models import Activity, ActivityImport, Promise
from followups.demo import seed

from .tenants import operator, second_tenant
from .url_catalogue import (
    PROMISE_SLUG,
    all_routes,
    check_explicit_entries_exist,
    concrete_url,
    is_tenant_scoped,
)
from .xdist_groups import claim_for_one_worker

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
ADMIN_INDEX = "admin-index"
ROLES = (
    "anonymous",
    "police",
    "municipality",
    "coordinator",
    "ordforande",
    "lpo_chef",
    "outsider",
    "other_coordinator",
    "operator",
)
OTHER_TENANT = "vasteras-2018"


def everyone(answer):
    return (answer,) * len(ROLES)


# fmt: off
MATRIX = {
    # key       anonymous police municipality coordinator ordf. lpo outsider other-coord. operator
    "healthz":                          everyone(200),
    "public:index":                     everyone(200),
    "public:promise":                   everyone(200),
    "public:commitment":                everyone(200),
    "robots":                           everyone(200),
    "sitemap":                          everyone(200),
    "public:accessibility":             everyone(200),
    "public:district":                  everyone(200),
    "public:csv":                       everyone(200),
    "public:json":                      everyone(200),
    "followups:detail":                 everyone(200),
    "followups:pdf":                    everyone(200),
    "followups:json":                   everyone(200),
    "followups:version":                everyone(200),
    "followups:version_pdf":            everyone(200),
    "followups:share_image":            everyone(200),
    "followups:easy_read":              everyone(200),
    "public:easy_read":                 everyone(200),
    "feedback:page":                    everyone(200),
    # The moderation of citizens' feedback: the promise's coordinators only; publishing POST.
    "feedback_staff:moderation":        (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "feedback_staff:publish":           everyone(405),
    "feedback_staff:unpublish":         everyone(405),
    "followups:feed":                   everyone(200),
    # E-mail subscriptions (subscriptions/): no account; a mailed link's token is the
    # permission, and a link that does not work says so (as password_reset_confirm does).
    "subscriptions:subscribe":          everyone(200),
    "subscriptions:sent":               everyone(200),
    "subscriptions:confirm":            everyone(200),
    "subscriptions:unsubscribe":        everyone(200),
    "subscriptions:privacy":            everyone(200),
    # The outsider is Västerås's police officer: Eskilstuna's rows are not theirs to see.
    "followups_staff:calendar":         (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "followups_staff:start":            everyone(405),
    # A tertial's pages for its coordinators: register a past follow-up, mark it not reported.
    "followups_staff:register_past":    (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "followups_staff:unreported":       (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "followups_staff:unreported_remove": everyone(405),
    "followups_staff:detail":           (LOGIN, 200, 200, 200, 200, 200, 404, 404, 200),
    "followups_staff:edit":             (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    # A published follow-up: its coordinator may correct it by a new version.
    "followups_staff:correct":          (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "followups_staff:draft_pdf":        (LOGIN, 403, 403, 200, 200, 200, 404, 404, 403),
    "followups_staff:retry":            everyone(405),
    "followups_staff:transition":       everyone(405),
    "staff:copy_promise":             (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    # The promise workspace: its coordinators only; the operator works in the admin. A
    # coordinator of any organisation may start a promise of their own.
    "staff:workspace_list":             (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "staff:workspace_create":           (LOGIN, 403, 403, 200, 403, 403, 403, 200, 403),
    "staff:workspace":                  (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_edit":             (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    # An empty draft of Eskilstuna's organisations starts from another promise.
    "staff:workspace_copy_from":        (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_publish":          (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_preview":          (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_preview_commitment": (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_preview_district": (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_type_create":      (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_type":             (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    # A part of a draft (a published promise keeps its parts: tests/test_workspace.py).
    "staff:workspace_type_delete":      (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_withdraw":         (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_part_create":      (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_part":             (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:workspace_part_delete":      (LOGIN, 403, 403, 200, 403, 403, 404, 404, 403),
    "staff:dashboard":                  (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "staff:activities":                 (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "staff:activities_csv":             (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    # Exports of any size, prepared by the worker: asked for by POST; an export is its
    # requester's alone (here the police officer's), the operator's neither.
    "staff:export_start":               (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405),
    "staff:export":                     (LOGIN, 200, 404, 404, 404, 404, 404, 404, 404),
    "staff:export_file":                (LOGIN, 200, 404, 404, 404, 404, 404, 404, 404),
    # Approvers change no activity.
    "staff:import":                     (LOGIN, 200, 200, 200, 403, 403, 200, 200, 200),
    "staff:import_confirm":             (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405),
    "staff:import_template_xlsx":       (LOGIN, 200, 200, 200, 404, 404, 404, 404, 200),
    "staff:import_template_csv":        (LOGIN, 200, 200, 200, 404, 404, 404, 404, 200),
    "staff:activity_create":            (LOGIN, 200, 200, 200, 403, 403, 200, 200, 403),
    # A police activity: its organisation, the coordinator and approvers of the promise read it.
    "staff:activity":                   (LOGIN, 200, 404, 200, 200, 200, 404, 404, 200),
    "staff:activity_edit":              (LOGIN, 200, 404, 200, 404, 404, 404, 404, 200),
    # A police activity within the publication delay, a draft: those who may change it may
    # delete it. Public ones are kept (403): tests/test_public_records_kept.py.
    "staff:activity_delete":            (LOGIN, 200, 404, 200, 404, 404, 404, 404, 200),
    "staff:activity_history":           (LOGIN, 404, 404, 200, 404, 404, 404, 404, 200),
    # People and invitations: coordinators administer the two organisations of their promises
    # (tests/test_invitations.py); the other municipality's coordinator sees only their own.
    "staff:people":                     (LOGIN, 403, 403, 200, 403, 403, 403, 200, 200),
    "staff:people_invite":              (LOGIN, 403, 403, 200, 403, 403, 403, 200, 200),
    "staff:invitation_resend":          (LOGIN, 403, 403, 200, 403, 403, 403, 404, 200),
    "staff:invitation_revoke":          (LOGIN, 403, 403, 200, 403, 403, 403, 404, 200),
    "staff:account_deactivate":         (LOGIN, 403, 403, 200, 403, 403, 403, 404, 200),
    "staff:account_role":               (LOGIN, 403, 403, 200, 403, 403, 403, 404, 200),
    # An open invitation's link: the token is the permission, whoever opens it.
    "staff:invitation_accept":          everyone(200),
    "staff:login":                      everyone(200),
    "staff:logout":                     everyone(405),
    "staff:password_change":            (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "staff:password_change_done":       (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "staff:password_reset":             everyone(200),
    "staff:password_reset_done":        everyone(200),
    "staff:password_reset_confirm":     everyone(200),
    "staff:password_reset_complete":    everyone(200),
}

# The rest of the admin: what the operator gets; everyone else is sent to the admin's login.
ADMIN = {
    # The admin's own entrance and exit, seen by everyone (a row of every role). Nobody but the
    # operator is staff: the login page shows everybody else its form, coordinators too.
    "admin:login":                              (200,) * 8 + (ADMIN_INDEX,),
    # Logging out of the admin is POST only (Django 5); the admin sends others to its index.
    "admin:logout":                             (ADMIN_INDEX,) * 8 + (405,),
    # The admin's catch-all: a login first, then 404, so that it does not reveal its models.
    "/admin/(?P<url>.*)$":                      (ADMIN_LOGIN,) * 8 + (404,),
    "admin:index":                              200,
    "admin:password_change":                    200,
    "admin:password_change_done":               200,
    "admin:autocomplete":                       403,
    "admin:jsi18n":                             200,
    "admin:view_on_site":                       302,
    "admin:app_list":                           200,
    # The admin's "<id>/" addresses redirect to "<id>/change/" (unnamed patterns).
    "/admin/*/<path:object_id>/":               302,
    # The portal's models, of both tenants; their audit trails and historical versions (read
    # only: a revert is refused) are history pages too.
    "admin:commitments_*_changelist":           200,
    "admin:commitments_*_add":                  200,
    "admin:commitments_*_change":               200,
    "admin:commitments_*_history":              200,
    # Public records are kept (Swedish archive rules): the rows of both tenants are public.
    "admin:commitments_*_delete":               403,
    # Import records are written by the import only.
    "admin:commitments_activityimport_add":     403,
    # Users and groups are the operators'.
    "admin:commitments_user_delete":            200,
    "admin:auth_user_password_change":          200,
    "admin:auth_group_*":                       200,
    # Follow-ups are read only in the admin, for the operator too; a published one is kept.
    "admin:followups_*_changelist":             200,
    "admin:followups_*_add":                    403,
    "admin:followups_*_change":                 200,
    "admin:followups_*_history":                200,
    "admin:followups_*_delete":                 403,
    # Login throttling and the task queue (rows that do not exist here: the admin sends the
    # operator to its index).
    "admin:axes_*":                             200,
    "admin:axes_*_add":                         403,
    "admin:axes_*_change":                      ADMIN_INDEX,
    "admin:axes_*_history":                     ADMIN_INDEX,
    "admin:axes_*_delete":                      ADMIN_INDEX,
    "admin:django_tasks_database_*":            200,
    "admin:django_tasks_database_*_add":        403,
    "admin:django_tasks_database_*_change":     ADMIN_INDEX,
    "admin:django_tasks_database_*_history":    ADMIN_INDEX,
    "admin:django_tasks_database_*_delete":     403,
}
# fmt: on


def _is_admin(key):
    return key.startswith(("admin:", "/admin/"))


def row_for(key):
    """A pattern's row: its exact key, else (in the admin) the most specific matching glob."""
    if key in MATRIX:
        return MATRIX[key]
    if not _is_admin(key):
        return None
    if key in ADMIN:
        return ADMIN[key]
    globs = [pattern for pattern in ADMIN if "*" in pattern and fnmatch.fnmatchcase(key, pattern)]
    return ADMIN[max(globs, key=len)] if globs else None


def expected(route):
    """What each role gets at `route`: an admin entry of one answer is the operator's."""
    row = row_for(route.key)
    if isinstance(row, tuple):
        return dict(zip(ROLES, row, strict=True))
    return {**dict.fromkeys(ROLES, ADMIN_LOGIN), "operator": row}


ROUTES = all_routes()
CASES = [
    (route, tenant)
    for route in ROUTES
    for tenant in ((PROMISE_SLUG, OTHER_TENANT) if is_tenant_scoped(route) else (None,))
]


def test_every_url_pattern_has_a_row():
    missing = [route.key for route in ROUTES if row_for(route.key) is None]
    assert not missing, f"patterns without a row in MATRIX or ADMIN: {missing}"


def test_every_row_names_a_pattern():
    keys = [route.key for route in ROUTES]
    rows = [*MATRIX, *ADMIN]
    stale = [row for row in rows if not any(fnmatch.fnmatchcase(k, row) for k in keys)]
    assert not stale, f"rows that match no pattern: {stale}"
    assert not check_explicit_entries_exist()


def test_globs_are_only_used_for_the_admin():
    assert not [row for row in MATRIX if "*" in row]
    assert all(_is_admin(row) for row in ADMIN)


def test_every_admin_page_of_a_promise_row_is_checked_for_both_tenants():
    """Each registered model of the portal has its change, delete and history pages twice."""
    scoped = {route.key for route, tenant in CASES if tenant == OTHER_TENANT}
    for app, model in [
        ("commitments", "promise"),
        ("commitments", "district"),
        ("commitments", "commitment"),
        ("commitments", "activitytype"),
        ("commitments", "activity"),
        ("commitments", "indicator"),
        ("commitments", "measurement"),
        ("commitments", "organisation"),
        ("commitments", "activityimport"),
        ("followups", "followup"),
    ]:
        for view in ("change", "delete", "history"):
            assert f"admin:{app}_{model}_{view}" in scoped


# One worker runs the whole table (make pytest: --dist loadgroup), so the demo is seeded once.
pytestmark = pytest.mark.xdist_group("permission-matrix")


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data and its accounts, Västerås beside it, once for the module, rolled back."""
    claim_for_one_worker(tmp_path_factory, "permission-matrix")
    with django_db_blocker.unblock(), transaction.atomic():
        promise, accounts, _created = seed("matrix-password-not-used")
        other = second_tenant()
        police = promise.police_area
        ActivityImport.objects.create(
            promise=promise,
            organisation=police,
            imported_by=accounts["polis"],
            file_name="eskilstuna.csv",
            sha256="0" * 64,
            rows=1,
        )
        assert Activity.objects.filter(commitment__promise=promise).exists()
        yield {
            "anonymous": None,
            "police": accounts["polis"],
            "municipality": accounts["kommun"],
            "coordinator": accounts["samordnare"],
            "ordforande": accounts["ordforande"],
            "lpo_chef": accounts["lpo-chef"],
            "outsider": other.users["police"],
            "other_coordinator": other.users["coordinator"],
            "operator": operator(),
        }
        transaction.set_rollback(True)


def answer(response):
    """What a role got, in the table's words."""
    if response.status_code != 302:
        return response.status_code
    target = urlsplit(response["Location"]).path
    if target == resolve_url(settings.LOGIN_URL):
        return LOGIN
    if target == "/admin/login/":
        return ADMIN_LOGIN
    if target == "/admin/":
        return ADMIN_INDEX
    return 302


@pytest.mark.parametrize(
    ("route", "tenant"),
    CASES,
    ids=[f"{route.key}@{tenant}" if tenant else route.key for route, tenant in CASES],
)
def test_each_role_gets_what_the_table_says(route, tenant, cast, db):
    assert row_for(route.key) is not None, f"{route.key} has no row"
    url = concrete_url(route, tenant=tenant)
    got = {}
    for role, user in cast.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        got[role] = answer(client.get(url))
    assert got == expected(route), url


def test_the_second_tenant_is_really_beside_the_first(cast, db):
    """The table's second tenant is a promise of its own, led by other organisations."""
    eskilstuna = Promise.objects.get(slug=PROMISE_SLUG)
    vasteras = Promise.objects.get(slug=OTHER_TENANT)
    assert {eskilstuna.municipality_id, eskilstuna.police_area_id}.isdisjoint(
        {vasteras.municipality_id, vasteras.police_area_id}
    )
    assert cast["other_coordinator"].organisation_id == vasteras.municipality_id


def test_every_address_is_the_public_s_or_the_staff_s_by_its_namespace():
    """promise_portal/namespaces.py decides whose a request is; every pattern has a side."""
    from promise_portal.namespaces import PUBLIC, STAFF

    neither = {"healthz", "robots", "sitemap"}
    for route in ROUTES:
        side = "admin" if route.route.startswith("admin/") else route.namespace.split(":")[0]
        assert side in PUBLIC | STAFF or route.key in neither, route.key
        if side in PUBLIC:
            assert "personal/" not in route.route, route.key
        if side in STAFF - {"admin"}:
            assert route.route.startswith("personal/"), route.key
