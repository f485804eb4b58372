"""Reminders before a tertial's report is due: staff hear what has no activity yet.

Safe to run from cron several times a day: each person gets one reminder per promise and
tertial, recorded in SentReminder under a unique constraint before the mail goes out.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commitments import roles
from commitments.models import Activity, Promise, User

from .models import FollowUp, SentReminder
from .tertials import tertials_between

REMINDER_DAYS = 14


def tertials_to_remind(promise, today):
    """Tertials of the promise whose report is due within REMINDER_DAYS from today."""
    return [
        tertial
        for tertial in tertials_between(promise.start_date, promise.end_date)
        if tertial.due_date - timedelta(days=REMINDER_DAYS) <= today <= tertial.due_date
    ]


def gaps(promise, tertial, organisation):
    """The organisation's commitments, and their districts, with no activity of it in the
    tertial: ([commitment], [district]). Two aggregate queries."""
    commitments = list(
        promise.commitments.filter(responsible_organisations=organisation).prefetch_related(
            "districts"
        )
    )
    done = Activity.objects.filter(
        commitment__in=commitments,
        organisation=organisation,
        date__gte=tertial.start,
        date__lte=tertial.end,
    )
    active_commitments = set(done.values_list("commitment_id", flat=True).distinct())
    active_districts = set(done.values_list("district_id", flat=True).distinct())
    districts = {d.pk: d for c in commitments for d in c.districts.all()}
    return (
        [c for c in commitments if c.pk not in active_commitments],
        sorted(
            (d for pk, d in districts.items() if pk not in active_districts),
            key=lambda d: (d.order, d.name),
        ),
    )


def recipients(organisation):
    """The organisation's staff and coordinators with an e-mail address."""
    return (
        User.objects.filter(
            organisation=organisation,
            is_active=True,
            groups__name__in=[roles.POLICE, roles.MUNICIPALITY, roles.COORDINATOR],
        )
        .exclude(email="")
        .distinct()
    )


def send_reminders(*, today=None):
    """Send the reminders due today; returns how many e-mails went out."""
    today = today or timezone.localdate()
    sent = 0
    for promise in Promise.objects.select_related("municipality", "police_area"):
        for tertial in tertials_to_remind(promise, today):
            published = FollowUp.objects.filter(
                promise=promise,
                year=tertial.year,
                tertial=tertial.number,
                state=FollowUp.State.PUBLISHED,
            )
            if published.exists():
                continue
            for organisation in (promise.municipality, promise.police_area):
                commitments, districts = gaps(promise, tertial, organisation)
                if not (commitments or districts):
                    continue
                for user in recipients(organisation):
                    sent += _remind(user, promise, tertial, commitments, districts)
    return sent


def _remind(user, promise, tertial, commitments, districts):
    try:
        with transaction.atomic():
            # Recorded first, in the same transaction: a failed send rolls the record back
            # and the next run tries again; a second run finds it and sends nothing.
            SentReminder.objects.create(
                user=user, promise=promise, year=tertial.year, tertial=tertial.number
            )
            with translation.override("sv"):
                context = {
                    "user": user,
                    "promise": promise,
                    "tertial": tertial,
                    "commitments": commitments,
                    "districts": districts,
                }
                send_mail(
                    _("Reminder: %(tertial)s of %(promise)s is reported by %(due)s")
                    % {
                        "tertial": tertial,
                        "promise": promise.title,
                        "due": date_format(tertial.due_date, "j F Y"),
                    },
                    render_to_string("followups/email/reminder.txt", context),
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
    except IntegrityError:
        return 0
    return 1
