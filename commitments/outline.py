"""What a promise is made of, for its public pages, open data and report.

Its commitments with their responsible organisations, activity types and measures, and its
districts and signatories, through Django's prefetch_related: a constant six queries whatever
the promise's size (the signatories only when a page asks for them).
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch

from .models import ActivityType, Commitment


@dataclass
class Outline:
    promise: object
    commitments: list  # by number; organisations, activity types and measures prefetched
    districts: list

    @property
    def activity_types(self):
        return [t for c in self.commitments for t in c.activity_types.all()]

    @cached_property
    def signatories(self):
        return list(self.promise.signatories.select_related("organisation"))

    def commitment(self, number):
        return next((c for c in self.commitments if c.number == number), None)

    def district(self, slug):
        return next((d for d in self.districts if d.slug == slug), None)


def load_outline(promise):
    """The promise's Outline: its commitments (prefetched) and districts."""
    commitments = list(
        Commitment.objects.filter(promise=promise)
        .order_by("number")
        .prefetch_related(
            "responsible_organisations",
            Prefetch("activity_types", queryset=ActivityType.objects.prefetch_related("measures")),
        )
    )
    for commitment in commitments:
        commitment.promise = promise  # the one loaded, for their addresses
    return Outline(promise, commitments, list(promise.districts.all()))
