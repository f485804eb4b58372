"""`send_reminders`: 14 days before a report is due, once per person, about missing work."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from followups.reminders import send_reminders

from .factories import ActivityFactory, ActivityTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(polis, kommun, samordnare, ordforande, lpo_chef, outsider):
    for user in (polis, kommun, samordnare, ordforande, lpo_chef, outsider):
        user.email = f"{user.username}@example.se"
        user.save()
    return polis, kommun, samordnare


def test_run_twice_it_sends_each_reminder_once(eskilstuna, staff):
    # T1 2018 is reported in May 2018: due 31 May, reminders from 17 May.
    assert send_reminders(today=date(2018, 5, 20)) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kommun@example.se",
        "polis@example.se",
        "samordnare@example.se",
    ]
    assert send_reminders(today=date(2018, 5, 21)) == 0
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert "T1 2018" in message.subject and "Påminnelse" in message.subject
    assert "Skiftinge" in message.body


def test_the_command_is_safe_to_run_again(eskilstuna, staff, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2018, 9, 20))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert len(mail.outbox) == 3
    assert out.getvalue().splitlines() == ["Sent 3 reminders.", "Sent 0 reminders."]


def test_no_reminder_before_the_window_or_without_gaps(eskilstuna, staff, polis):
    assert send_reminders(today=date(2018, 5, 16)) == 0
    # The police area did something in every commitment and district it answers for.
    for commitment in eskilstuna.commitments.filter(responsible_organisations=polis.organisation):
        activity_type = ActivityTypeFactory(commitment=commitment)
        for district in commitment.districts.all():
            ActivityFactory(activity_type=activity_type, district=district, date=date(2018, 2, 1))
    send_reminders(today=date(2018, 5, 20))
    assert "polis@example.se" not in [m.to[0] for m in mail.outbox]
    assert "kommun@example.se" in [m.to[0] for m in mail.outbox]
