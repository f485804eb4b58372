"""Production security: Django's deployment check, HTTPS, cookies and the security headers.

The production settings are only built at import with DEBUG off, so those tests run
`promise_portal.settings` in a child process with a production environment (a long random
SECRET_KEY, ALLOWED_HOSTS set, an in-memory database); the headers that apply in every
environment are checked on the test client.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from .xdist_groups import claim_for_one_worker

# One worker runs the whole module under pytest-xdist, so that its module fixtures (collectstatic
# and the production probe, each a child process of several seconds) run once, not per worker.
pytestmark = pytest.mark.xdist_group("production")

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "medborgarloften.example.se",
    "PORTAL_URL": "https://medborgarloften.example.se",
    "DATABASE_URL": "sqlite://:memory:",
    "DJANGO_SETTINGS_MODULE": "promise_portal.settings",
}


@pytest.fixture(scope="module", autouse=True)
def collected_static(tmp_path_factory):
    """Production's manifest storage refuses a page whose static files were never collected."""
    claim_for_one_worker(tmp_path_factory, "production")
    folder = tmp_path_factory.mktemp("static")
    PRODUCTION["STATIC_ROOT"] = str(folder)
    completed = run_in_production(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--noinput', '-v0'])"
    )
    assert completed.returncode == 0, completed.stderr
    yield folder
    del PRODUCTION["STATIC_ROOT"]


def production_environment():
    """This process's environment as production would have it: without test-only switches."""
    # The browser tests' conftest allows Django's sync ORM inside Playwright's event loop;
    # a deployment must not, and `check --deploy` says so (async.E001).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, **PRODUCTION}


def run_in_production(code, **extra):
    environment = {**production_environment(), **extra}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_check_passes_with_production_settings():
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="medborgarloften.example.se")
plain = client.get("/loften/eskilstuna-2018/")
health = client.get("/healthz/")
secure = client.get("/healthz/", secure=True)
proxied = client.get("/healthz/", HTTP_X_FORWARDED_PROTO="https")
login = client.get("/admin/login/", secure=True)
csrf = login.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "proxied_hsts": proxied.get("Strict-Transport-Security"),
    "csrf": {"name": csrf.key, "secure": bool(csrf["secure"]), "httponly": bool(csrf["httponly"]),
             "samesite": csrf["samesite"], "path": csrf["path"], "domain": csrf["domain"]},
    "session": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,
                settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE,
                settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN],
    "settings": {name: getattr(settings, name) for name in [
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "TRUSTED_PROXY_COUNT",
    ]},
}))
"""


@pytest.fixture(scope="module")
def production():
    completed = run_in_production(PROBE)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https_in_production(production):
    status, location = production["plain"]
    assert status == 301
    assert location == "https://medborgarloften.example.se/loften/eskilstuna-2018/"


def test_the_health_check_answers_over_plain_http_for_load_balancers(production):
    assert production["health"] == 200


def test_https_responses_carry_hsts_for_a_year_with_subdomains(production):
    assert production["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_tls_ended_at_the_proxy_counts_as_https(production):
    assert production["proxied_hsts"] == production["hsts"]


def test_the_proxy_header_is_not_trusted_when_gunicorn_serves_tls_itself():
    completed = run_in_production(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.SECURE_PROXY_SSL_HEADER)",
        TLS_TERMINATED_AT_PROXY="0",
    )
    assert completed.stdout.strip() == "None", completed.stderr


def test_the_csrf_cookie_is_a_secure_host_only_httponly_samesite_cookie(production):
    assert production["csrf"] == {
        "name": "__Host-csrftoken",
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "path": "/",
        "domain": "",
    }


def test_the_session_cookie_is_a_secure_host_only_httponly_samesite_cookie(production):
    assert production["session"] == ["__Host-sessionid", True, True, "Lax", "/", None]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/loften/eskilstuna-2018/", "/healthz/"])
def test_every_response_carries_the_security_headers(client, eskilstuna, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# What docs/operations.md says production does, as the settings have it (issue 14).
DOCUMENTED = [
    # (variable, the default column of its row says, production's value)
    ("SECURE_HSTS_SECONDS", "`31536000` (a year) when `DEBUG` is off", 31536000),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "on when `DEBUG` is off", True),
    ("SECURE_HSTS_PRELOAD", "on when `DEBUG` is off", True),
    ("SECURE_SSL_REDIRECT", "on when `DEBUG` is off", True),
    ("SECURE_COOKIES", "on when `DEBUG` is off", True),
    ("TRUSTED_PROXY_COUNT", "`1` when `DEBUG` is off", 1),
]
_SETTING = {"SECURE_COOKIES": "SESSION_COOKIE_SECURE"}


def _documented_default(variable):
    """The default column of the operations guide's row that names `variable`."""
    text = (settings.BASE_DIR / "docs" / "operations.md").read_text()
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and f"`{variable}`" in cells[0]:
            return cells[1]
    raise AssertionError(f"docs/operations.md has no row for {variable}")


