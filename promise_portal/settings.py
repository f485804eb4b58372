"""Settings for Medborgarlöftesportalen, read from the environment only.

One section per concern, each under a comment; every variable is listed in docs/operations.md,
and promise_portal/checks.py checks the values that must agree (`manage.py check`).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from promise_portal.jsonlog import logging_config
from promise_portal.storages import default_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name):
    """A secret from NAME, or from the file named by NAME_FILE (Docker and systemd secrets)."""
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, "")


def read_local_env(path):
    """KEY=VALUE lines of a checkout's git-ignored .env, under what the environment sets.

    `make run` writes one saying DEBUG=1, so that `.venv/bin/python manage.py …` works in a
    new shell as the README shows it. A server has none: its settings come from its
    environment (docs/operations.md).
    """
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


read_local_env(BASE_DIR / ".env")

# --- Mode and secret key ---------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
# devtools/ (benchmarks, data generators) with DEBUG, or BENCH=1 as `make bench` sets it.
BENCH = env_bool("BENCH", default=False)


def _secret_key():
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: one key per checkout, kept out of git, so sessions survive restarts.
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications and middleware -------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "simple_history",
    "axes",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    # The project itself: the system checks of these settings (promise_portal/checks.py).
    "promise_portal",
    "commitments",
    "followups",
    "feedback",
    "subscriptions",
]
if DEBUG or BENCH:
    INSTALLED_APPS.append("devtools")

# In the order a request passes them; a response passes them in reverse.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from gunicorn, right after SecurityMiddleware so that its headers apply.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database error (PostgreSQL unreachable) becomes a 503 with Retry-After and a Swedish
    # page instead of a 500: high, so that a view's error reaches it (handler500 in urls.py
    # catches what middleware raises).
    "promise_portal.outage.DatabaseOutageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "commitments.middleware.StaffSessionMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "promise_portal.urls"
WSGI_APPLICATION = "promise_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------

# An SQLite file in the project by default, so that a fresh clone runs; PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast rather than hang when the database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The 503 page of a database outage asks clients to come back after this many seconds.
OUTAGE_RETRY_AFTER = int(os.environ.get("OUTAGE_RETRY_AFTER", "30"))

# --- Cache and sessions ----------------------------------------------------------------------

# One cache shared by every app process (Redis); each process's own memory when unset.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "medborgarloften"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions in the database: shared by every app process, and they survive a Redis restart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions end after 30 minutes idle (the cookie and the stored session are renewed on every
# staff request, see commitments/middleware.py) and 12 hours after login whatever happens.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))

# --- Users, login and login throttling -------------------------------------------------------

AUTH_USER_MODEL = "commitments.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account+address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Login throttling (django-axes): 10 failures in 15 minutes lock that user name from that client
# address (past our proxies: promise_portal/client_ip.py; one in production, none in
# development) for the rest of the 15 minutes; the lockout page says so in Swedish.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))
AXES_CLIENT_IP_CALLABLE = "promise_portal.client_ip.client_ip"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The audit history (django-simple-history) is read, never written back: its "revert" would
# bypass the follow-up workflow and the admin's checks (commitments/scoped_admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- HTTPS, cookies and security headers -----------------------------------------------------
# Development runs on plain http://127.0.0.1, so the defaults below are on only when DEBUG is
# off; each can be set in the environment (tests/live and `make bench` serve plain http on
# 127.0.0.1 with SECURE_COOKIES=0, SECURE_SSL_REDIRECT=0, SECURE_HSTS_SECONDS=0).
# `manage.py check --deploy --fail-level WARNING` passes in production (tests/test_security.py).

# TLS ends at the reverse proxy, which says so in X-Forwarded-Proto. In production, trust that
# header only behind a proxy that sets it (TLS_TERMINATED_AT_PROXY=0 when gunicorn serves TLS).
if DEBUG or env_bool("TLS_TERMINATED_AT_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SECURE_PROXY_SSL_HEADER = None
# The proxy normally redirects HTTP to HTTPS; this is for when it cannot. Load balancers probe
# /healthz/ over plain HTTP inside the network: a redirect is no answer.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Browsers refuse plain HTTP for a year once they have seen the site over HTTPS. Preload allows
# submitting the domain to the browsers' preload list (nothing happens until then).
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

# Cookies only over HTTPS, out of reach of scripts, not sent on cross-site requests. In
# production the __Host- prefix makes browsers refuse them unless Secure, host-only and Path=/.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Development keeps Django's default for the CSRF cookie (readable by scripts).
CSRF_COOKIE_HTTPONLY = not DEBUG
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
if SESSION_COOKIE_SECURE and not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# No third-party host and no inline script or style anywhere: chart data travel in
# <script type="application/json"> blocks read by a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Language and time -----------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True
# No USE_THOUSAND_SEPARATOR: it would print years and ids as "2 018". Figures are grouped
# where they are shown (commitments.figures.display: 1 234,5 with a non-breaking space).

# --- Static and uploaded files ---------------------------------------------------------------

# WhiteNoise serves static files (see MIDDLEWARE), compressed with hashed names after
# `collectstatic` (`make serve`, the Dockerfile); tests/conftest.py switches to plain storage.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Stored files in MEDIA_ROOT, or in an S3 bucket when STORAGE_S3_BUCKET is set (storages.py).
STORAGES = {
    "default": default_storage(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail ----------------------------------------------------------------------------------

# The console in development, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "medborgarloften@localhost")
# The portal's address, for links the same in and outside a request: mail, Open Graph, shares.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Where readers report accessibility shortcomings (named in the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# E-mail subscriptions (subscriptions/): the privacy notice's contact (/integritet/); requests
# per client and per address an hour; follow-up mails per SMTP connection.
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", ACCESSIBILITY_CONTACT_EMAIL)
SUBSCRIBE_LIMIT_PER_CLIENT = int(os.environ.get("SUBSCRIBE_LIMIT_PER_CLIENT", "20"))
SUBSCRIBE_LIMIT_PER_ADDRESS = int(os.environ.get("SUBSCRIBE_LIMIT_PER_ADDRESS", "5"))
SUBSCRIPTION_BATCH_SIZE = int(os.environ.get("SUBSCRIPTION_BATCH_SIZE", "100"))

# --- Logging ---------------------------------------------------------------------------------

# Logs as one JSON object a line on stdout, for journald, Docker and log collectors.
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# --- Background tasks and reports ------------------------------------------------------------

# The django-tasks backport of Django 6's tasks API. The database backend keeps the queue in our
# own database; `manage.py db_worker` runs it. TASKS_BACKEND=immediate runs tasks in the
# request instead (tests, and a demo without a worker).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", "database")],
    }
}
# Where the PDF report finds a browser for its charts (kaleido); without one the report
# keeps its tables and logs a warning.
BROWSER_PATH = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")

# --- The domain ------------------------------------------------------------------------------

# Patrol plans must not be readable live: public activities appear after this delay.
PUBLICATION_DELAY = timedelta(days=int(os.environ.get("PUBLICATION_DELAY_DAYS", "7")))
# A public page stays in use this long after a change of what it shows (or after midnight)
# while a task worker renders it anew; then a reader's request renders it (commitments/
# cache.py). Without a shared cache (Redis) a worker's renderings are its own: none then.
PUBLIC_PAGE_STALE_SECONDS = int(
    os.environ.get("PUBLIC_PAGE_STALE_SECONDS", "10" if os.environ.get("REDIS_URL") else "0")
)
# Public counts of sensitive activity types below this are shown as "färre än N".
SENSITIVE_THRESHOLD = int(os.environ.get("SENSITIVE_THRESHOLD", "3"))

# Spreadsheet import of activities (commitments/imports/): limits that protect the server.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
# An XLSX file is a zip archive: refuse it before parsing when it would unpack too large.
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
# Hours an upload waits for confirmation and an export for download (`manage.py run_jobs`).
IMPORT_UPLOAD_HOURS = int(os.environ.get("IMPORT_UPLOAD_HOURS", "24"))
EXPORT_HOURS = int(os.environ.get("EXPORT_HOURS", "24"))
