"""E-mail subscriptions: double opt-in, the follow-up mails (once each), unsubscribing, limits."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from subscriptions.delivery import send_followup
from subscriptions.expiry import remove_unconfirmed
from subscriptions.models import Delivery, Subscription
from subscriptions.tasks import send_followup_mail

from .factories import CommitmentAssessmentFactory, FollowUpFactory
from .test_followup_reports import publish

pytestmark = pytest.mark.django_db

SLUG = "eskilstuna-2018"
FORM = f"/loften/{SLUG}/prenumerera/"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_URL = "https://medborgarloften.example.se"
    return settings


@pytest.fixture
def subscribe(client, eskilstuna, settings, django_capture_on_commit_callbacks):
    """POST the form as a browser would, the mail task run at once (as the worker would)."""
    settings.TASKS = IMMEDIATE

    def post(email, *, website="", ip="192.0.2.1", use=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (use or client).post(FORM, {"email": email, "website": website}, REMOTE_ADDR=ip)

    return post


def link(message, name):
    """The first link of the mail's text to a /prenumeration/<name>/ page, as a path."""
    found = re.search(rf"https://medborgarloften\.example\.se(/\S*/{name}/\S+/)", message.body)
    return found[1]


def assert_no_cookie(response):
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response


# Subscribing and confirming


def test_subscribing_mails_a_link_and_keeps_only_the_hash_of_its_token(client, subscribe):
    response = subscribe("Anna@Example.se")
    assert response.status_code == 302
    assert response["Location"] == f"/loften/{SLUG}/prenumerera/skickat/"
    assert_no_cookie(response)
    sent = client.get(response["Location"])
    assert "Titta i din e-post" in sent.text
    assert_no_cookie(sent)

    subscription = Subscription.objects.get()
    assert subscription.email == "anna@example.se"
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["anna@example.se"]
    assert message.subject.startswith("Bekräfta din prenumeration på")
    token = link(message, "bekrafta").split("/")[-2]
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Subscription.objects.values())


def test_the_mailed_link_confirms_once(client, subscribe):
    subscribe("anna@example.se")
    confirm = link(mail.outbox[0], "bekrafta")
    first = client.get(confirm)
    assert "Din prenumeration är bekräftad" in first.text
    assert_no_cookie(first)
    assert Subscription.objects.get().confirmed_at is not None
    assert "Länken fungerar inte" in client.get(confirm).text


def test_an_expired_or_forged_link_confirms_nothing(client, subscribe):
    subscribe("anna@example.se")
    confirm = link(mail.outbox[0], "bekrafta")
    assert "Länken fungerar inte" in client.get("/prenumeration/bekrafta/forfalskad/").text
    Subscription.objects.update(request_mailed_at=timezone.now() - timedelta(days=8))
    response = client.get(confirm)
    assert response.status_code == 200
    assert "Länken fungerar inte" in response.text
    assert Subscription.objects.get().confirmed_at is None


def test_an_address_asked_for_again_gets_the_same_answer_and_at_most_a_mail_an_hour(
    client, subscribe
):
    first = subscribe("anna@example.se")
    client.get(link(mail.outbox[0], "bekrafta"))
    again = subscribe(" ANNA@example.se ")
    # The same answer as for a new address: the page does not tell that it subscribes.
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1

    Subscription.objects.update(request_mailed_at=timezone.now() - timedelta(hours=2))
    subscribe("anna@example.se")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Du prenumererar redan")
    assert "List-Unsubscribe" in mail.outbox[1].extra_headers


def test_an_unconfirmed_address_asked_for_again_after_an_hour_gets_a_new_link(client, subscribe):
    subscribe("anna@example.se")
    old = link(mail.outbox[0], "bekrafta")
    Subscription.objects.update(request_mailed_at=timezone.now() - timedelta(hours=2))
    subscribe("anna@example.se")
    new = link(mail.outbox[1], "bekrafta")
    assert "Länken fungerar inte" in client.get(old).text
    assert "Din prenumeration är bekräftad" in client.get(new).text