@pytest.mark.parametrize(("variable", "says", "value"), DOCUMENTED)
def test_the_operations_guide_states_the_production_defaults(production, variable, says, value):
    assert _documented_default(variable).startswith(says)
    assert production["settings"][_SETTING.get(variable, variable)] == value


# The rest of the guide's defaults: timeouts, sessions, stored files, gunicorn. Read from the
# settings and gunicorn.conf.py as production loads them (PostgreSQL, nothing else set), in
# the unit the guide states them in.
SETTINGS_PROBE = """
import json, multiprocessing, runpy, django
django.setup()
from django.conf import settings
gunicorn = runpy.run_path("gunicorn.conf.py")
print(json.dumps({
    "DATABASE_CONNECT_TIMEOUT": settings.DATABASES["default"]["OPTIONS"]["connect_timeout"],
    "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "SESSION_IDLE_MINUTES": settings.SESSION_COOKIE_AGE / 60,
    "SESSION_MAX_HOURS": settings.SESSION_MAX_AGE.total_seconds() / 3600,
    "EMAIL_TIMEOUT": settings.EMAIL_TIMEOUT,
    "OUTAGE_RETRY_AFTER": settings.OUTAGE_RETRY_AFTER,
    "IMPORT_UPLOAD_HOURS": settings.IMPORT_UPLOAD_HOURS,
    "EXPORT_HOURS": settings.EXPORT_HOURS,
    "STORAGE_S3_BUCKET": settings.STORAGES["default"]["BACKEND"],
    "GUNICORN_TIMEOUT": gunicorn["timeout"],
    "GUNICORN_MAX_REQUESTS": gunicorn["max_requests"],
    "WEB_CONCURRENCY": gunicorn["workers"] == 2 * multiprocessing.cpu_count() + 1,
    "GUNICORN_BIND": gunicorn["bind"],
}))
"""

PRODUCTION_DEFAULTS = [
    # (variable, the default column of its row says, production's value)
    ("DATABASE_CONNECT_TIMEOUT", "`2`", 2),
    ("CONN_MAX_AGE", "`0`", 0),
    ("SESSION_IDLE_MINUTES", "`30`", 30),
    ("SESSION_MAX_HOURS", "`12`", 12),
    ("EMAIL_TIMEOUT", "`10`", 10),
    ("OUTAGE_RETRY_AFTER", "`30`", 30),
    ("IMPORT_UPLOAD_HOURS", "`24`", 24),
    ("EXPORT_HOURS", "`24`", 24),
    ("STORAGE_S3_BUCKET", "unset: the media folder", "django.core.files.storage.FileSystemStorage"),
    ("GUNICORN_TIMEOUT", "`30`", 30),
    ("GUNICORN_MAX_REQUESTS", "`2000`", 2000),
    ("WEB_CONCURRENCY", "`2 × cores + 1`", True),
    ("GUNICORN_BIND", "`127.0.0.1:8000`", "127.0.0.1:8000"),
]


@pytest.fixture(scope="module")
def production_defaults():
    unset = {name: "" for name, _says, _value in PRODUCTION_DEFAULTS}
    environment = {k: v for k, v in production_environment().items() if k not in unset}
    environment["DATABASE_URL"] = "postgres://portal@127.0.0.1:5432/portal"  # never connected
    completed = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("variable", "says", "value"), PRODUCTION_DEFAULTS)
def test_the_operations_guide_states_the_production_timeouts_and_limits(
    production_defaults, variable, says, value
):
    assert _documented_default(variable).startswith(says)
    assert production_defaults[variable] == value
