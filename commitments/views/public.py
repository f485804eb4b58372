"""Public pages: what a citizen may read. Every view starts from `.public()`."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from ..models import ActivityType, Commitment, Promise


def index(request):
    promises = Promise.objects.public().select_related("municipality", "police_area")
    return render(request, "commitments/index.html", {"promises": promises})


def promise_detail(request, slug):
    promise = get_object_or_404(
        Promise.objects.public()
        .select_related("municipality", "police_area")
        .prefetch_related(
            "signatories",
            "districts",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.prefetch_related("responsible_organisations"),
            ),
        ),
        slug=slug,
    )
    context = {
        "promise": promise,
        # Only published follow-ups count: a tertial past due shows as such, drafts never.
        "followup_calendar": promise.followups.public().calendar(promise),
        "previous": Promise.objects.public().filter(pk=promise.previous_id).first(),
        "successors": list(promise.successors.public()),
    }
    return render(request, "commitments/promise_detail.html", context)


def commitment_detail(request, slug, number):
    commitment = get_object_or_404(
        Commitment.objects.filter(promise__in=Promise.objects.public())
        .select_related("promise")
        .prefetch_related(
            "responsible_organisations",
            "districts",
            Prefetch("activity_types", queryset=ActivityType.objects.prefetch_related("measures")),
        ),
        promise__slug=slug,
        number=number,
    )
    return render(request, "commitments/commitment_detail.html", {"commitment": commitment})
