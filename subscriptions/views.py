"""Public pages of a subscription: subscribe, confirm, unsubscribe, and the privacy notice.

No account, no session, no cookie. CSRF: these views are exempt (@csrf_exempt), because the
CSRF check needs a cookie (or a session) and public pages set none. It is safe: nobody is
logged in on these pages, so a forged cross-site request carries no authority of anyone's.
The worst it can do is what anyone can do from their own browser, which is guarded
otherwise: the address must be confirmed from the mail sent to it, a honeypot field stops
form robots, and requests are limited per client address and per e-mail address
(limits.py); unsubscribing needs the signed link of a mail, and confirming the link's token.
The promise page that holds the form stays one cached page for everybody: the form's answer
is this app's own response, never that page.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from commitments.models import Promise
from promise_portal.client_ip import client_ip

from . import limits
from .forms import SubscribeForm
from .models import CONFIRMATION_PERIOD, Subscription, normalise
from .tasks import send_request_mail


@csrf_exempt  # see the module's docstring
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    promise = get_object_or_404(Promise.objects.public(), slug=slug)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not limits.allow_client(client_ip(request)):
            return _too_many(request, promise)
        if form.is_valid():
            email = normalise(form.cleaned_data["email"])
            if not limits.allow_address(email):
                return _too_many(request, promise)
            subscription = Subscription.request(
                promise=promise, email=email, language=get_language()
            )
            # The same for a new address and a known one: the task decides what to mail.
            transaction.on_commit(lambda: send_request_mail.enqueue(subscription.pk))
            return redirect("subscriptions:sent", slug=promise.slug)
    # The form again with its errors: status 200, as every form of the site answers.
    context = {"promise": promise, "form": form, "days": CONFIRMATION_PERIOD.days}
    return render(request, "subscriptions/subscribe.html", context)


def _too_many(request, promise):
    response = render(request, "subscriptions/too_many.html", {"promise": promise}, status=429)
    response["Retry-After"] = str(limits.WINDOW_SECONDS)
    return response


@never_cache
@require_safe
def sent(request, slug):
    """The answer to every accepted request, whether the address was known or not."""
    promise = get_object_or_404(Promise.objects.public(), slug=slug)
    context = {"promise": promise, "days": CONFIRMATION_PERIOD.days}
    return render(request, "subscriptions/sent.html", context)


@never_cache
@require_safe
def confirm(request, token):
    """The mailed link: confirms the address once; a used, expired or forged one says so."""
    subscription = Subscription.confirm(token)
    context = {"subscription": subscription, "days": CONFIRMATION_PERIOD.days}
    return render(request, "subscriptions/confirm.html", context)


@csrf_exempt  # see the module's docstring; a mail program's one-click POST has no cookie
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button; POST (the button, or the mail program's one click,
    RFC 8058): the address is deleted. A link whose subscription is gone says so."""
    subscription = Subscription.objects.with_unsubscribe_token(token)
    if request.method == "POST":
        promise = subscription.promise if subscription is not None else None
        if subscription is not None:
            subscription.unsubscribe()
        return render(request, "subscriptions/unsubscribed.html", {"promise": promise})
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


@require_safe
def privacy(request):
    context = {
        "days": CONFIRMATION_PERIOD.days,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "subscriptions/privacy.html", context)
