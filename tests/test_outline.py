"""A promise's structure and indicators load in a constant number of queries, and reading them
afterwards costs none (Django's prefetch_related: no hand-filled caches)."""

from datetime import date

import pytest
from django.db.models import Prefetch

from commitments import figures
from commitments.models import ActivityType, Indicator
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


def test_the_outline_reads_the_structure_in_five_queries_whatever_its_size(
    eskilstuna, django_assert_num_queries
):
    def sized(first, extra):
        for number in range(first, first + extra):
            commitment = CommitmentFactory(
                promise=eskilstuna,
                number=number,
                responsible_organisations=[OrganisationFactory(), OrganisationFactory()],
            )
            for _type in range(2):
                MeasureFactory(activity_type=ActivityTypeFactory(commitment=commitment))
        with django_assert_num_queries(5):
            outline = load_outline(eskilstuna)
        with django_assert_num_queries(0):
            shape = _shape(outline.commitments, outline.districts, [])
        assert shape == (*_prefetch_related(eskilstuna)[:2], [])
        expected = [s.name for s in eskilstuna.signatories.all()]
        with django_assert_num_queries(1):
            assert [s.name for s in outline.signatories] == expected

    sized(4, 1)
    sized(5, 3)


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


def test_indicators_load_with_links_measure_and_measurements_in_four_queries(
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
    expected = _indicator_shape(Indicator.objects.filter(promise=eskilstuna))
    with django_assert_num_queries(4):
        loaded = figures.load_indicators(eskilstuna)
    with django_assert_num_queries(0):
        assert _indicator_shape(loaded) == expected
    # A report of T1 knows only what was measured by its end.
    (until_t1,) = [
        i
        for i in figures.load_indicators(eskilstuna, measured_until=date(2018, 4, 30))
        if i.pk == survey.pk
    ]
    assert [m.period_end for m in until_t1.measurements.all()] == [date(2018, 4, 30)] * 2
