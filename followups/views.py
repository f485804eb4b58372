"""Follow-up pages: the public page of a published follow-up."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from commitments.cache import cached_public_page
from commitments.models import Promise

from .models import CommitmentAssessment, FollowUp
from .tertials import Tertial


@require_safe
@cached_public_page
def detail(request, slug, tertial):
    """The newest published version of a tertial's follow-up, with its assessments."""
    promise = get_object_or_404(Promise.objects.public(), slug=slug)
    try:
        period = Tertial.from_slug(tertial)
    except ValueError as error:
        raise Http404 from error
    followup = (
        FollowUp.objects.public()
        .filter(promise=promise, year=period.year, tertial=period.number)
        .select_related("promise")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=CommitmentAssessment.objects.select_related("commitment__promise"),
            )
        )
        .order_by("-version")
        .first()
    )
    if followup is None:
        raise Http404
    return render(request, "followups/followup_detail.html", {"followup": followup})
