"""The mails of a subscription: the confirmation, "you already subscribe", a follow-up.

Each is written in the language the citizen subscribed in, with absolute links
(settings.PORTAL_URL), and carries the unsubscribe link three ways: in the text, in the HTML
and in the List-Unsubscribe headers, whose List-Unsubscribe-Post makes it one click in the
mail program (RFC 8058: a POST to the link unsubscribes without a page).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import CONFIRMATION_PERIOD


def absolute(path):
    return settings.PORTAL_URL.rstrip("/") + path


def _message(subscription, subject, template, context, *, connection=None):
    """The mail `template` (.txt, and .html beside it) to the subscription's address.

    Called in the subscription's language (translation.override), as are the templates.
    """
    unsubscribe_url = absolute(
        reverse("subscriptions:unsubscribe", kwargs={"token": subscription.unsubscribe_token})
    )
    context = {
        **context,
        "promise": subscription.promise,
        "promise_url": absolute(subscription.promise.get_absolute_url()),
        "privacy_url": absolute(reverse("subscriptions:privacy")),
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # No out-of-office replies to these (RFC 3834).
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/email/{template}.html", context), "text/html"
    )
    return message


def confirmation(subscription, raw_token):
    """The double opt-in: the link that confirms the address, good for CONFIRMATION_PERIOD."""
    with translation.override(subscription.language):
        confirm_url = absolute(reverse("subscriptions:confirm", kwargs={"token": raw_token}))
        subject = _("Confirm your subscription to %(promise)s") % {
            "promise": subscription.promise.title
        }
        context = {"confirm_url": confirm_url, "days": CONFIRMATION_PERIOD.days}
        return _message(subscription, subject, "confirm", context)


def already_subscribed(subscription):
    """The answer to a request for an address that already subscribes: nothing changes."""
    with translation.override(subscription.language):
        subject = _("You already subscribe to %(promise)s") % {
            "promise": subscription.promise.title
        }
        return _message(subscription, subject, "already", {})


def followup(subscription, followup, assessments, *, connection=None):
    """A published follow-up: its summary, each commitment's status, the page and the PDF.

    A version after the first is a correction, and says so with its reason.
    """
    with translation.override(subscription.language):
        names = {"promise": subscription.promise.title, "period": followup.period}
        if followup.version > 1:
            subject = _("Corrected follow-up of %(promise)s, %(period)s") % names
        else:
            subject = _("New follow-up of %(promise)s, %(period)s") % names
        context = {
            "followup": followup,
            "is_correction": followup.version > 1,
            "assessments": assessments,
            "page_url": absolute(followup.get_absolute_url()),
            "pdf_url": absolute(followup.get_pdf_url()),
        }
        return _message(subscription, subject, "followup", context, connection=connection)
