"""Login security: lockout, session limits, logout by POST, password validators and reset."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py


def _login(client, password, ip="192.0.2.10", username="polis"):
    return client.post(
        "/personal/logga-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_the_login_page_logs_in_and_goes_to_the_dashboard(client, polis):
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/personal/"
    assert client.get("/personal/").status_code == 200


def test_ten_failures_lock_the_account_from_that_address(client, polis):
    for _attempt in range(9):
        assert _login(client, "fel").status_code == 200
    locked = _login(client, "fel")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.text
    # Even the right password is refused now, from this address.
    assert _login(client, PASSWORD).status_code == 429
    # The same account from another address, and another account here, still log in.
    assert _login(client, PASSWORD, ip="198.51.100.7").status_code == 302


def test_the_lockout_ends_after_15_minutes(client, polis):
    for _attempt in range(10):
        _login(client, "fel")
    assert _login(client, PASSWORD).status_code == 429
    later = timezone.now() + timedelta(minutes=16)
    # django-axes reads the clock through its own imports of `now`: move it there too.
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("axes.attempts.now", return_value=later),
        mock.patch("axes.handlers.proxy.now", return_value=later),
    ):
        assert _login(client, PASSWORD).status_code == 302


def test_nine_failures_do_not_lock(client, polis):
    for _attempt in range(9):
        _login(client, "fel")
    assert _login(client, PASSWORD).status_code == 302


def test_a_session_ends_after_30_minutes_without_a_request(client, polis):
    _login(client, PASSWORD)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29)):
        assert client.get("/personal/").status_code == 200
    # Each staff request renews it: 29 minutes after the last one it is still alive.
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=58)):
        assert client.get("/personal/").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=89)):
        response = client.get("/personal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/personal/logga-in/")


def test_the_session_row_is_written_at_most_once_a_minute(client, polis):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, PASSWORD)
    start = timezone.now()

    def session_writes(minutes):
        with (
            mock.patch(
                "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
            ),
            CaptureQueriesContext(connection) as queries,
        ):
            assert client.get("/personal/").status_code == 200
        return [
            q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
        ]

    assert session_writes(0.5) == []  # within the minute of the login: nothing to renew
    assert len(session_writes(2)) == 1
    assert session_writes(2.5) == []


def test_a_session_ends_12_hours_after_login_however_busy(client, polis):
    _login(client, PASSWORD)
    start = timezone.now()
    for minutes in range(25, 12 * 60, 25):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
        ):
            assert client.get("/personal/").status_code == 200, minutes
    with mock.patch(
        "django.utils.timezone.now", return_value=start + timedelta(hours=12, minutes=10)
    ):
        response = client.get("/personal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/personal/logga-in/")


def test_public_pages_set_no_cookie_even_for_a_logged_in_user(client, polis, eskilstuna):
    _login(client, PASSWORD)
    response = client.get("/loften/eskilstuna-2018/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_logout_is_a_post(client, polis):
    _login(client, PASSWORD)
    assert client.get("/personal/logga-ut/").status_code == 405
    assert client.get("/personal/").status_code == 200
    response = client.post("/personal/logga-ut/")
    assert response.status_code == 302
    assert client.get("/personal/").status_code == 302


def test_a_new_password_must_pass_djangos_validators(client, polis):
    client.force_login(polis)
    response = client.post(
        "/personal/losenord/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    polis.refresh_from_db()
    assert polis.check_password(PASSWORD)


def test_a_password_can_be_reset_by_e_mail(client, polis):
    polis.email = "polis@example.org"
    polis.save()
    response = client.post("/personal/aterstall-losenord/", {"email": "polis@example.org"})
    assert response["Location"] == "/personal/aterstall-losenord/skickat/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Medborgarlöftesportalen"
    link = next(line for line in message.body.splitlines() if "/aterstall-losenord/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "Ny-lang-fras-for-polisen-2018"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/personal/aterstall-losenord/klart/"
    polis.refresh_from_db()
    assert polis.check_password(new)


# Behind the reverse proxy (issue 14, item 6): every request comes from the proxy's address.

PROXY = "127.0.0.1"


def _through_proxy(client, password, client_address, login="/personal/logga-in/", **headers):
    """A login as nginx passes it on: from the proxy, the client's address appended to XFF."""
    forwarded = headers.pop("sent_by_client", "")
    chain = f"{forwarded}, {client_address}" if forwarded else client_address
    return client.post(
        login,
        {"username": "ordforande", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


@pytest.mark.parametrize("login", ["/personal/logga-in/", "/admin/login/"])
def test_an_attacker_behind_the_proxy_locks_only_themselves_out(
    client, ordforande, settings, login
):
    settings.TRUSTED_PROXY_COUNT = 1
    ordforande.is_staff = True  # so that the admin's login lets the approver in, too
    ordforande.save()
    for _attempt in range(10):
        _through_proxy(client, "fel", "203.0.113.9", login)
    assert _through_proxy(client, PASSWORD, "203.0.113.9", login).status_code == 429
    # The real approver, from home through the same proxy, logs in.
    assert _through_proxy(client.__class__(), PASSWORD, "198.51.100.7", login).status_code == 302


def test_an_address_written_by_the_client_is_not_believed(client, ordforande, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        # A new made-up address each time, left of the one the proxy appended.
        _through_proxy(client, "fel", "203.0.113.9", sent_by_client=f"10.0.0.{attempt}")
    locked = _through_proxy(client, PASSWORD, "203.0.113.9", sent_by_client="10.9.9.9")
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "client_address"),
    [
        (0, "192.0.2.1", "", "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's
        (1, "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "127.0.0.1", "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        (1, "127.0.0.1", " 10.0.0.1 ,203.0.113.9 ", "203.0.113.9"),
        (2, "10.1.1.1", "10.0.0.1, 203.0.113.9, 10.1.1.2", "203.0.113.9"),
        (1, "127.0.0.1", "", "127.0.0.1"),  # not through the proxy
        (2, "10.1.1.1", "203.0.113.9", "10.1.1.1"),  # fewer entries than proxies
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_past_the_trusted_proxies(
    rf, settings, count, remote, forwarded, client_address
):
    from promise_portal.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client_address
