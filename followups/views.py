"""Follow-up pages: public (/loften/<slug>/uppfoljningar/...) and staff (/personal/...)."""

import io
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST, require_safe

from commitments import charts, figures
from commitments.cache import cached_public_page, etag, last_modified
from commitments.models import Promise
from commitments.permissions import is_coordinator_of
from commitments.views.open_data import summary_data
from commitments.views.workspace import coordinated_promise

from . import reports, sharing
from .forms import (
    AssessmentForm,
    CommentForm,
    CorrectionForm,
    FollowUpForm,
    PastFollowUpForm,
    UnreportedForm,
)
from .models import CommitmentAssessment, FollowUp, UnreportedTertial
from .tertials import Tertial, tertials_between

logger = logging.getLogger(__name__)

# Public pages: start from FollowUp.objects.public().


def _public_versions(slug, tertial, promise=None):
    try:
        period = Tertial.from_slug(tertial)
    except ValueError as error:
        raise Http404 from error
    versions = FollowUp.objects.public().filter(
        promise__slug=slug, year=period.year, tertial=period.number
    )
    if promise is None:
        versions = versions.select_related("promise__municipality", "promise__police_area")
    versions = list(versions.order_by("-version"))
    if not versions:
        raise Http404
    for followup in versions:
        followup.promise = promise or followup.promise
    return versions


@require_safe
@cached_public_page
def detail(request, slug, tertial, version=None):
    """The latest published version of a tertial's follow-up (or the one asked for)."""
    found = figures.public_promise(slug)
    if found is None:
        raise Http404
    promise, earlier, _successors = found
    versions = _public_versions(slug, tertial, promise)
    followup = (
        versions[0]
        if version is None
        else next((v for v in versions if v.version == version), None)
    )
    if followup is None:
        raise Http404
    context = reports.build_context(followup, earlier=earlier)
    # The same plotly charts as the commitment pages, from the same figures as the tables.
    has_chart = charts.attach(context["indicator_items"])
    context.update(versions=versions, is_latest=followup == versions[0], has_chart=has_chart)
    return render(request, "followups/detail.html", context)


