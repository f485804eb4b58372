"""The follow-up parts of a promise's public pages, registered in commitments.public_parts.

The promise page lists the published follow-ups, says which tertials are past due or will not
be reported (and why) and shows each commitment's latest assessment, the final verdict once
the final follow-up is published; a commitment's page shows its latest assessment.
"""

from django.db.models import Count

from commitments.public_parts import page_context

from .models import CommitmentAssessment, FollowUp, calendar


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
    context.update(
        followups=followups,
        followup_calendar=calendar(promise, followups, unreported),
        # The newest published follow-up's share image is the page's image when shared.
        share_followup=next((f for f in followups if f.share_image), None),
    )


@page_context("home")
def _on_the_home_page(promises, context):
    """Each listed promise's commitments at a glance: the assessments of its newest published
    follow-up, counted by status. Two queries, however many promises are listed."""
    newest = {}
    published = FollowUp.objects.public().filter(promise__in=promises)
    for followup in published.order_by("year", "tertial", "version").only(
        "pk", "promise_id", "year", "tertial", "version", "published_at"
    ):
        newest[followup.promise_id] = followup  # the last one of each promise is its newest
    counts = {}
    # Counted over every published follow-up of the listed promises (a subquery, so the query
    # is made whether or not any has one: the same count of queries on every page), then
    # only the newest's are kept.
    rows = (
        CommitmentAssessment.objects.filter(followup__in=published)
        .values("followup_id", "status")
        .annotate(n=Count("pk"))
        .order_by("followup_id", "status")
    )
    for row in rows:
        counts.setdefault(row["followup_id"], []).append(
            (row["status"], CommitmentAssessment.Status(row["status"]).label, row["n"])
        )
    order = [s.value for s in CommitmentAssessment.Status]
    for promise in promises:
        promise.latest_followup = newest.get(promise.pk)
        if promise.latest_followup is not None:
            promise.latest_followup.promise = promise
        glance = counts.get(getattr(promise.latest_followup, "pk", None), [])
        promise.glance = sorted(glance, key=lambda item: order.index(item[0]))


@page_context("commitment")
def _on_a_commitment_page(promise, context):
    commitment = context["commitment"]
    newest = latest_assessments(
        promise, promise.followups.public().filter(assessments__commitment=commitment)
    )
    context["assessment"] = newest.get(commitment.pk)
