"""Promises that continue one another (Promise.previous): lookups along the chain.

A promise continued into its next period (commitments.copying) links to the one it continues;
its pages follow the chain back for earlier years' values, and a change of one promise moves
the public version of those continuing it (Promise.touch).
"""

from django.db.models import Q

# How many years back a promise's pages follow the promises it continues (earlier years'
# values of its indicators).
EARLIER_YEARS = 5


def continued_by(slug, depth=EARLIER_YEARS):
    """Q for the promises that the promise `slug` continues, directly or up to `depth` back."""
    lookups, path = Q(successors__slug=slug), "successors"
    for _year in range(depth - 1):
        path += "__successors"
        lookups |= Q(**{f"{path}__slug": slug})
    return lookups


def continuing(promise, depth=EARLIER_YEARS):
    """Q for the promises that continue `promise`, directly or through up to `depth` years."""
    lookups, path = Q(previous=promise.pk), "previous"
    for _year in range(depth - 1):
        path += "__previous"
        lookups |= Q(**{path: promise.pk})
    return lookups
