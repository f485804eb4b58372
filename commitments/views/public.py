"""Public pages: what a citizen may read. Every view starts from `.public()`.

Every figure comes from `commitments.figures`; every HTML page is cached by data version
(`commitments.cache`), and none sets a cookie.
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .. import charts, figures
from ..cache import HOME, cached_public_page
from ..models import Activity, Promise
from ..outline import load_outline

# The newest public summaries shown on a district page; the CSV has all of them.
RECENT_SUMMARIES = 20


def _public_promise(slug):
    return get_object_or_404(
        Promise.objects.public().select_related("municipality", "police_area"), slug=slug
    )


def _public_promise_and_neighbours(slug):
    """The public promise, and those public of the one it continues and the ones continuing it.

    One query: the neighbours are rows of the same table, found by the promise's slug.
    """
    continued = Promise.objects.filter(slug=slug).values("previous_id")
    promises = list(
        Promise.objects.public()
        .select_related("municipality", "police_area")
        .filter(Q(slug=slug) | Q(pk__in=continued) | Q(previous__slug=slug))
    )
    promise = next((p for p in promises if p.slug == slug), None)
    if promise is None:
        raise Http404
    previous = next((p for p in promises if p.pk == promise.previous_id), None)
    return promise, previous, [p for p in promises if p.previous_id == promise.pk]


def _indicators(indicators, cells, promise, outline):
    """The indicators' figures with their earlier years; `cells` include those years'."""
    items = figures.indicator_figures(
        figures.load_indicators(
            indicators,
            activity_types=outline.activity_types,
            districts=outline.districts,
            history_of=promise,
        ),
        cells,
        tertials=figures.promise_tertials(promise),
    )
    figures.add_earlier_years(items, cells)
    return items, charts.attach(items)


@require_safe
@cached_public_page(scope=HOME)
def index(request):
    promises = Promise.objects.public().select_related("municipality", "police_area")
    return render(request, "commitments/index.html", {"promises": promises})


@require_safe
@cached_public_page
def promise_detail(request, slug):
    promise, previous, successors = _public_promise_and_neighbours(slug)
    cells = figures.public_cells(promise, earlier_years=True)
    outline = load_outline(promise)
    items, has_chart = _indicators(promise.indicators.all(), cells, promise, outline)
    followups = promise.followups.public().order_by("-year", "-tertial", "-version")
    context = {
        "promise": promise,
        "commitments": figures.commitment_overview(
            outline.commitments,
            cells,
            items,
            promise=promise,
            assessments=promise.latest_assessments(followups),
        ),
        "goal_indicators": [i for i in items if i.indicator.commitment_id is None],
        "districts": outline.districts,
        "signatories": outline.signatories,
        # Only published follow-ups count: a tertial past due shows as such, drafts never. The
        # calendar reads the listed follow-ups' rows, so the list costs no second query.
        "followup_calendar": followups.calendar(promise),
        "followups": followups,
        "previous": previous,
        "successors": successors,
        "has_chart": has_chart,
    }
    return render(request, "commitments/promise_detail.html", context)


@require_safe
@cached_public_page
def commitment_detail(request, slug, number):
    promise = _public_promise(slug)
    outline = load_outline(promise)
    commitment = outline.commitment(number)
    if commitment is None:
        raise Http404
    cells = figures.public_cells(promise, commitment=commitment, earlier_years=True)
    items, has_chart = _indicators(commitment.indicators.all(), cells, promise, outline)
    context = {
        "promise": promise,
        "commitment": commitment,
        "tables": figures.activity_tables(
            cells,
            activity_types=commitment.activity_types.all(),
            districts=outline.districts,
            tertials=figures.promise_tertials(promise),
        ),
        "indicators": items,
        "assessment": commitment.latest_assessment(promise.followups.public()),
        "has_chart": has_chart,
    }
    return render(request, "commitments/commitment_detail.html", context)


@require_safe
@cached_public_page
def district_detail(request, slug, district):
    promise = _public_promise(slug)
    outline = load_outline(promise)
    district = outline.district(district)
    if district is None:
        raise Http404
    activities = Activity.objects.public().filter(district=district)
    cells = figures.public_cells(promise, district=district)
    context = {
        "promise": promise,
        "district": district,
        "commitments": figures.district_overview(
            outline.commitments, cells, district=district, promise=promise
        ),
        "recent": activities.filter(activity_type__is_sensitive=False)
        .select_related("activity_type", "commitment")
        .only("date", "summary", "activity_type__name", "commitment__number")[:RECENT_SUMMARIES],
    }
    return render(request, "commitments/district_detail.html", context)


@require_safe
@cached_public_page(scope="static")
def accessibility(request):
    context = {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
    return render(request, "commitments/accessibility.html", context)
