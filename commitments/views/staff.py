"""The staff area (/personal/): log, correct and review activities.

Every view starts from `visible_to(user)` or `editable_by(user)`, so a row the user may not
see is never loaded; asking for one answers 404.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import exports, permissions
from ..forms import ActivityFilterForm, ActivityForm, TypeChoiceForm
from ..history import describe_history
from ..middleware import SESSION_STARTED
from ..models import Activity, ActivityType, Promise
from ..tertials import Tertial

PAGE_SIZE = 50
NEWEST_FIRST = ("-date", "-id")  # the list's order, and its keyset cursor's
_LIST_RELATED = ["commitment", "activity_type", "district", "organisation", "created_by"]


@login_required
def dashboard(request):
    user = request.user
    promises = Promise.objects.visible_to(user).prefetch_related(
        "districts", "commitments__districts", "commitments__responsible_organisations"
    )
    recent = (
        Activity.objects.visible_to(user)
        .filter(created_by=user)
        .select_related(*_LIST_RELATED)
        .order_by("-created_at")[:10]
    )
    recent = list(recent)
    last = recent[0] if recent else None
    context = {
        "overviews": [_tertial_overview(user, promise) for promise in promises],
        "recent": recent,
        "last": last,
        "may_log": permissions.may_log(user),
        "may_administer_people": permissions.may_administer_people(user),
    }
    return render(request, "staff/dashboard.html", context)


def _tertial_overview(user, promise):
    """This tertial's activities of the user's organisation per commitment and district.

    The tertial is today's, or the promise's last (first) one when it has ended (not begun).
    """
    today = min(max(timezone.localdate(), promise.start_date), promise.end_date)
    tertial = Tertial.of(today)
    commitments = list(promise.commitments.all())
    counts = (
        Activity.objects.visible_to(user)
        # The commitments' ids, not a join to them: with the join PostgreSQL misjudged the
        # rows and read them through the commitment index and the table (24 ms instead of 4).
        .filter(commitment__in=commitments, organisation=user.organisation_id)
        .between(tertial.start, tertial.end)
        .counts_by_commitment_and_district()
    )
    districts = list(promise.districts.all())
    rows, missing = [], []
    for commitment in commitments:
        if user.organisation_id not in {o.pk for o in commitment.responsible_organisations.all()}:
            continue
        concerned = {d.pk for d in commitment.districts.all()} or {d.pk for d in districts}
        cells = []
        for district in districts:
            count = counts.get((commitment.pk, district.pk), 0)
            cells.append({"district": district, "concerned": district.pk in concerned, "n": count})
            if district.pk in concerned and not count:
                missing.append((commitment, district))
        rows.append({"commitment": commitment, "cells": cells})
    return {
        "promise": promise,
        "tertial": tertial,
        "districts": districts,
        "rows": rows,
        "missing": missing,
    }


def _filtered(request, commitments=None):
    """The filter form and the activities it selects.

    `commitments` are the user's `permissions.commitment_ids`, read here unless the caller
    read them: the activity rules and the form's choices start from the same ids.
    """
    if commitments is None:
        commitments = permissions.commitment_ids(request.user)
    activities = Activity.objects.visible_to(request.user, commitments=commitments)
    form = ActivityFilterForm(request.GET or None, user=request.user, commitments=commitments)
    return form, form.filter(activities)


def _cursor(value):
    """(date, id) from a keyset cursor such as "2018-03-01.4711"; None if absent or invalid."""
    day, _dot, pk = (value or "").partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


# Up to this many commitments, a page's ids are read per commitment (see _page_ids).
_BRANCHES_MAX = 40


def _page_ids(activities, commitments):
    """The ids of the next page of `activities`, newest first, read from the activity table
    alone (joined before the LIMIT, PostgreSQL would join every visible activity to sort them).

    Sorting all of a busy promise's 100,000 activities for the newest 51 costs 30 ms even so.
    On PostgreSQL, when the activities are under a few `commitments` (ids), each commitment's
    newest 51 come from the (commitment, date) index in a branch of a UNION ALL, and only those
    are sorted (2 ms; docs/benchmarks.md).
    """
    size = PAGE_SIZE + 1
    if not connection.features.supports_slicing_ordering_in_compound or not (
        0 < len(commitments) <= _BRANCHES_MAX
    ):
        return list(activities.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:size])
    branches = [
        activities.filter(commitment_id=pk).order_by(*NEWEST_FIRST).values_list("pk", "date")[:size]
        for pk in commitments
    ]
    if len(branches) > 1:
        newest = branches[0].union(*branches[1:], all=True).order_by("-date", "-pk")[:size]
    else:  # one commitment (chosen in the filter): its branch is the page already
        newest = branches[0]
    return [pk for pk, _date in newest]


@login_required
def activity_list(request):
    """The newest activities first, a page at a time, by keyset: no COUNT of every visible
    activity and no OFFSET, so a page costs the same at the first activity and the millionth.
    """
    # Read once for the request: the activity rules, the filter's choices and the page's
    # branches all start from the user's commitment ids.
    commitments = permissions.commitment_ids(request.user)
    form, activities = _filtered(request, commitments)
    after = _cursor(request.GET.get("efter"))
    if after:
        day, pk = after
        # date <= day bounds the index scan; the OR picks the rows after the cursor in it.
        activities = activities.filter(Q(date__lt=day) | Q(date=day, pk__lt=pk), date__lte=day)
    chosen = form.cleaned_data.get("commitment") if form.is_valid() else None
    branches = [chosen.pk] if chosen is not None else commitments.visible
    rows = list(
        Activity.objects.filter(pk__in=_page_ids(activities, branches))
        .select_related(*_LIST_RELATED)
        .order_by(*NEWEST_FIRST)
    )
    page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("efter", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "first": after is not None,
        "next": f"{page[-1].date.isoformat()}.{page[-1].pk}" if more else None,
    }
    return render(request, "staff/activity_list.html", context)


@login_required
def activity_export(request):
    _form, activities = _filtered(request)
    response = StreamingHttpResponse(
        exports.csv_lines(activities), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="aktiviteter-{stamp}.csv"'
    return response


@login_required
def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related(*_LIST_RELATED), pk=pk
    )
    may_edit = Activity.objects.editable_by(request.user).filter(pk=pk).exists()
    context = {
        "activity": activity,
        "values": activity.values.select_related("measure"),
        "may_edit": may_edit,
        "may_delete": may_edit and activity.is_deletable(),
        "may_audit": Activity.objects.auditable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "staff/activity_detail.html", context)


def _chosen_type(request, current=None):
    """The activity type asked for (POST, then ?typ=), among those the user may log."""
    chosen = request.POST.get("typ") or request.GET.get("typ")
    if not chosen:
        return current
    if not str(chosen).isdigit():
        return None
    return get_object_or_404(
        ActivityType.objects.loggable_by(request.user).select_related("commitment__promise"),
        pk=chosen,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    if not permissions.may_log(request.user):
        raise PermissionDenied
    last = (
        Activity.objects.visible_to(request.user)
        .filter(created_by=request.user)
        .order_by("-created_at")
        .first()
    )
    activity_type = _chosen_type(request)
    if activity_type is None:
        initial = {"typ": last.activity_type_id} if last else {}
        chooser = TypeChoiceForm(initial=initial, user=request.user)
        return render(request, "staff/activity_type_choice.html", {"chooser": chooser})
    form = ActivityForm(
        request.POST or None, user=request.user, activity_type=activity_type, last=last
    )
    if request.method == "POST" and form.is_valid():
        activity = form.save_activity()
        messages.success(request, _("The activity is saved."))
        return redirect("staff:activity", pk=activity.pk)
    return render(
        request, "staff/activity_form.html", {"form": form, "activity_type": activity_type}
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.editable_by(request.user), pk=pk)
    activity_type = _chosen_type(request, current=activity.activity_type)
    form = ActivityForm(
        request.POST or None, instance=activity, user=request.user, activity_type=activity_type
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_activity()
        except ValidationError as error:
            if error.code != "stale":
                raise
            conflict = _conflict(form, pk)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("staff:activity", pk=pk)
    context = {"form": form, "activity_type": activity_type, "conflict": conflict}
    return render(request, "staff/activity_form.html", context, status=409 if conflict else 200)


def _conflict(form, pk):
    """What the other person changed; the form keeps the user's input, now on their version."""
    current = Activity.objects.get(pk=pk)
    based_on = form.cleaned_data["version"]
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    return {
        "changes": current.changes_since(based_on),
        "values": current.value_changes_since(based_on),
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = get_object_or_404(
        Activity.objects.editable_by(request.user).select_related(*_LIST_RELATED), pk=pk
    )
    if not activity.is_deletable():
        # Public records are kept (Swedish archive rules): correct it or make it internal.
        raise PermissionDenied
    if request.method == "POST":
        activity.delete_draft()
        messages.success(request, _("The activity is deleted."))
        return redirect("staff:activities")
    return render(request, "staff/activity_confirm_delete.html", {"activity": activity})


@login_required
def activity_history(request, pk):
    activity = get_object_or_404(
        Activity.objects.auditable_by(request.user).select_related(*_LIST_RELATED), pk=pk
    )
    records = activity.history.select_related("history_user").order_by("history_date", "history_id")
    context = {
        "activity": activity,
        "entries": list(reversed(describe_history(list(records)))),
        "values": list(reversed(activity.value_history())),
    }
    return render(request, "staff/activity_history.html", context)


class LoginView(auth_views.LoginView):
    """Django's login; the time of login starts the session's absolute 12-hour limit."""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SESSION_STARTED] = timezone.now().timestamp()
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("staff:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("staff:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("staff:password_reset_complete")