@pytest.mark.parametrize(
    ("email", "website", "message"),
    [
        ("anna.example.se", "", "Skriv en hel e-postadress"),
        ("", "", "Skriv din e-postadress."),
        ("anna@example.se", "http://spam.example", "Lämna det sista fältet tomt"),
    ],
    ids=["malformed", "empty", "honeypot"],
)
def test_bad_input_gets_a_swedish_message_and_stores_nothing(subscribe, email, website, message):
    response = subscribe(email, website=website)
    assert response.status_code == 200
    assert message in response.text
    assert "Ingenting sparades" in response.text
    assert_no_cookie(response)
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_flood_from_one_client_is_refused_with_429(subscribe, settings):
    settings.SUBSCRIBE_LIMIT_PER_CLIENT = 3
    for n in range(3):
        assert subscribe(f"person{n}@example.se", ip="198.51.100.7").status_code == 302
    response = subscribe("person9@example.se", ip="198.51.100.7")
    assert response.status_code == 429
    assert "För många försök" in response.text
    assert response["Retry-After"] == "3600"
    assert_no_cookie(response)
    assert not Subscription.objects.filter(email="person9@example.se").exists()
    assert subscribe("person9@example.se", ip="198.51.100.8").status_code == 302


def test_a_flood_for_one_address_is_refused_from_any_client(subscribe, settings):
    settings.SUBSCRIBE_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        assert subscribe("anna@example.se", ip=f"203.0.113.{n}").status_code == 302
    assert subscribe("anna@example.se", ip="203.0.113.99").status_code == 429


def test_the_form_works_without_a_cookie_or_a_csrf_token(subscribe):
    response = subscribe("anna@example.se", use=Client(enforce_csrf_checks=True))
    assert response.status_code == 302
    assert Subscription.objects.count() == 1


def test_the_promise_page_carries_the_form_and_stays_cookie_free(client, eskilstuna):
    response = client.get(f"/loften/{SLUG}/")
    assert f'action="{FORM}"' in response.text
    assert "csrfmiddlewaretoken" not in response.text
    assert 'href="/integritet/"' in response.text
    assert_no_cookie(response)
    assert client.get(f"/loften/{SLUG}/").get("X-Page-Cache") == "hit"


def test_an_unpublished_promise_takes_no_subscription(client, unpublished_promise):
    response = client.post(FORM, {"email": "anna@example.se"})
    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_the_privacy_page_says_what_is_stored_why_and_for_how_long(client):
    response = client.get("/integritet/")
    for part in ["Vad vi sparar", "Varför", "Hur länge", "7 dagar", "Dina rättigheter"]:
        assert part in response.text, part
    assert_no_cookie(response)


# The follow-up mails


@pytest.fixture
def subscribers(eskilstuna):
    now = timezone.now() - timedelta(days=1)
    confirmed = [
        Subscription.objects.create(promise=eskilstuna, email=f"p{n}@example.se", confirmed_at=now)
        for n in range(3)
    ]
    english = confirmed[2]
    english.language = "en"
    english.save()
    Subscription.objects.create(promise=eskilstuna, email="unconfirmed@example.se")
    return confirmed


@pytest.fixture
def published(
    eskilstuna, subscribers, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks
):
    followup = FollowUpFactory(promise=eskilstuna, summary="Tertialen i korthet.")
    statuses = ["on_track", "partly", "not_on_track"]
    for commitment, status in zip(eskilstuna.commitments.order_by("number"), statuses, strict=True):
        CommitmentAssessmentFactory(followup=followup, commitment=commitment, status=status)
    return publish(followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks)


def queued_mail_tasks():
    return DBTaskResult.objects.filter(task_path="subscriptions.tasks.send_followup_mail")


def test_publishing_queues_the_mail_and_each_confirmed_subscriber_gets_it_once(published):
    (queued,) = queued_mail_tasks()
    assert queued.args_kwargs["args"] == [published.pk]
    assert send_followup_mail.call(published.pk) == 3
    assert send_followup_mail.call(published.pk) == 0  # the task run twice
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.se",
        "p1@example.se",
        "p2@example.se",
    ]
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 3


def test_batches_claim_disjoint_rows_and_a_rerun_sends_nothing(published):
    assert send_followup(published, batch_size=1) == 3
    assert len({d.batch for d in Delivery.objects.all()}) == 3
    assert send_followup(published, batch_size=1) == 0
    assert len(mail.outbox) == 3