@require_safe
@condition(etag_func=etag, last_modified_func=last_modified)
def summary_json(request, slug, tertial):
    """The follow-up's figures as JSON: what its page and report show (docs/open-data.md)."""
    versions = _public_versions(slug, tertial)
    promise = versions[0].promise
    data = summary_data(promise, request, through=versions[0].period)
    data["follow_up"] = {
        "tertial": str(versions[0].period),
        "version": versions[0].version,
        "published_at": versions[0].published_at,
        "published_on": versions[0].publication_date,
        "registered_afterwards": versions[0].registered_afterwards,
        "approved_on": versions[0].approved_on,
        "signed_by": versions[0].signed_by,
        "url": request.build_absolute_uri(versions[0].get_absolute_url()),
    }
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@require_safe
def report_pdf(request, slug, tertial, version=None):
    """The frozen PDF, served from private storage; it never changes, so it caches well."""
    versions = _public_versions(slug, tertial)
    followup = (
        versions[0]
        if version is None
        else next((v for v in versions if v.version == version), None)
    )
    if followup is None or not followup.pdf:
        raise Http404
    try:
        data = reports.read_frozen(followup)
    except FileNotFoundError:
        logger.error("The report %s is missing from the storage", followup.pdf.name)
        raise
    except reports.FrozenReportChanged:
        # Never serve a report that is not the one published; the operators must restore it.
        logger.error("The report %s has changed since it was published", followup.pdf.name)
        raise
    response = FileResponse(
        io.BytesIO(data),
        content_type="application/pdf",
        filename=reports.report_filename(followup),
    )
    response["ETag"] = f'"{followup.pdf_sha256}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def share_image(request, slug, tertial, version):
    """A published version's share image (followups/sharing.py): drawn once, never changed."""
    followup = next((v for v in _public_versions(slug, tertial) if v.version == version), None)
    if followup is None or not followup.share_image:
        raise Http404
    response = FileResponse(followup.share_image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# Staff pages: start from FollowUp.objects.visible_to(user).


@login_required
def staff_calendar(request):
    """Each promise's tertials with due dates and the state of their follow-ups."""
    followups = FollowUp.objects.visible_to(request.user)
    calendars = [
        (promise, followups.calendar(promise), is_coordinator_of(request.user, promise))
        for promise in Promise.objects.led_by(request.user).order_by("-start_date")
    ]
    return render(request, "followups/staff/calendar.html", {"calendars": calendars})


@require_POST
@login_required
def staff_start(request, slug, tertial):
    promise = get_object_or_404(Promise.objects.led_by(request.user), slug=slug)
    try:
        period = Tertial.from_slug(tertial)
    except ValueError as error:
        raise Http404 from error
    try:
        followup = FollowUp.start_draft(promise=promise, tertial=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("followups_staff:calendar")
    return redirect("followups_staff:edit", pk=followup.pk)


def _coordinated_tertial(request, slug, tertial):
    """A tertial of a promise the user leads, for the coordinator's pages of that tertial."""
    promise = coordinated_promise(request, slug)
    try:
        period = Tertial.from_slug(tertial)
    except ValueError as error:
        raise Http404 from error
    if period not in tertials_between(promise.start_date, promise.end_date):
        raise Http404
    return promise, period


@login_required
def staff_register_past(request, slug, tertial):
    """Enter a report approved and published before the portal was used (FollowUp.register_past)."""
    promise, period = _coordinated_tertial(request, slug, tertial)
    unsaved = FollowUp(
        promise=promise, year=period.year, tertial=period.number, registered_afterwards=True
    )
    form = PastFollowUpForm(request.POST or None, instance=unsaved)
    if request.method == "POST" and form.is_valid():
        try:
            followup = FollowUp.register_past(
                promise=promise, tertial=period, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The follow-up is registered. Write in its text, then send it for approval."),
            )
            return redirect("followups_staff:edit", pk=followup.pk)
    context = {"promise": promise, "tertial": period, "form": form}
    return render(request, "followups/staff/register_past.html", context)


@login_required
def staff_unreported(request, slug, tertial):
    """Mark a due tertial as not reported, with the public reason (UnreportedTertial.mark)."""
    promise, period = _coordinated_tertial(request, slug, tertial)
    unsaved = UnreportedTertial(
        promise=promise, year=period.year, tertial=period.number, marked_by=request.user
    )
    form = UnreportedForm(request.POST or None, instance=unsaved)
    if request.method == "POST" and form.is_valid():
        try:
            UnreportedTertial.mark(
                promise=promise, tertial=period, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The tertial is marked as not reported."))
            return redirect("followups_staff:calendar")
    context = {"promise": promise, "tertial": period, "form": form}
    return render(request, "followups/staff/unreported.html", context)


@require_POST
@login_required
def staff_unreported_remove(request, slug, tertial):
    promise, period = _coordinated_tertial(request, slug, tertial)
    mark = get_object_or_404(
        UnreportedTertial.objects.editable_by(request.user),
        promise=promise,
        year=period.year,
        tertial=period.number,
    )
    mark.unmark(by=request.user)
    messages.success(request, _("The tertial is due a follow-up again."))
    return redirect("followups_staff:calendar")


def _staff_followup(request, pk):
    return get_object_or_404(
        FollowUp.objects.visible_to(request.user).select_related(
            "promise__municipality", "promise__police_area"
        ),
        pk=pk,
    )


@login_required
def staff_detail(request, pk):
    return _detail_page(request, _staff_followup(request, pk), CommentForm())


def _detail_page(request, followup, comment_form):
    context = reports.build_context(followup)
    if followup.state == FollowUp.State.PUBLISHED:
        public_url = settings.PORTAL_URL + followup.get_absolute_url()
        context["share_text"] = sharing.post_text(followup, public_url)
    context.update(
        events=followup.events.select_related("by"),
        comment_form=comment_form,
        may=_permissions(followup, request.user),
    )
    return render(request, "followups/staff/detail.html", context)


def _permissions(followup, user):
    return {
        "edit": followup.can_edit(user),
        "submit": followup.can_submit(user),
        "approve": followup.can_approve(user),
        "return_to_draft": followup.can_return_to_draft(user),
        "publish": followup.can_publish(user),
        "correct": followup.can_correct(user),
        "draft_pdf": followup.can_download_draft(user),
        "retry": followup.pdf_status == FollowUp.PdfStatus.FAILED
        and followup.can_download_draft(user),
    }


@login_required
def staff_edit(request, pk):
    """The coordinator writes the summary and the assessments, with the figures in view.

    The form carries the revision it was opened on: a save after someone else's answers 409
    with their change shown and this user's text kept in the form (FollowUp.edit_text).
    """
    followup = _staff_followup(request, pk)
    if not followup.can_edit(request.user):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, instance=followup)
    assessments = {a.commitment_id: a for a in followup.assessments.all()}
    context = reports.build_context(followup)
    for part in context["parts"]:
        part.form = AssessmentForm(
            request.POST or None,
            prefix=f"c{part.commitment.number}",
            instance=assessments.get(part.commitment.pk)
            or CommitmentAssessment(followup=followup, commitment=part.commitment),
        )
    forms = [form, *(part.form for part in context["parts"])]
    conflict = None
    if request.method == "POST" and all(f.is_valid() for f in forms):
        based_on = form.cleaned_data["revision"]
        try:
            followup.edit_text(
                by=request.user,
                based_on=based_on,
                summary=form.cleaned_data["summary"],
                easy_read=form.cleaned_data["easy_read"],
                assessments=[part.form.save(commit=False) for part in context["parts"]],
            )
        except ValidationError as error:
            if error.code != "stale":
                raise
            conflict = followup.changes_since(based_on)
            form.data = form.data.copy()
            form.data["revision"] = followup.revision
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(followup.get_staff_url())
    context.update(form=form, conflict=conflict)
    return render(request, "followups/staff/edit.html", context, status=409 if conflict else 200)


_ACTIONS = {
    "skicka": "submit",
    "godkann": "approve",
    "atergang": "return_to_draft",
    "publicera": "publish",
}


@require_POST
@login_required
def staff_transition(request, pk, action):
    followup = _staff_followup(request, pk)
    if action not in _ACTIONS:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        # A comment with personal data: the page again, the error at the comment, kept for
        # editing; nothing is done.
        return _detail_page(request, followup, form)
    try:
        getattr(followup, _ACTIONS[action])(by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(followup.get_staff_url())


@require_POST
@login_required
def staff_retry(request, pk):
    followup = _staff_followup(request, pk)
    try:
        followup.retry_report(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(followup.get_staff_url())


@login_required
def staff_correct(request, pk):
    followup = _staff_followup(request, pk)
    if not followup.can_correct(request.user):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if form.is_valid():
        try:
            correction = followup.correct(by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            # Another version came first, or the text it copies fails the guard: nothing saved.
            form.add_error(None, error.messages)
        else:
            return redirect("followups_staff:edit", pk=correction.pk)
    return render(request, "followups/staff/correct.html", {"followup": followup, "form": form})


@login_required
def staff_draft_pdf(request, pk):
    """Coordinators and approvers read any version as PDF; unpublished ones say UTKAST."""
    followup = _staff_followup(request, pk)
    if not followup.can_download_draft(request.user):
        raise PermissionDenied
    draft = followup.state != FollowUp.State.PUBLISHED
    pdf = reports.render_pdf(followup, draft=draft, with_charts=False)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{reports.report_filename(followup)[:-4]}-utkast.pdf"'
    )
    return response
