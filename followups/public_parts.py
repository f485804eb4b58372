"""The follow-up parts of a promise's public pages, registered in commitments.public_parts.

The promise page lists the published follow-ups, says which tertials are past due or will not
be reported (and why) and shows each commitment's latest assessment, the final verdict once
the final follow-up is published; a commitment's page shows its latest assessment.
"""

from commitments.public_parts import page_context

from .models import CommitmentAssessment, calendar


def latest_assessments(promise, followups):
    """{commitment id: its newest assessment in these follow-ups}, in one query."""
    newest = {}
    rows = (
        CommitmentAssessment.objects.filter(followup__in=followups)
        .select_related("followup")
        .order_by("followup__year", "followup__tertial", "followup__version")
    )
    for row in rows:
        row.followup.promise = promise  # the one loaded: its page links to the follow-up
        newest[row.commitment_id] = row
    return newest


@page_context("promise")
def _on_the_promise_page(promise, context):
    followups = list(promise.followups.public().order_by("-year", "-tertial", "-version"))
    assessments = latest_assessments(promise, followups)
    for item in context["commitments"]:
        item.assessment = assessments.get(item.commitment.pk)
    # Only published follow-ups count: a tertial past due shows as such, drafts never.
    unreported = promise.unreported_tertials.all()
    context.update(followups=followups, followup_calendar=calendar(promise, followups, unreported))


@page_context("commitment")
def _on_a_commitment_page(promise, context):
    commitment = context["commitment"]
    newest = latest_assessments(
        promise, promise.followups.public().filter(assessments__commitment=commitment)
    )
    context["assessment"] = newest.get(commitment.pk)
