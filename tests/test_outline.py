"""A promise's structure and indicators load as prefetch_related would, in a query or two."""

from datetime import date

import pytest
from django.db.models import Prefetch

from commitments import figures
from commitments.models import ActivityType, Indicator, Signatory
from commitments.outline import load_outline

from .factories import (
    ActivityTypeFactory,
    CommitmentFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasurementFactory,
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


def _indicator_shape(indicators):
    return [
        (
            i.pk,
            i.name,
            i.measure and (i.measure.name, i.measure.activity_type.name),
            [t.pk for t in i.activity_types.all()],
            [d.pk for d in i.districts.all()],
            sorted(
                (m.period_start, m.period_end, m.district.slug if m.district else "", m.value)
                for m in i.measurements.all()
            ),
        )
        for i in indicators
    ]


def test_indicators_load_with_links_measure_and_measurements_in_one_query(
    eskilstuna, django_assert_num_queries
):
    traffic = ActivityType.objects.get(slug="trafikkontroll")
    walk = ActivityType.objects.get(slug="trygghetsvandring")
    skiftinge, lagersberg = eskilstuna.districts.filter(slug__in=["skiftinge", "lagersberg"])
    summed = IndicatorFactory(
        promise=eskilstuna,
        name="Kontrollerade fordon",
        kind=Indicator.Kind.DERIVED,
        aggregation=Indicator.Aggregation.SUM_MEASURE,
        measure=traffic.measures.first(),
    )
    summed.activity_types.set([traffic, walk])
    summed.districts.set([skiftinge, lagersberg])
    survey = IndicatorFactory(promise=eskilstuna, name="Andel otrygga", kind="measured")
    t1, t2 = date(2018, 4, 30), date(2018, 8, 31)
    for end, district in [(t1, None), (t1, skiftinge), (t2, None)]:
        MeasurementFactory(
            indicator=survey, period_start=end.replace(day=1), period_end=end, district=district
        )
    IndicatorFactory(promise=eskilstuna, name="Utan värden", kind="measured")
    expected = _indicator_shape(figures.indicators_queryset(eskilstuna.indicators.all()))
    outline = load_outline(eskilstuna)
    with django_assert_num_queries(1):
        loaded = figures.load_indicators(
            eskilstuna.indicators.all(),
            activity_types=outline.activity_types,
            districts=outline.districts,
        )
    with django_assert_num_queries(0):
        assert _indicator_shape(loaded) == expected
    # A report of T1 knows only what was measured by its end.
    (until_t1,) = [
        i
        for i in figures.load_indicators(
            eskilstuna.indicators.all(),
            activity_types=outline.activity_types,
            districts=outline.districts,
            measured_until=date(2018, 4, 30),
        )
        if i.pk == survey.pk
    ]
    assert [m.period_end for m in until_t1.measurements.all()] == [date(2018, 4, 30)] * 2
