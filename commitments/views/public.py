"""Public pages: what a citizen may read. Every view starts from `.public()`.

Every figure comes from `commitments.figures.for_promise`; every HTML page is kept by
`commitments.cache` per promise version, and none sets a cookie. The follow-up parts of the
promise and commitment pages (the calendar, the latest assessments) come from `followups`,
through its template tags: this app does not know follow-ups.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import charts, figures, home, maps
from ..cache import HOME, cached_public_page
from ..models import Activity
from ..public_parts import add_context

# The newest public summaries shown on a district page; the CSV has all of them.
RECENT_SUMMARIES = 20


def public_promise(slug):
    """(the promise, those it continues, those continuing it): `figures.public_promise`."""
    found = figures.public_promise(slug)
    if found is None:
        raise Http404
    return found


@require_safe
@cached_public_page(scope=HOME, variant=home.variant)
def index(request):
    """Every published promise, found by search and filters (commitments/home.py), a page of
    them at a time, each with its commitments at a glance."""
    form = home.PromiseFilter(request.GET or None, years=home.years())
    found = home.find(form.cleaned_data if form.is_valid() else {})
    page = Paginator(found, home.PER_PAGE).get_page(request.GET.get("sida"))
    promises = list(page.object_list)
    context = {"form": form, "page": page, "promises": promises, "query": _without_page(request)}
    add_context("home", promises, context)
    return render(request, "commitments/index.html", context)


def _without_page(request):
    """The query string without its page number, for the pagination's links."""
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


@require_safe
@cached_public_page
def promise_detail(request, slug):
    promise, earlier, successors = public_promise(slug)
    context = promise_context(promise, earlier, successors)
    return render(request, "commitments/promise_detail.html", context)


@require_safe
@cached_public_page
def commitment_detail(request, slug, number):
    promise, earlier, _successors = public_promise(slug)
    context = commitment_context(promise, earlier, number)
    return render(request, "commitments/commitment_detail.html", context)


@require_safe
@cached_public_page
def district_detail(request, slug, district):
    promise, earlier, _successors = public_promise(slug)
    context = district_context(promise, earlier, district)
    return render(request, "commitments/district_detail.html", context)


# What each page shows of a promise: the public pages above and the coordinators' preview
# of a draft (views/workspace.py) render the same templates from the same context.


def promise_context(promise, earlier, successors):
    shown = figures.for_promise(promise, earlier=earlier)
    context = {
        "promise": promise,
        "commitments": shown.commitments,
        "goal_indicators": shown.goal_indicators,
        "districts": shown.outline.districts,
        "map": maps.district_map(shown.outline.districts),
        "signatories": shown.outline.signatories,
        "previous": next((p for p in earlier if p.pk == promise.previous_id), None),
        "successors": successors,
        "has_chart": charts.attach(shown.indicators),
    }
    add_context("promise", promise, context)
    return context


def commitment_context(promise, earlier, number):
    shown = figures.for_promise(promise, earlier=earlier)
    part = shown.commitment(number)
    if part is None:
        raise Http404
    context = {
        "promise": promise,
        "commitment": part.commitment,
        "tables": part.tables,
        "indicators": part.indicators,
        "has_chart": charts.attach(part.indicators),
    }
    add_context("commitment", promise, context)
    return context


def district_context(promise, earlier, district):
    shown = figures.for_promise(promise, earlier=earlier)
    district = shown.outline.district(district)
    if district is None:
        raise Http404
    recent = (
        Activity.objects.public()
        .filter(district=district, activity_type__is_sensitive=False)
        .select_related("activity_type", "commitment")
        .only("date", "summary", "activity_type__name", "commitment__number")
    )
    context = {
        "promise": promise,
        "district": district,
        "districts": shown.outline.districts,
        "map": maps.district_map(shown.outline.districts, current=district),
        "commitments": shown.in_district(district),
        "recent": recent[:RECENT_SUMMARIES],
    }
    add_context("district", promise, context)
    return context


@require_safe
@cached_public_page(scope="static")
def accessibility(request):
    context = {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
    return render(request, "commitments/accessibility.html", context)
