"""System checks of the settings: what the environment can set wrong, caught by `manage.py check`.

promise_portal/settings.py reads each value from the environment; these checks say what a value
must satisfy, so that a wrong one stops `migrate` and `check --deploy` (errors) or is printed by
every management command (warnings) instead of surfacing as odd behaviour in production. The
ids are portal.E001… and portal.W001…; tests/test_settings_checks.py has a row for each.
"""

import os

from django.conf import settings
from django.core.checks import Error, Warning, register

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5
IMPORT_LIMITS = [
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_UNCOMPRESSED_BYTES",
    "IMPORT_MAX_COMPRESSION_RATIO",
]
SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
AXES_MIDDLEWARE = "axes.middleware.AxesMiddleware"


def secret_key():
    # Django's security.W009 says the same, but only under --deploy; a production process
    # should not start on a guessable key whichever command starts it.
    key = settings.SECRET_KEY
    if settings.DEBUG or (
        len(key) >= SECRET_KEY_MIN_LENGTH and len(set(key)) >= SECRET_KEY_MIN_UNIQUE
    ):
        return []
    return [
        Error(
            f"SECRET_KEY has {len(key)} characters, {len(set(key))} of them different, with "
            "DEBUG off.",
            hint=f"Use at least {SECRET_KEY_MIN_LENGTH} random characters: python3 -c "
            '"import secrets; print(secrets.token_urlsafe(50))".',
            id="portal.E001",
        )
    ]


def trusted_proxy_count():
    count = settings.TRUSTED_PROXY_COUNT
    if isinstance(count, int) and count >= 0:
        return []
    return [
        Error(
            f"TRUSTED_PROXY_COUNT is {count!r}; it counts reverse proxies, so 0 or more.",
            hint="0 when clients reach gunicorn directly, 1 behind one nginx.",
            id="portal.E002",
        )
    ]


def publication_delay():
    if settings.PUBLICATION_DELAY.total_seconds() >= 0:
        return []
    return [
        Error(
            f"PUBLICATION_DELAY is {settings.PUBLICATION_DELAY.days} days: activities would be "
            "public before they happen.",
            hint="Set PUBLICATION_DELAY_DAYS to 0 or more (7 by default).",
            id="portal.E003",
        )
    ]


def sensitive_threshold():
    if settings.SENSITIVE_THRESHOLD >= 1:
        return []
    return [
        Error(
            f"SENSITIVE_THRESHOLD is {settings.SENSITIVE_THRESHOLD}: no count of a sensitive "
            "activity type would be hidden.",
            hint="Set SENSITIVE_THRESHOLD to 1 or more (3 by default).",
            id="portal.E004",
        )
    ]


def import_limits():
    return [
        Error(
            f"{name} is {getattr(settings, name)}: no spreadsheet could be imported.",
            hint=f"Set {name} to 1 or more, or unset it for the default.",
            id="portal.E005",
        )
        for name in IMPORT_LIMITS
        if getattr(settings, name) < 1
    ]


def session_limits():
    idle, most = settings.SESSION_COOKIE_AGE, settings.SESSION_MAX_AGE
    if idle > 0 and most.total_seconds() > 0:
        return []
    return [
        Error(
            f"Staff sessions would end at once: {idle // 60} minutes idle, "
            f"{most.total_seconds() / 3600:g} hours at most.",
            hint="Set SESSION_IDLE_MINUTES and SESSION_MAX_HOURS to 1 or more.",
            id="portal.E006",
        )
    ]


def middleware_order():
    # django-axes turns a locked-out login into the lockout page only from the last place, and
    # WhiteNoise's static files get SecurityMiddleware's headers only right after it.
    middleware, errors = settings.MIDDLEWARE, []
    if AXES_MIDDLEWARE in middleware and middleware[-1] != AXES_MIDDLEWARE:
        errors.append(Error(f"{AXES_MIDDLEWARE} is not the last middleware.", id="portal.E007"))
    if (
        WHITENOISE_MIDDLEWARE in middleware
        and SECURITY_MIDDLEWARE in middleware
        and middleware.index(WHITENOISE_MIDDLEWARE) != middleware.index(SECURITY_MIDDLEWARE) + 1
    ):
        errors.append(
            Error(
                f"{WHITENOISE_MIDDLEWARE} does not come right after {SECURITY_MIDDLEWARE}.",
                id="portal.E008",
            )
        )
    return errors


def shared_cache():
    # WEB_CONCURRENCY is gunicorn's own variable (gunicorn.conf.py), read here as it reads it.
    # Unset, gunicorn starts 2 × cores + 1 workers; that case is not warned about, so that a
    # single-process deployment need not say so.
    try:
        workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
    except ValueError:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or workers <= 1 or not backend.endswith(".LocMemCache"):
        return []
    return [
        Warning(
            f"WEB_CONCURRENCY is {workers} but the page cache is each worker's own memory: after "
            "a change, the other workers serve stale public pages.",
            hint="Set REDIS_URL, so that every worker shares one cache (docs/operations.md).",
            id="portal.W001",
        )
    ]


def public_base_url():
    host = settings.PORTAL_URL.split("://")[-1].split(":")[0]
    if settings.DEBUG or host not in {"127.0.0.1", "localhost", ""}:
        return []
    return [
        Warning(
            f"PORTAL_URL is {settings.PORTAL_URL!r}: shared links and the share "
            "texts of published follow-ups will point there.",
            hint="Set PORTAL_URL to the site's address, e.g. https://medborgarloften.se.",
            id="portal.W002",
        )
    ]


RULES = [
    secret_key,
    trusted_proxy_count,
    publication_delay,
    sensitive_threshold,
    import_limits,
    session_limits,
    middleware_order,
    shared_cache,
    public_base_url,
]


@register()
def check_settings(app_configs=None, **kwargs):
    """Every rule above, as Django's check framework runs them."""
    return [message for rule in RULES for message in rule()]
