"""The named cast of users and the Eskilstuna 2018 promise, shared by every test module."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from commitments import roles
from commitments.loading import load_promise_file
from commitments.models import Organisation, Promise
from followups.demo import FIXTURE

from .factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic():
    """Tests run with DEBUG off, whose hashed static names need `collectstatic` first.

    Production runs collectstatic (make serve, Dockerfile) and its manifest storage refuses a
    missing file, which is what we want there; the suite renders templates without it.
    """
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": plain},
        }
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _public_address_of_the_test_client():
    """Open Graph tags and share texts name the site's address: the test client's here."""
    with override_settings(PORTAL_URL="http://testserver"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """MD5 instead of PBKDF2's million rounds: every user the tests make has a password.

    Hashing one with production's hasher costs a third of a second, and a test of the
    permission table makes six users; what the tests check is who may do what, not the hash.
    Live servers (tests/live) run production's settings and hash as production does.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def eskilstuna(db):
    """The real Eskilstuna 2018 promise, loaded from fixtures/ as `make run` loads it."""
    from followups.demo_indicators import DEMO_EASY_READ

    promise = load_promise_file(FIXTURE)
    # As the demo has it: the promise's easy-to-read page is one of its public pages.
    promise.easy_read = DEMO_EASY_READ
    promise.save(update_fields=["easy_read"])
    return promise


@pytest.fixture
def police_org(eskilstuna):
    return eskilstuna.police_area


@pytest.fixture
def municipality_org(eskilstuna):
    return eskilstuna.municipality


def _member(username, organisation, group):
    roles.ensure_groups()
    user = UserFactory(username=username, organisation=organisation)
    user.groups.set([Group.objects.get(name=group)])
    return user


@pytest.fixture
def polis(police_org):
    return _member("polis", police_org, roles.POLICE)


@pytest.fixture
def kommun(municipality_org):
    return _member("kommun", municipality_org, roles.MUNICIPALITY)


@pytest.fixture
def samordnare(municipality_org):
    return _member("samordnare", municipality_org, roles.COORDINATOR)


@pytest.fixture
def ordforande(municipality_org):
    return _member("ordforande", municipality_org, roles.APPROVER)


@pytest.fixture
def lpo_chef(police_org):
    return _member("lpo-chef", police_org, roles.APPROVER)


@pytest.fixture
def outsider(db):
    """A police officer of another police area, with no part in the Eskilstuna promise."""
    other = Organisation.objects.create(
        name="Lokalpolisområde Västerås", slug="lpo-vasteras", kind=Organisation.Kind.POLICE
    )
    return _member("outsider", other, roles.POLICE)


@pytest.fixture
def unpublished_promise(eskilstuna):
    eskilstuna.is_published = False
    eskilstuna.save()
    return Promise.objects.get(pk=eskilstuna.pk)


@pytest.fixture(scope="session", autouse=True)
def _no_chart_browser():
    """Reports are rendered without chart images unless a test asks for them.

    Starting Chromium for kaleido costs seconds per report; the tests about a report's text,
    workflow and archive don't need its pictures. tests/test_report_charts.py renders them
    with the real browser. Session-wide, so that module fixtures (a seeded demo with its
    published reports) see it too.
    """
    with override_settings(BROWSER_PATH="/nonexistent/chromium"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _public_pages_render_at_once():
    """A changed page is rendered by the next reader, not after a while by the worker.

    The worker is not running in these tests; tests/test_public_rendering.py sets the bound
    back to see a stale page served while it is renewed.
    """
    with override_settings(PUBLIC_PAGE_STALE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered public pages are cached by version; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _swedish_to_begin_with():
    """Each test starts in the site's language, Swedish.

    A request to an /en/ page leaves English active in the thread after it is answered, and a
    later test's reverse() would then give /en/ addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
