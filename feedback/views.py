"""Tyck till: citizens' feedback on safety, the coordinator's moderation, the public replies.

Public (views start from `Feedback.objects.public()` or the promise's public page): the page
/loften/<slug>/tyck-till/ lists the published feedback with its replies and has the form.
Staff (start from `coordinated_promise`, the promise's coordinators only): the moderation list.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from commitments.cache import cached_public_page
from commitments.views.public import public_promise
from commitments.views.workspace import coordinated_promise
from promise_portal import rate_limits
from promise_portal.client_ip import client_ip

from .forms import FeedbackForm, ReplyForm
from .models import Feedback

PER_CLIENT_PER_HOUR = getattr(settings, "FEEDBACK_PER_CLIENT_PER_HOUR", 5)
PER_PROMISE_PER_HOUR = getattr(settings, "FEEDBACK_PER_PROMISE_PER_HOUR", 300)


# No CSRF token, on purpose: nobody is logged in on a public page, so a request forged from
# another site borrows no one's authority, and the token would need a cookie, which public
# pages never set. What guards the form instead: the honeypot field, the rate limits per
# client and per promise, the personal-data guard on the text, and moderation: nothing is
# shown before a coordinator of the promise has read it and published it with a reply.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_page(request, slug):
    if request.method == "POST":
        return _submit(request, slug)
    return _page(request, slug=slug)


@cached_public_page
def _page(request, slug):
    promise, _earlier, _successors = public_promise(slug)
    return render(request, "feedback/page.html", _context(promise, FeedbackForm(promise=promise)))


def _context(promise, form):
    published = Feedback.objects.public().filter(promise=promise).select_related("district")
    return {"promise": promise, "form": form, "published": published[:50]}


def _submit(request, slug):
    promise, _earlier, _successors = public_promise(slug)
    form = FeedbackForm(request.POST, promise=promise)
    if not form.is_bot and not form.is_valid():
        # Stores nothing, so it counts against no limit: the person corrects and sends again.
        return render(request, "feedback/page.html", _context(promise, form))
    if _over_limit(request, promise):
        context = {"promise": promise}
        return render(request, "feedback/too_many.html", context, status=429)
    if form.is_bot:
        # Answered as a person would be, so that the bot learns nothing; nothing is stored.
        return render(request, "feedback/thanks.html", {"promise": promise})
    form.save()
    return render(request, "feedback/thanks.html", {"promise": promise})


def _over_limit(request, promise):
    """Count this submission (one that would be stored, or a bot's) against the client's and
    the promise's hourly limits (promise_portal/rate_limits.py)."""
    client = rate_limits.within(f"feedback:client:{client_ip(request)}", PER_CLIENT_PER_HOUR)
    whole = rate_limits.within(f"feedback:promise:{promise.pk}", PER_PROMISE_PER_HOUR)
    return not (client and whole)


# Staff: the promise's coordinators.


@login_required
def moderation(request, slug):
    """Every feedback of the promise, newest first, with counts per district and tertial.

    Opening the list is reading it: what it shows is marked read (by whom, for the staff),
    and only read feedback may be published.
    """
    promise = coordinated_promise(request, slug)
    items = list(Feedback.objects.of_promise(promise).select_related("district"))
    unread = [item.pk for item in items if item.read_at is None]
    Feedback.objects.filter(pk__in=unread).update(read_at=timezone.now(), read_by=request.user)
    counts = (
        Feedback.objects.of_promise(promise)
        .values("district__name", "year", "tertial", "safety")
        .annotate(n=Count("pk"))
        .order_by("-year", "-tertial", "district__name", "-safety")
    )
    for item in items:
        item.is_new = item.pk in unread
        item.reply_form = ReplyForm(instance=item, prefix=f"f{item.pk}")
    context = {
        "promise": promise,
        "items": items,
        "table": _count_table(counts),
        "safety_choices": Feedback.Safety.choices,
    }
    return render(request, "feedback/staff/moderation.html", context)


def _count_table(counts):
    """Rows (tertial, district name, {safety: n}, total) for the counts' table."""
    rows = {}
    for row in counts:
        key = (row["year"], row["tertial"], row["district__name"] or "")
        cells = rows.setdefault(key, {})
        cells[row["safety"]] = cells.get(row["safety"], 0) + row["n"]
    levels = [value for value, _label in Feedback.Safety.choices]
    return [
        {
            "period": f"T{tertial} {year}",
            "district": district or _("The whole area"),
            "cells": [cells.get(level, 0) for level in levels],
            "total": sum(cells.values()),
        }
        for (year, tertial, district), cells in rows.items()
    ]


@require_POST
@login_required
def publish(request, slug, pk):
    promise = coordinated_promise(request, slug)
    item = get_object_or_404(Feedback.objects.of_promise(promise), pk=pk, read_at__isnull=False)
    form = ReplyForm(request.POST, instance=item, prefix=f"f{item.pk}")
    if not form.is_valid():
        items = [item]
        item.reply_form, item.is_new = form, False
        context = {"promise": promise, "items": items, "table": [], "only_one": True}
        return render(request, "feedback/staff/moderation.html", context, status=400)
    item = form.save(commit=False)
    item.published_at, item.published_by = timezone.now(), request.user
    item.save()
    promise.touch()
    return redirect("feedback_staff:moderation", slug=promise.slug)


@require_POST
@login_required
def unpublish(request, slug, pk):
    promise = coordinated_promise(request, slug)
    item = get_object_or_404(Feedback.objects.of_promise(promise), pk=pk)
    item.published_at = item.published_by = None
    item.save(update_fields=["published_at", "published_by"])
    promise.touch()
    return redirect("feedback_staff:moderation", slug=promise.slug)
