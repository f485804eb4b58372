"""The promise workspace (/personal/loften/…): coordinators set up, preview and publish.

Every page starts from `Promise.objects.led_by(user)` (a promise of another municipality or
police area is not found: 404) and lets only its coordinators act (403 for the rest of its
staff). A promise is created as a draft no citizen sees; it is published on its own page,
with a confirmation, when `workspace.checklist` is empty. After publication its texts may be
corrected (the public pages change with it) but no part is deleted: an indicator is
withdrawn with a public note, and a published follow-up keeps what it said.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache

from .. import permissions, workspace
from ..copying import copy_structure
from ..models import ActivityType, Commitment, District, Indicator, Promise, Signatory
from ..workspace_forms import (
    ActivityTypeForm,
    CommitmentForm,
    CopyFromForm,
    DistrictForm,
    IndicatorForm,
    MeasureFormSet,
    NewPromiseForm,
    PromiseForm,
    SignatoryForm,
    WithdrawForm,
    source_link_formset,
)


def coordinated_promise(request, slug):
    """The promise `slug`, when the user is one of its coordinators (else 404 or 403)."""
    promise = get_object_or_404(
        Promise.objects.led_by(request.user).select_related("municipality", "police_area"),
        slug=slug,
    )
    if not permissions.is_coordinator_of(request.user, promise):
        raise PermissionDenied
    return promise


def _changed(request, promise, message):
    """After any change: the public pages of a published promise are rendered anew."""
    promise.touch()
    messages.success(request, message)
    return redirect("staff:workspace", slug=promise.slug)


@login_required
def promise_list(request):
    """The promises the user coordinates, drafts first, and a way to start a new one."""
    promises = [
        p
        for p in Promise.objects.led_by(request.user).select_related("municipality", "police_area")
        if permissions.is_coordinator_of(request.user, p)
    ]
    promises.sort(key=lambda p: (p.is_published, -p.start_date.toordinal()))
    context = {"promises": promises, "may_create": permissions.is_coordinator(request.user)}
    return render(request, "staff/workspace/list.html", context)


@login_required
def promise_create(request):
    """A coordinator starts a promise of their organisation, as a draft."""
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    form = NewPromiseForm(request.POST or None, own=request.user.organisation)
    sources = source_link_formset(request.POST or None, None)
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        form.instance.source_links = sources.links()
        promise = form.save()
        messages.success(request, _("The promise is created as a draft: no citizen sees it yet."))
        return redirect("staff:workspace", slug=promise.slug)
    context = {"form": form, "sources": sources, "promise": None}
    return render(request, "staff/workspace/promise_form.html", context)


@login_required
def promise_workspace(request, slug):
    """Everything of one promise on one page, with what it lacks and the way to publish."""
    promise = coordinated_promise(request, slug)
    commitments = promise.commitments.prefetch_related(
        "responsible_organisations", "districts", "activity_types__measures"
    )
    context = {
        "promise": promise,
        "signatories": promise.signatories.select_related("organisation"),
        "districts": promise.districts.all(),
        "commitments": commitments,
        "indicators": promise.indicators.select_related("commitment"),
        "missing": workspace.checklist(promise),
        "copy_form": CopyFromForm() if not promise.is_published else None,
    }
    return render(request, "staff/workspace/workspace.html", context)


@login_required
def promise_edit(request, slug):
    promise = coordinated_promise(request, slug)
    form = PromiseForm(request.POST or None, instance=promise)
    sources = source_link_formset(request.POST or None, promise)
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        changed = set(form.changed_data) | (
            {"source_links"} if sources.links() != promise.source_links else set()
        )
        form.instance.source_links = sources.links()
        if promise.is_published and changed & set(Promise.TEXTS):
            # Citizens read the earlier text: the pages say it was changed, the history what.
            form.instance.texts_changed_at = timezone.now()
        form.save()
        return _changed(request, promise, _("The promise is saved."))
    context = {"form": form, "sources": sources, "promise": promise}
    return render(request, "staff/workspace/promise_form.html", context)


# The parts of a promise edited by one generic form page: the URL's word → (model, form,
# the section of the workspace page, and the page titles to add, change and delete one).
PARTS = {
    "undertecknare": (
        Signatory,
        SignatoryForm,
        "signatories",
        (_l("Add a signatory"), _l("Change the signatory"), _l("Delete the signatory")),
    ),
    "omraden": (
        District,
        DistrictForm,
        "districts",
        (_l("Add a district"), _l("Change the district"), _l("Delete the district")),
    ),
    "atagande": (
        Commitment,
        CommitmentForm,
        "commitments",
        (_l("Add a commitment"), _l("Change the commitment"), _l("Delete the commitment")),
    ),
    "indikatorer": (
        Indicator,
        IndicatorForm,
        "indicators",
        (_l("Add an indicator"), _l("Change the indicator"), _l("Delete the indicator")),
    ),
}


def _part(kind):
    if kind not in PARTS:
        raise Http404
    return PARTS[kind]


@login_required
def part_form(request, slug, kind, pk=None):
    """Add or change a signatory, district, commitment or indicator of the promise."""
    model, form_class, anchor, titles = _part(kind)
    promise = coordinated_promise(request, slug)
    instance = get_object_or_404(model.objects.of_promise(promise), pk=pk) if pk else None
    form = form_class(
        request.POST or None, request.FILES or None, instance=instance, promise=promise
    )
    if request.method == "POST" and form.is_valid():
        if (
            model is Commitment
            and promise.is_published
            and {"title", "text"} & set(form.changed_data)
        ):
            form.instance.text_changed_at = timezone.now()
        form.save()
        return _changed(request, promise, _("Saved."))
    context = {"promise": promise, "form": form, "instance": instance, "anchor": anchor}
    context["title"] = titles[1] if instance else titles[0]
    return render(request, "staff/workspace/part_form.html", context)


@login_required
def part_delete(request, slug, kind, pk):
    model, _form, _anchor, titles = _part(kind)
    promise = coordinated_promise(request, slug)
    instance = get_object_or_404(model.objects.of_promise(promise), pk=pk)
    return _delete(request, promise, instance, titles[2])


def _delete(request, promise, instance, title):
    """Delete a part of a draft, after a confirmation; a published promise keeps its parts
    (an indicator is withdrawn instead), and a part that activities use stays."""
    if promise.is_published:
        raise PermissionDenied
    if request.method == "POST":
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            messages.error(request, _("It is in use by logged activities and is kept."))
            return redirect("staff:workspace", slug=promise.slug)
        return _changed(request, promise, _("Deleted."))
    context = {"promise": promise, "title": title, "instance": instance}
    return render(request, "staff/workspace/part_delete.html", context)


@login_required
def activity_type_form(request, slug, commitment=None, pk=None):
    """A kind of work under a commitment, with its measures on the same page."""
    promise = coordinated_promise(request, slug)
    if pk is not None:
        instance = get_object_or_404(ActivityType.objects.of_promise(promise), pk=pk)
    else:
        parent = get_object_or_404(Commitment.objects.of_promise(promise), pk=commitment)
        instance = ActivityType(commitment=parent)
    form = ActivityTypeForm(request.POST or None, instance=instance)
    measures = MeasureFormSet(request.POST or None, instance=instance, prefix="measures")
    if request.method == "POST" and form.is_valid() and measures.is_valid():
        with transaction.atomic():
            form.save()
            measures.instance = form.instance
            measures.save()
        return _changed(request, promise, _("Saved."))
    context = {"promise": promise, "form": form, "measures": measures, "instance": instance}
    return render(request, "staff/workspace/activity_type_form.html", context)


@login_required
def activity_type_delete(request, slug, pk):
    promise = coordinated_promise(request, slug)
    instance = get_object_or_404(ActivityType.objects.of_promise(promise), pk=pk)
    return _delete(request, promise, instance, _("Delete the kind of work"))


@login_required
def indicator_withdraw(request, slug, pk):
    """A mistaken indicator of a published promise leaves its pages with a public note."""
    promise = coordinated_promise(request, slug)
    indicator = get_object_or_404(promise.indicators.shown(), pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator.withdraw(form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return _changed(request, promise, _("The indicator is withdrawn."))
    context = {"promise": promise, "indicator": indicator, "form": form}
    return render(request, "staff/workspace/withdraw.html", context)


@login_required
def copy_from(request, slug):
    """Start a draft from the structure of a published promise (of any municipality)."""
    promise = coordinated_promise(request, slug)
    if promise.is_published:
        raise PermissionDenied
    if promise.commitments.exists() or promise.districts.exists():
        messages.error(request, _("Only an empty draft can start from another promise."))
        return redirect("staff:workspace", slug=promise.slug)
    form = CopyFromForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        copy_structure(form.cleaned_data["source"], into=promise)
        return _changed(
            request,
            promise,
            _("The structure of %(source)s is copied. Change what differs here.")
            % {"source": form.cleaned_data["source"]},
        )
    return render(request, "staff/workspace/copy_from.html", {"promise": promise, "form": form})


@login_required
def publish(request, slug):
    """The deliberate step: the checklist, what publication means, and a confirmation."""
    promise = coordinated_promise(request, slug)
    missing = workspace.checklist(promise)
    if request.method == "POST" and not promise.is_published:
        try:
            workspace.publish(promise, by=request.user)
        except ValidationError:
            messages.error(request, _("The promise is not complete yet."))
        else:
            messages.success(request, _("The promise is published."))
            return redirect("staff:workspace", slug=promise.slug)
    context = {"promise": promise, "missing": missing}
    return render(request, "staff/workspace/publish.html", context)


@never_cache
@login_required
def preview(request, slug, number=None, district=None):
    """A public page of the promise as a citizen will see it: marked, never cached, noindex."""
    from .public import commitment_context, district_context, promise_context

    promise = coordinated_promise(request, slug)
    if number is not None:
        context, template = commitment_context(promise, [], number), "commitment_detail"
    elif district is not None:
        context, template = district_context(promise, [], district), "district_detail"
    else:
        context, template = promise_context(promise, [], []), "promise_detail"
    context["preview"] = True
    response = render(request, f"commitments/{template}.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
