"""The settings' system checks (promise_portal/checks.py): one row per check, and the clean case."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.checks import registry

from promise_portal import checks

PRODUCTION_KEY = "k7Qp2xVb9LmZr4TsWd8YhNc3Jf6GaEu1Oi5RyXoPlMnBvCq0Hs"  # 50 characters

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "axes.middleware.AxesMiddleware",
]

# (what is set, settings, environment, the check ids expected)
CASES = [
    ("nothing wrong", {}, {}, []),
    ("a short key in production", {"SECRET_KEY": "too-short"}, {}, ["portal.E001"]),
    ("a key of four characters repeated", {"SECRET_KEY": "abcd" * 20}, {}, ["portal.E001"]),
    ("a short key in development", {"DEBUG": True, "SECRET_KEY": "dev"}, {}, []),
    ("no reverse proxy", {"TRUSTED_PROXY_COUNT": 0}, {}, []),
    ("a negative proxy count", {"TRUSTED_PROXY_COUNT": -1}, {}, ["portal.E002"]),
    ("a proxy count as text", {"TRUSTED_PROXY_COUNT": "1"}, {}, ["portal.E002"]),
    ("no publication delay", {"PUBLICATION_DELAY": timedelta(0)}, {}, []),
    (
        "a negative publication delay",
        {"PUBLICATION_DELAY": timedelta(days=-1)},
        {},
        ["portal.E003"],
    ),
    ("a sensitive threshold of 1", {"SENSITIVE_THRESHOLD": 1}, {}, []),
    ("a sensitive threshold of 0", {"SENSITIVE_THRESHOLD": 0}, {}, ["portal.E004"]),
    ("no import rows allowed", {"IMPORT_MAX_ROWS": 0}, {}, ["portal.E005"]),
    (
        "two import limits at zero",
        {"IMPORT_MAX_BYTES": 0, "IMPORT_MAX_COMPRESSION_RATIO": 0},
        {},
        ["portal.E005", "portal.E005"],
    ),
    ("sessions idle for 0 s", {"SESSION_COOKIE_AGE": 0}, {}, ["portal.E006"]),
    ("sessions of 0 hours", {"SESSION_MAX_AGE": timedelta(0)}, {}, ["portal.E006"]),
    (
        "django-axes not last",
        {"MIDDLEWARE": [*MIDDLEWARE[:-1], MIDDLEWARE[-1], MIDDLEWARE[2]]},
        {},
        ["portal.E007"],
    ),
    (
        "WhiteNoise after the sessions",
        {"MIDDLEWARE": [MIDDLEWARE[0], MIDDLEWARE[2], MIDDLEWARE[1], MIDDLEWARE[3]]},
        {},
        ["portal.E008"],
    ),
    ("several workers, their own caches", {}, {"WEB_CONCURRENCY": "5"}, ["portal.W001"]),
    ("one worker, its own cache", {}, {"WEB_CONCURRENCY": "1"}, []),
    (
        "several workers sharing Redis",
        {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}},
        {"WEB_CONCURRENCY": "5"},
        [],
    ),
    ("several workers in development", {"DEBUG": True}, {"WEB_CONCURRENCY": "5"}, []),
    (
        "the development address in production",
        {"PORTAL_URL": "http://127.0.0.1:8000"},
        {},
        ["portal.W002"],
    ),
]


@pytest.fixture
def production(settings, monkeypatch):
    """Settings as production has them, with nothing wrong: each row changes one thing."""
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION_KEY
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLICATION_DELAY = timedelta(days=7)
    settings.SENSITIVE_THRESHOLD = 3
    settings.MIDDLEWARE = MIDDLEWARE
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PORTAL_URL = "https://medborgarloften.example"
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    return settings


@pytest.mark.parametrize(
    ("case", "changed", "environment", "expected"), CASES, ids=[row[0] for row in CASES]
)
def test_each_check_fires_on_its_own_mistake(
    production, monkeypatch, case, changed, environment, expected
):
    for name, value in changed.items():
        setattr(production, name, value)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert [message.id for message in checks.check_settings()] == expected


def test_every_check_has_a_row_that_makes_it_fire():
    declared = set(re.findall(r'id="(portal\.[EW]\d{3})"', Path(checks.__file__).read_text()))
    fired = {check_id for _case, _changed, _env, expected in CASES for check_id in expected}
    assert declared == fired


def test_the_checks_are_registered_with_django():
    assert checks.check_settings in registry.registry.get_checks()


def test_the_project_settings_pass_them(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)

    assert checks.check_settings() == []