def test_the_mail_has_the_summary_the_statuses_the_links_and_one_click_unsubscribe(published):
    send_followup(published)
    message = next(m for m in mail.outbox if m.to == ["p0@example.se"])
    assert message.subject == f"Ny uppföljning av {published.promise.title}, T1 2018"
    text = message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Tertialen i korthet." in text and "Tertialen i korthet." in html
    for status in ["Enligt plan", "Delvis", "Inte enligt plan"]:
        assert status.lower() in text.lower(), status
        assert status.lower() in html.lower(), status
    base = "https://medborgarloften.example.se"
    assert f"{base}/loften/{SLUG}/uppfoljningar/2018-t1/" in text
    assert f"{base}/loften/{SLUG}/uppfoljningar/2018-t1/v1/rapport.pdf" in text
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{base}/prenumeration/avsluta/")
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    english = next(m for m in mail.outbox if m.to == ["p2@example.se"])
    assert english.subject.startswith("New follow-up of")
    assert f"{base}/en/prenumeration/avsluta/" in english.body


def test_a_correction_is_mailed_again_and_says_so(
    published, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks
):
    send_followup(published)
    correction = published.correct(by=samordnare, reason="Fel siffra i åtagande 2.")
    publish(correction, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks)
    assert queued_mail_tasks().count() == 2
    assert send_followup_mail.call(correction.pk) == 3
    message = mail.outbox[-1]
    assert message.subject.startswith(("Rättad uppföljning av", "Corrected follow-up of"))
    assert "Fel siffra i åtagande 2." in message.body
    assert "/uppfoljningar/2018-t1/v2/rapport.pdf" in message.body


def test_a_subscriber_confirmed_after_the_publication_is_not_sent_the_old_follow_up(
    published, eskilstuna
):
    Subscription.objects.create(
        promise=eskilstuna, email="late@example.se", confirmed_at=timezone.now()
    )
    send_followup(published)
    assert "late@example.se" not in [m.to[0] for m in mail.outbox]


def test_a_refused_mail_is_not_claimed_so_the_next_run_sends_it(published, settings):
    settings.EMAIL_BACKEND = "tests.test_subscriptions.RefusingBackend"
    with pytest.raises(RuntimeError):
        send_followup(published)
    assert not Delivery.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_followup(published) == 3


class RefusingBackend:
    """A mail server that refuses everything."""

    def __init__(self, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise OSError("refused")


# Unsubscribing, and forgetting


def unsubscribe_path(subscription):
    return f"/prenumeration/avsluta/{subscription.unsubscribe_token}/"


def test_the_unsubscribe_page_asks_first_and_its_button_deletes_the_address(client, published):
    send_followup(published)
    subscription = Subscription.objects.get(email="p0@example.se")
    page = client.get(unsubscribe_path(subscription))
    assert "Sluta skicka mejlen och radera min adress" in page.text
    assert_no_cookie(page)
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # a GET changes nothing
    done = client.post(unsubscribe_path(subscription))
    assert "Du prenumererar inte längre" in done.text
    assert_no_cookie(done)
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert not Delivery.objects.filter(subscription_id=subscription.pk).exists()
    assert "finns inte längre" in client.get(unsubscribe_path(subscription)).text


def test_the_one_click_post_of_a_mail_program_unsubscribes(published):
    send_followup(published)
    message = next(m for m in mail.outbox if m.to == ["p1@example.se"])
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://medborgarloften.example.se")
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert_no_cookie(response)
    assert not Subscription.objects.filter(email="p1@example.se").exists()


def test_a_forged_unsubscribe_link_deletes_nothing(client, subscribers):
    subscription = subscribers[0]
    forged = f"/prenumeration/avsluta/{subscription.pk}:forfalskad/"
    assert client.post(forged).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_unconfirmed_addresses_are_deleted_after_seven_days(subscribers, eskilstuna):
    old = timezone.now() - timedelta(days=8)
    stale = Subscription.objects.create(
        promise=eskilstuna, email="stale@example.se", created_at=old, request_mailed_at=old
    )
    never_mailed = Subscription.objects.create(
        promise=eskilstuna, email="never@example.se", created_at=old
    )
    subscribers[0].created_at = old
    subscribers[0].save()
    assert remove_unconfirmed() == 2
    remaining = set(Subscription.objects.values_list("email", flat=True))
    assert stale.email not in remaining and never_mailed.email not in remaining
    assert {"p0@example.se", "unconfirmed@example.se"} <= remaining
    call_command("remove_unconfirmed_subscriptions")
