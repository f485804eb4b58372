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
    return render(request, "commitments/promise_detail.html", {"promise": promise})


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
