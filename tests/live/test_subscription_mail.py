"""E-mail subscriptions end to end, through a real SMTP server (aiosmtpd) started by the test.

gunicorn and the task worker run as in production against a throwaway PostgreSQL database and
mail through the test's SMTP server: a visitor subscribes on the promise page's form, confirms
from the link in the mail that arrives, a follow-up is published (by its transitions, in
another process), the worker mails it with each commitment's status, and the mail program's
one-click POST (RFC 8058) to its List-Unsubscribe address deletes the address.
"""

import email
import email.policy
import re
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from .servers import AppServer, free_port, manage, production_env

PROMISE = "/loften/eskilstuna-2018/"

PUBLISH = """
from django.contrib.auth.models import Group
from commitments import roles
from commitments.models import Promise, User
from commitments.tertials import Tertial
from followups.models import CommitmentAssessment, FollowUp
roles.ensure_groups()
promise = Promise.objects.get(slug="eskilstuna-2018")
def member(name, organisation, group):
    user = User.objects.create_user(name, organisation=organisation)
    user.groups.set([Group.objects.get(name=group)])
    return user
coordinator = member("samordnare", promise.municipality, roles.COORDINATOR)
chair = member("ordforande", promise.municipality, roles.APPROVER)
chief = member("lpo-chef", promise.police_area, roles.APPROVER)
followup = FollowUp.start_draft(promise=promise, tertial=Tertial(2018, 1), by=coordinator)
followup.summary = "Tertialen i korthet."
followup.save()
statuses = ["on_track", "partly", "not_on_track"]
for commitment, status in zip(promise.commitments.order_by("number"), statuses, strict=True):
    CommitmentAssessment.objects.create(
        followup=followup, commitment=commitment, status=status, justification="Enligt plan."
    )
followup.submit(by=coordinator)
followup.approve(by=chair)
followup.approve(by=chief)
followup.publish(by=chief)
"""


class Inbox:
    """The messages the SMTP server received, parsed; waits for the next one."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=90):
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} mails arrived, not {count}")
            return self.messages[count - 1]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def portal(cluster, live_db, static_root, smtp):
    port, _inbox = smtp
    web_port = free_port()
    env = production_env(
        DATABASE_URL=cluster.url(live_db),
        STATIC_ROOT=static_root,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        PORTAL_URL=f"http://127.0.0.1:{web_port}",
        BROWSER_PATH="/nonexistent/chromium",  # the report without its charts: faster
    )
    server = AppServer(web_port, env).start()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield server, env
    worker.terminate()
    worker.wait(timeout=15)
    server.stop()


def local(server, url):
    prefix = server.url("")
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


def test_subscribe_confirm_publish_and_unsubscribe_with_one_click(portal, smtp, cluster, live_db):
    server, env = portal
    _port, inbox = smtp
    status, headers, body = server.get(PROMISE)
    assert status == 200 and 'action="/loften/eskilstuna-2018/prenumerera/"' in body

    form = urllib.parse.urlencode({"email": "Anna@Example.se", "website": ""}).encode()
    status, headers, _body = server.request(f"{PROMISE}prenumerera/", data=form)
    assert status == 302, _body
    assert "Set-Cookie" not in headers

    confirmation = inbox.wait_for(1)
    assert confirmation["To"] == "anna@example.se"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm_url = re.search(r"(http://\S+/prenumeration/bekrafta/\S+/)", text_of(confirmation))[1]
    status, headers, body = server.get(local(server, confirm_url))
    assert status == 200 and "Din prenumeration är bekräftad" in body
    assert "Set-Cookie" not in headers

    manage("shell", "-c", PUBLISH, env=env)
    news = inbox.wait_for(2)
    assert news["Subject"].strip().startswith("Ny uppföljning av")  # folded by Django
    text = text_of(news)
    for line in [
        "1. Närvaro och synlighet i de prioriterade stadsdelarna: enligt plan",
        ": delvis enligt plan",
        "3. Förebygga att unga lockas till kriminalitet: inte enligt plan",
    ]:
        assert line in text, line
    assert server.url(f"{PROMISE}uppfoljningar/2018-t1/v1/rapport.pdf") in text
    assert "enligt plan" in news.get_body(preferencelist=("html",)).get_content()

    # The mail program's one click: a POST of its own, with no cookie and no page.
    unsubscribe = news["List-Unsubscribe"].strip().strip("<>")  # folded: a long header
    status, headers, _body = server.request(
        local(server, unsubscribe),
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    assert "Set-Cookie" not in headers
    rows = cluster.execute("SELECT count(*) FROM subscriptions_subscription", dbname=live_db)
    assert rows == [(0,)]
    time.sleep(0.5)  # nothing more is mailed
    assert len(inbox.messages) == 2
