"""Every page of the site, in Swedish and English, through axe-core, the Nu Html Checker and
a 320 px wide window; each page's forms also after an empty submission, errors shown.

The pages are the URL configuration's patterns (tests/url_catalogue.py), filled in from the
demo data, so a new page is checked the day it is added. A page is opened anonymously; when
that leads to the login, by the first staff role that gets it (coordinator, police, chair,
police area chief, municipality). The site is crawled once per module (the HTML checker runs
once, over every page, for speed); each test then reports one page.

The Django admin is left out: it is Django's own, covered by the permission matrix, and used
by the operators only (issue 17: only superusers are staff).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from commitments.models import User
from followups.demo import seed

from ..url_catalogue import Unresolvable, all_routes, concrete_url
from .checks import axe_violations, html_errors, sideways_scroll, tables_scrolling_sideways
from .conftest import log_in, new_context

pytestmark = pytest.mark.e2e

LANGUAGES = ("sv", "en")
STAFF_ORDER = ("samordnare", "polis", "ordforande", "lpo-chef", "kommun")
PAGES = [
    (language, route)
    for route in all_routes()
    if not route.route.startswith("admin/")
    for language in (LANGUAGES if route.i18n else ("sv",))
]

# Submits a form with every field emptied and the browser's own validation off, so that the
# server's error messages are what the reader sees.
FORMS = """Array.from(document.querySelectorAll("form")).filter(form =>
    form.method === "post" && form.querySelector(
        "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select"
    ))"""
EMPTY_SUBMIT = (
    "index => { const form = "
    + FORMS
    + """[index];
    form.noValidate = true;
    for (const field of form.querySelectorAll("input, textarea")) {
        if (!["hidden", "submit", "button", "checkbox", "radio"].includes(field.type)) {
            field.value = "";
        }
    }
    form.requestSubmit();
}"""
)


class Found:
    """What the checks found on one page (and on its forms after an empty submission)."""

    def __init__(self, url):
        self.url = url
        self.role = "anonymous"
        self.url_seen = url
        self.problem = None  # the page could not be checked: why
        self.skip = None  # the address is not an HTML page: what it is
        self.axe = []
        self.overflow = []
        self.documents = {}  # name → HTML as sent by the server
        self.html = []


def _open(page, url):
    """The page at `url`. When the browser shows no page (a file it downloads, such as a CSV
    or a PDF, or an error answer without a body), the address is fetched again with the
    page's cookies, so that its status and content type can be reported."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" not in str(error) and "ERR_HTTP_RESPONSE_CODE" not in str(error):
            raise
        response = page.context.request.get(url)
    return response, response.headers.get("content-type", "")


def _check(found, page, response, label):
    found.axe += [f"{label}: {violation}" for violation in axe_violations(page)]
    overflow = sideways_scroll(page)
    if overflow:
        found.overflow.append(f"{label}: {overflow} px too wide at 320 px")
    if found.role == "anonymous":
        # The public's figures: readable on a phone without scrolling a table sideways.
        found.overflow += [
            f"{label}: table scrolls sideways at {where}"
            for where in tables_scrolling_sideways(page)
        ]
    found.documents[f"{found.url} {label}"] = response.text()


def _is_login(url, live_url):
    """Whether `url` is the login page, in either language (a staff page's redirect)."""
    for language in LANGUAGES:
        with translation.override(language):
            if url.startswith(live_url + resolve_url(settings.LOGIN_URL)):
                return True
    return False


def _crawl_one(found, contexts, live_url):
    for role in ("anonymous", *STAFF_ORDER):
        page = contexts[role].new_page()
        response, content_type = _open(page, live_url + found.url)
        sent_to_login = _is_login(response.url, live_url) and not _is_login(
            live_url + found.url, live_url
        )
        if sent_to_login:
            page.close()
            continue
        if response.status == 200 and "text/html" in content_type:
            found.role = role
            found.url_seen = page.url
            return page, response
        page.close()
        if response.status == 405:
            found.skip = "not a page: the address takes POST only"
            return None, None
        if response.status == 200:
            found.skip = f"not a page: {content_type}"
            return None, None
        if response.status not in {403, 404}:
            break
    found.problem = f"no role could open {found.url} (last answer {response.status} {response.url})"
    return None, None


def _submit_forms(found, page, count):
    for index in range(count):
        page.goto(found.url_seen)
        with page.expect_navigation() as navigation:
            page.evaluate(EMPTY_SUBMIT, index)
        response = navigation.value
        if response.status == 200 and "text/html" in response.headers.get("content-type", ""):
            _check(found, page, response, f"form {index + 1} with errors")
        elif response.status >= 400:
            found.problem = f"an empty submission of form {index + 1} gave {response.status}"


@pytest.fixture(scope="module")
def crawl(browser, live_server, django_db_setup, django_db_blocker):
    """Seeds the demo data, opens every page, runs the checks; flushes the database after."""
    results = {}
    contexts = {}
    with django_db_blocker.unblock():
        try:
            seed("e2e-password-not-used")
            contexts["anonymous"] = new_context(browser)
            for username in STAFF_ORDER:
                contexts[username] = new_context(browser)
                log_in(contexts[username], User.objects.get(username=username), live_server.url)
            forms = []
            for language, route in PAGES:
                key = f"{language}:{route.key}"
                try:
                    found = results[key] = Found(concrete_url(route, language))
                except Unresolvable as error:
                    results[key] = Found("?")
                    results[key].problem = str(error)
                    continue
                page, response = _crawl_one(found, contexts, live_server.url)
                if page is None:
                    continue
                _check(found, page, response, "page")
                count = page.evaluate(f"{FORMS}.length")
                if count:
                    forms.append((found, count))
                page.close()
            # Forms last, so that a submission that succeeds changes nothing checked before.
            for found, count in forms:
                page = contexts[found.role].new_page()
                _submit_forms(found, page, count)
                page.close()
            documents = {name: html for f in results.values() for name, html in f.documents.items()}
            errors = html_errors(documents) if documents else {}
            for found in results.values():
                found.html = [f"{name}: {e}" for name in found.documents for e in errors[name]]
        finally:
            # No browser request may reach the server once the database is blocked again.
            for context in contexts.values():
                context.close()
            call_command("flush", interactive=False, verbosity=0)
    return results


def _found(crawl, language, route):
    found = crawl[f"{language}:{route.key}"]
    assert found.problem is None, found.problem
    if found.skip:
        pytest.skip(f"{found.url}: {found.skip}")
    return found


def _report(found, problems):
    return f"{found.url} as {found.role}:\n" + "\n".join(problems)


IDS = [f"{language}:{route.key}" for language, route in PAGES]


@pytest.mark.parametrize(("language", "route"), PAGES, ids=IDS)
def test_page_has_no_axe_violations(crawl, language, route):
    found = _found(crawl, language, route)
    assert not found.axe, _report(found, found.axe)


@pytest.mark.parametrize(("language", "route"), PAGES, ids=IDS)
def test_page_is_valid_html(crawl, language, route):
    found = _found(crawl, language, route)
    assert not found.html, _report(found, found.html)


@pytest.mark.parametrize(("language", "route"), PAGES, ids=IDS)
def test_page_does_not_scroll_sideways_at_320_px(crawl, language, route):
    found = _found(crawl, language, route)
    assert not found.overflow, _report(found, found.overflow)
