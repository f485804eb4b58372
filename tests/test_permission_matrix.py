"""One table: every URL pattern of the site × every role, and what each role gets.

The table has a row for each pattern of the URL configuration (admin patterns by glob, since
the admin makes six per model); a pattern without a row fails, so a new page cannot ship
without someone deciding who may open it. Each role requests the pattern's address, built
from the demo data by `tests/url_catalogue.py`, and must get exactly the row's answer.

Answers: a status code; LOGIN = a redirect to the staff login; ADMIN_LOGIN = a redirect to the
admin login; ADMIN_INDEX = a redirect to the admin index (the admin login seen by a user who
is already in). Safe methods only (GET), except where a row says POST: a POST with no data is
enough to show whether the view lets the role in.

The staff engineer's `tests/test_staff_permissions.py` (when it lands) checks what each staff
page shows to whom; this table only checks who gets in.
"""

import fnmatch
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from commitments import roles
from followups.demo import seed

from .factories import UserFactory
from .url_catalogue import all_routes, check_explicit_entries_exist, concrete_url
from .xdist_groups import claim_for_one_worker

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
ADMIN_INDEX = "admin-index"
ROLES = ("anonymous", "police", "municipality", "coordinator", "ordforande", "lpo_chef", "outsider")


def everyone(answer):
    return (answer,) * len(ROLES)


# The admin is for coordinators (is_staff, model permissions from commitments/roles.py);
# everybody else is sent to its login. Approvers have view permissions but no admin access.
ADMIN_OTHERS = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN)
ADMIN_CONTENT = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, *ADMIN_OTHERS)
ADMIN_FORBIDDEN = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, *ADMIN_OTHERS)
# The history or change page of a row that does not exist: the admin sends its user home.
ADMIN_MISSING = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_INDEX, *ADMIN_OTHERS)
ADMIN_REDIRECT = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 302, *ADMIN_OTHERS)

# fmt: off
MATRIX = {
    # key (glob only under admin:)   anonymous police municipality coordinator ordf. lpo outsider
    "healthz":                          everyone(200),
    "public:index":                     everyone(200),
    "public:promise":                   everyone(200),
    "public:commitment":                everyone(200),
    "admin:index":                      ADMIN_CONTENT,
    "admin:login":                      (200, 200, 200, ADMIN_INDEX, 200, 200, 200),
    # Logging out of the admin is POST only (Django 5); the admin sends others to its index.
    "admin:logout":                     (ADMIN_INDEX,) * 3 + (405,) + (ADMIN_INDEX,) * 3,
    "admin:password_change":            ADMIN_CONTENT,
    "admin:password_change_done":       ADMIN_CONTENT,
    "admin:autocomplete":               (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, *ADMIN_OTHERS),
    "admin:jsi18n":                     ADMIN_CONTENT,
    "admin:view_on_site":               ADMIN_REDIRECT,
    "admin:app_list":                   ADMIN_CONTENT,
    # Users and groups are managed by superusers only.
    "admin:auth_group_*":               ADMIN_FORBIDDEN,
    "admin:commitments_user_*":         ADMIN_FORBIDDEN,
    "admin:auth_user_password_change":  ADMIN_FORBIDDEN,
    "admin:commitments_*":              ADMIN_CONTENT,
    "admin:followups_*":                ADMIN_CONTENT,
    # Published records are kept (Swedish archive rules): the admin refuses to delete them.
    "admin:commitments_promise_delete": ADMIN_FORBIDDEN,
    "admin:commitments_district_delete": ADMIN_FORBIDDEN,
    "admin:commitments_commitment_delete": ADMIN_FORBIDDEN,
    "admin:commitments_activitytype_delete": ADMIN_FORBIDDEN,
    "admin:commitments_indicator_delete": ADMIN_FORBIDDEN,
    "admin:commitments_measurement_delete": ADMIN_FORBIDDEN,
    "admin:followups_followup_delete": ADMIN_FORBIDDEN,
    # The demo's activities are public by now: kept, like the rest.
    "admin:commitments_activity_delete": ADMIN_FORBIDDEN,
    # Import records are read only; the demo data has none, so their pages name a missing row.
    "admin:commitments_activityimport_add": ADMIN_FORBIDDEN,
    "admin:commitments_activityimport_delete": ADMIN_FORBIDDEN,
    "admin:commitments_activityimport_history": ADMIN_MISSING,
    "admin:commitments_activityimport_change": ADMIN_MISSING,
    "admin:axes_accessattempt_history": ADMIN_MISSING,
    "admin:axes_accesslog_history": ADMIN_MISSING,
    "admin:axes_accessfailurelog_history": ADMIN_MISSING,
    "admin:django_tasks_database_dbtaskresult_history": ADMIN_MISSING,
    "admin:axes_*":                     ADMIN_FORBIDDEN,
    "admin:django_tasks_database_*":    ADMIN_FORBIDDEN,
    "robots":                           everyone(200),
    "sitemap":                          everyone(200),
    "public:accessibility":             everyone(200),
    "public:district":                  everyone(200),
    "public:csv":                       everyone(200),
    "public:json":                      everyone(200),
    "followups:detail":                 everyone(200),
    "followups:pdf":                    everyone(200),
    "followups:version":                everyone(200),
    "followups:version_pdf":            everyone(200),
    "followups:staff_calendar":         (LOGIN, 200, 200, 200, 200, 200, 200),
    "followups:staff_start":            everyone(405),
    "followups:staff_detail":           (LOGIN, 200, 200, 200, 200, 200, 404),
    "followups:staff_edit":             (LOGIN, 403, 403, 200, 403, 403, 404),
    # A published follow-up: its coordinator may correct it by a new version.
    "followups:staff_correct":          (LOGIN, 403, 403, 200, 403, 403, 404),
    "followups:staff_draft_pdf":        (LOGIN, 403, 403, 200, 200, 200, 404),
    "followups:staff_retry":            everyone(405),
    "followups:staff_transition":       everyone(405),
    "followups:staff_copy":             (LOGIN, 403, 403, 200, 403, 403, 404),
    "followups:feed":                   everyone(200),
    "staff:dashboard":                  (LOGIN, 200, 200, 200, 200, 200, 200),
    "staff:activities":                 (LOGIN, 200, 200, 200, 200, 200, 200),
    "staff:activities_csv":             (LOGIN, 200, 200, 200, 200, 200, 200),
    "staff:activities_xlsx":            (LOGIN, 200, 200, 200, 200, 200, 200),
    # Approvers change no activity; the outsider sees an empty form (no promise to choose).
    "staff:import":                     (LOGIN, 200, 200, 200, 403, 403, 200),
    "staff:import_confirm":             (LOGIN, 405, 405, 405, 405, 405, 405),
    "staff:import_template_xlsx":       (LOGIN, 200, 200, 200, 404, 404, 404),
    "staff:import_template_csv":        (LOGIN, 200, 200, 200, 404, 404, 404),
    "staff:activity_create":            (LOGIN, 200, 200, 200, 403, 403, 200),
    # A police activity: its organisation, the coordinator and approvers of the promise read it.
    "staff:activity":                   (LOGIN, 200, 404, 200, 200, 200, 404),
    "staff:activity_edit":              (LOGIN, 200, 404, 200, 404, 404, 404),
    # A police activity within the publication delay, a draft: those who may change it may
    # delete it. Public ones are kept (403): tests/test_public_records_kept.py.
    "staff:activity_delete":            (LOGIN, 200, 404, 200, 404, 404, 404),
    "staff:activity_history":           (LOGIN, 404, 404, 200, 404, 404, 404),
    "staff:login":                      everyone(200),
    "staff:logout":                     everyone(405),
    "staff:password_change":            (LOGIN, 200, 200, 200, 200, 200, 200),
    "staff:password_change_done":       (LOGIN, 200, 200, 200, 200, 200, 200),
    "staff:password_reset":             everyone(200),
    "staff:password_reset_done":        everyone(200),
    "staff:password_reset_confirm":     everyone(200),
    "staff:password_reset_complete":    everyone(200),
    # The admin's "<id>/" addresses redirect to "<id>/change/" (unnamed patterns).
    "/admin/*/<path:object_id>/":       ADMIN_REDIRECT,
    # The admin's catch-all: a login first, then 404, so that it does not reveal its models.
    "/admin/(?P<url>.*)$":              (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, *ADMIN_OTHERS),
}
# fmt: on
POST = {}


