"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it starts /usr/bin/chromium (CHROMIUM overrides).
Its sync API runs an event loop in the test thread, so Django's guard against database
calls from async code must be lifted for the test process (the server thread is unaffected).
"""

import os

import pytest
from django.conf import settings
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import expect, sync_playwright

# The same patience for assertions as for actions (new_context below).
expect.set_options(timeout=30_000)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(browser, *, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, locale="sv-SE", **options)
    # Generous: CI shares two cores with other work, and a chart page is heavy.
    context.set_default_timeout(30_000)
    return context


@pytest.fixture
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def log_in(context, user, base_url):
    """A session for `user` in the browser, without going through a login page."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )
