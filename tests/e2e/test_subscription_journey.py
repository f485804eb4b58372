"""A citizen's e-mail subscription in Chromium: subscribe on the promise page, confirm from the
mail's link, get the published follow-up by mail, unsubscribe from its link; no cookie at all.

The mails are read from Django's outbox (the live server runs in this process); the task worker
sends them, run in a thread as in the follow-up journey (test_journeys.py).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commitments.loading import load_promise_file
from commitments.tertials import Tertial
from followups.demo import FIXTURE, seed_accounts
from followups.models import CommitmentAssessment, FollowUp
from subscriptions.models import Subscription

from .conftest import new_context
from .test_journeys import PASSWORD, _run_task_worker

pytestmark = pytest.mark.e2e


def _publish(promise, users):
    """The follow-up's transitions, as its staff pages call them (test_journeys.py clicks them)."""
    coordinator = users["samordnare"]
    followup = FollowUp.start_draft(promise=promise, tertial=Tertial(2018, 1), by=coordinator)
    followup.summary = "E2E-sammanfattning."
    followup.save()
    for commitment in promise.commitments.all():
        CommitmentAssessment.objects.create(
            followup=followup, commitment=commitment, status="on_track", justification="Ja."
        )
    followup.submit(by=coordinator)
    followup.approve(by=users["ordforande"])
    followup.approve(by=users["lpo-chef"])
    followup.publish(by=users["lpo-chef"])


def _link(message, name):
    return re.search(rf"(http://\S+/prenumeration/{name}/\S+/)", message.body)[1]


def test_a_citizen_subscribes_confirms_gets_the_follow_up_and_unsubscribes(
    browser, live_server, settings
):
    settings.PORTAL_URL = live_server.url
    promise = load_promise_file(FIXTURE)
    users = seed_accounts(PASSWORD)
    context = new_context(browser)
    page = context.new_page()

    page.goto(f"{live_server.url}/loften/eskilstuna-2018/")
    page.get_by_label("Din e-postadress").fill("anna@example.se")
    page.get_by_role("button", name="Prenumerera", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    _run_task_worker()
    (confirmation,) = mail.outbox

    page.goto(_link(confirmation, "bekrafta"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Din prenumeration är bekräftad")

    _publish(promise, users)
    _run_task_worker()
    news = mail.outbox[-1]
    assert news.subject.startswith("Ny uppföljning av")
    assert "enligt plan" in news.body

    page.goto(_link(news, "avsluta"))
    page.get_by_role("button", name="Sluta skicka mejlen och radera min adress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du prenumererar inte längre")
    assert not Subscription.objects.exists()
    assert context.cookies() == []
    context.close()