def row_for(key):
    """The row of a pattern: its exact key, else the most specific admin glob that matches."""
    if key in MATRIX:
        return MATRIX[key]
    globs = [
        pattern
        for pattern in MATRIX
        if "*" in pattern and pattern.startswith(("admin:", "/admin/"))
        if fnmatch.fnmatchcase(key, pattern)
    ]
    if not globs:
        return None
    return MATRIX[max(globs, key=len)]


ROUTES = all_routes()


def test_every_url_pattern_has_a_row():
    missing = [route.key for route in ROUTES if row_for(route.key) is None]
    assert not missing, f"patterns without a row in MATRIX: {missing}"


def test_every_row_names_a_pattern():
    keys = [route.key for route in ROUTES]
    stale = [row for row in MATRIX if not any(fnmatch.fnmatchcase(k, row) for k in keys)]
    assert not stale, f"rows of MATRIX that match no pattern: {stale}"
    assert not check_explicit_entries_exist()


def test_globs_are_only_used_for_the_admin():
    globs = [row for row in MATRIX if "*" in row]
    assert all(row.startswith(("admin:", "/admin/")) for row in globs)


# One worker runs the whole table (make pytest: --dist loadgroup), so the demo is seeded once.
pytestmark = pytest.mark.xdist_group("permission-matrix")


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data and its accounts, once for the module, rolled back at its end."""
    claim_for_one_worker(tmp_path_factory, "permission-matrix")
    with django_db_blocker.unblock(), transaction.atomic():
        users = seed("matrix-password-not-used")
        _promise, accounts, _created = users
        outsider = UserFactory(
            username="outsider",
            organisation__name="Lokalpolisområde Västerås",
            organisation__slug="lpo-vasteras",
        )
        outsider.groups.set([roles_group(roles.POLICE)])
        yield {
            "anonymous": None,
            "police": accounts["polis"],
            "municipality": accounts["kommun"],
            "coordinator": accounts["samordnare"],
            "ordforande": accounts["ordforande"],
            "lpo_chef": accounts["lpo-chef"],
            "outsider": outsider,
        }
        transaction.set_rollback(True)


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


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


@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_each_role_gets_what_the_matrix_says(route, cast, db):
    expected = row_for(route.key)
    assert expected is not None, f"{route.key} has no row in MATRIX"
    url = concrete_url(route)
    got = {}
    for role, user in cast.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        method = client.post if route.key in POST else client.get
        got[role] = answer(method(url))
    assert got == dict(zip(ROLES, expected, strict=True)), url
