"""commitments.outline loads a promise's structure as prefetch_related would, in two queries."""

import pytest
from django.db.models import Prefetch

from commitments.models import ActivityType, Signatory
from commitments.outline import load_outline

from .factories import (
    ActivityTypeFactory,
    CommitmentFactory,
    MeasureFactory,
    OrganisationFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db


def _shape(commitments, districts, signatories):
    """Everything a page reads of the structure, with the promise each row points to."""
    return (
        [
            (
                c.pk,
                c.number,
                c.title,
                c.promise.slug,
                [o.name for o in c.responsible_organisations.all()],
                [
                    (
                        t.pk,
                        t.name,
                        t.is_sensitive,
                        t.commitment.number,
                        [(m.pk, m.name, m.unit, m.activity_type.pk) for m in t.measures.all()],
                    )
                    for t in c.activity_types.all()
                ],
            )
            for c in commitments
        ],
        [(d.pk, d.name, d.slug, d.kind, d.boundary, d.promise.slug) for d in districts],
        [(s.pk, s.name, s.role, s.organisation_id) for s in signatories],
    )


def _prefetch_related(promise):
    types = ActivityType.objects.prefetch_related("measures")
    commitments = promise.commitments.prefetch_related(
        "responsible_organisations", Prefetch("activity_types", queryset=types)
    ).order_by("number")
    return _shape(commitments, promise.districts.all(), promise.signatories.all())


def test_the_outline_is_what_prefetch_related_loads_in_two_queries(
    eskilstuna, django_assert_num_queries
):
    # More than the fixture has: a second partner, a type without measures, a commitment
    # without types, measures out of insertion order and a district with a boundary.
    commitment = eskilstuna.commitments.get(number=2)
    commitment.responsible_organisations.add(OrganisationFactory(name="Aaa-föreningen"))
    extra = ActivityTypeFactory(commitment=commitment, name="Övrigt", order=0)
    MeasureFactory(activity_type=extra, name="Zeta", order=2)
    MeasureFactory(activity_type=extra, name="Alfa", order=1)
    CommitmentFactory(promise=eskilstuna, number=9)
    district = eskilstuna.districts.first()
    district.boundary = {"type": "Point", "coordinates": [16.5, 59.4]}
    district.save()
    Signatory.objects.create(
        promise=eskilstuna, name="Tredje", role="Ordförande", organisation=eskilstuna.municipality
    )
    expected = _prefetch_related(eskilstuna)
    with django_assert_num_queries(2):
        outline = load_outline(eskilstuna)
    with django_assert_num_queries(0):
        shape = _shape(outline.commitments, outline.districts, outline.signatories)
        # The promise's own relations read the outline too (commitments.figures uses them).
        assert [d.pk for d in eskilstuna.districts.all()] == [d.pk for d in outline.districts]
    assert shape == expected
    assert list(outline.commitment(9).activity_types.all()) == []
    assert outline.commitment(99) is None
    assert outline.district(district.slug) == district


def test_a_promise_without_districts_or_signatories_has_an_empty_outline():
    promise = PromiseFactory()
    outline = load_outline(promise)
    assert (outline.commitments, outline.districts, outline.signatories) == ([], [], [])
