"""Fictional promises with their structure: districts, commitments, types, measures, indicators.

Promises are keyed by slug, so that running again reuses them (the structure is idempotent).
"""

import math
import random
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from commitments.counties import County
from commitments.models import (
    ActivityType,
    Commitment,
    District,
    Indicator,
    Measure,
    Measurement,
    Organisation,
    Promise,
)

from .catalogue import CATALOGUE, DEFAULT_SEED, DEFAULT_YEARS, DISTRICTS, place_names


def _promise_texts(place, year):
    return {
        "introduction": f"Fiktivt medborgarlöfte för {place} {year}, skapat för prestandatester.",
        "problem_picture": (
            f"Fiktiv problembild: boende i {place} upplever otrygghet kvällstid i centrum och i "
            "några bostadsområden, där buskörning och öppen narkotikaförsäljning förekommer."
        ),
        "goal": f"Fiktivt mål: {place} ska bli en tryggare plats att bo och leva i.",
        "follow_up_plan": "Löftet följs upp varje tertial med en redovisning i maj, september "
        "och januari.",
    }


@transaction.atomic
def create_promises(count, years=DEFAULT_YEARS, seed=DEFAULT_SEED):
    """Create `count` fictional promises, one a year per municipality; reuse existing slugs.

    Returns the promises (existing and new). Municipalities are as many as needed to have a
    promise in each year; a police area serves up to three of them.
    """
    rng = random.Random(seed)
    year_list = list(range(years[0], years[1] + 1))
    places = place_names(math.ceil(count / len(year_list)), rng)
    wanted = []  # (place, year) in a stable order: every place's first year first
    for year in year_list:
        wanted += [(place, year) for place in places]
    wanted = wanted[:count]

    organisations = _organisations(places)
    existing = {p.slug: p for p in Promise.objects.filter(slug__in=[_slug(*w) for w in wanted])}
    new = [w for w in wanted if _slug(*w) not in existing]
    published = [rng.random() > 0.05 for _ in new]
    created = Promise.objects.bulk_create(
        [
            Promise(
                municipality=organisations[place][0],
                police_area=organisations[place][1],
                title=f"Medborgarlöfte {place} {year} (fiktivt)",
                slug=_slug(place, year),
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                sources=[Promise.Source.CITIZEN_DIALOGUE, Promise.Source.SAFETY_SURVEY],
                is_published=is_published,
                published_at=datetime(year, 1, 15, 9, tzinfo=UTC) if is_published else None,
                **_promise_texts(place, year),
            )
            for (place, year), is_published in zip(new, published, strict=True)
        ]
    )
    _link_previous(created)
    _create_structure(created, rng)
    Promise.objects.filter(pk__in=[p.pk for p in created]).touch()
    by_slug = {**existing, **{p.slug: p for p in created}}
    return [by_slug[_slug(*w)] for w in wanted]


def _slug(place, year):
    return f"{slugify(place.replace('å', 'a').replace('ä', 'a').replace('ö', 'o'))}-{year}"


def _organisations(places):
    """Per place: (municipality, police area); created if missing, keyed by slug."""
    specs = {}
    for index, place in enumerate(places):
        area = places[index - index % 3]
        base = _slug(place, "kommun")
        specs[place] = (
            (f"fiktiv-{base}", f"{place} kommun (fiktiv)", Organisation.Kind.MUNICIPALITY),
            (
                f"fiktiv-lpo-{_slug(area, 'polis')}",
                f"Lokalpolisområde {area} (fiktivt)",
                Organisation.Kind.POLICE,
            ),
        )
    rows = {slug: (name, kind) for pair in specs.values() for slug, name, kind in pair}
    existing = set(Organisation.objects.filter(slug__in=rows).values_list("slug", flat=True))
    counties = list(County.values)
    municipal = Organisation.Kind.MUNICIPALITY
    Organisation.objects.bulk_create(
        Organisation(
            slug=slug,
            name=name,
            kind=kind,
            # Spread over the counties, so that the home page's filter has something to find.
            county=counties[index % len(counties)] if kind == municipal else "",
        )
        for index, (slug, (name, kind)) in enumerate(rows.items())
        if slug not in existing
    )
    by_slug = Organisation.objects.in_bulk(list(rows), field_name="slug")
    return {place: (by_slug[m[0]], by_slug[p[0]]) for place, (m, p) in specs.items()}


def _link_previous(promises):
    by_key = {(p.municipality_id, p.start_date.year): p for p in promises}
    changed = []
    for promise in promises:
        previous = by_key.get((promise.municipality_id, promise.start_date.year - 1))
        if previous:
            promise.previous = previous
            changed.append(promise)
    Promise.objects.bulk_update(changed, ["previous"])


def _create_structure(promises, rng):
    """Districts, commitments (from the catalogue), types, measures and indicators."""
    districts, commitments, picks = [], [], []
    for promise in promises:
        chosen = [*rng.sample(DISTRICTS[1:-1], rng.randint(2, 5)), DISTRICTS[0]]
        if rng.random() < 0.3:
            chosen.append(DISTRICTS[-1])
        for order, (name, kind) in enumerate(chosen, start=1):
            districts.append(
                District(
                    promise=promise,
                    name=name,
                    slug=slugify(name.replace("ö", "o")),
                    kind=kind,
                    order=order,
                )
            )
        specs = rng.sample(CATALOGUE, rng.randint(2, 5))
        for number, spec in enumerate(specs, start=1):
            commitments.append(
                Commitment(promise=promise, number=number, title=spec.title, text=spec.text)
            )
            picks.append(spec)
    District.objects.bulk_create(districts)
    Commitment.objects.bulk_create(commitments)

    by_promise = {}
    for district in districts:
        by_promise.setdefault(district.promise_id, []).append(district)
    _link_commitments(promises, commitments, by_promise, rng)

    types, type_specs = [], []
    for commitment, spec in zip(commitments, picks, strict=True):
        for order, type_spec in enumerate(spec.types, start=1):
            types.append(
                ActivityType(
                    commitment=commitment,
                    name=type_spec.name,
                    slug=type_spec.slug,
                    is_sensitive=type_spec.sensitive,
                    order=order,
                )
            )
            type_specs.append(type_spec)
    ActivityType.objects.bulk_create(types)
    measures = [
        Measure(activity_type=activity_type, name=name, unit=unit, order=order)
        for activity_type, spec in zip(types, type_specs, strict=True)
        for order, (name, unit, _low, _high) in enumerate(spec.measures, start=1)
    ]
    Measure.objects.bulk_create(measures)
    _create_indicators(promises, commitments, types, measures, by_promise)


def _link_commitments(promises, commitments, districts_by_promise, rng):
    """Each commitment works in some districts, and each district has some commitment."""
    through_district = Commitment.districts.through
    through_org = Commitment.responsible_organisations.through
    district_links, org_links = [], []
    by_promise = {}
    for commitment in commitments:
        by_promise.setdefault(commitment.promise_id, []).append(commitment)
    for promise in promises:
        own = by_promise[promise.pk]
        districts = districts_by_promise[promise.pk]
        links = {(own[i % len(own)].pk, d.pk) for i, d in enumerate(districts)}
        for commitment in own:
            for district in rng.sample(districts, rng.randint(1, len(districts))):
                links.add((commitment.pk, district.pk))
            org_links.append(
                through_org(commitment_id=commitment.pk, organisation_id=promise.police_area_id)
            )
            if rng.random() < 0.5:
                org_links.append(
                    through_org(
                        commitment_id=commitment.pk, organisation_id=promise.municipality_id
                    )
                )
        district_links += [through_district(commitment_id=c, district_id=d) for c, d in links]
    through_district.objects.bulk_create(district_links)
    through_org.objects.bulk_create(org_links)


def _create_indicators(promises, commitments, types, measures, districts_by_promise):
    """A measured goal indicator per promise and a derived one per commitment."""
    first_type = {}
    for activity_type in types:
        first_type.setdefault(activity_type.commitment_id, activity_type)
    first_measure = {}
    for measure in measures:
        first_measure.setdefault(measure.activity_type_id, measure)
    indicators, type_links = [], []
    for promise in promises:
        indicators.append(
            Indicator(
                promise=promise,
                name="Andel boende som känner sig otrygga",
                unit="procent",
                direction=Indicator.Direction.LOWER,
                kind=Indicator.Kind.MEASURED,
                baseline_value=Decimal("35.0"),
                baseline_date=date(promise.start_date.year - 1, 12, 31),
                target_kind=Indicator.Target.AT_MOST,
                target_value=Decimal("30.0"),
                source="Fiktiv trygghetsmätning",
                order=1,
            )
        )
    for commitment in commitments:
        activity_type = first_type[commitment.pk]
        measure = first_measure.get(activity_type.pk)
        indicators.append(
            Indicator(
                promise_id=commitment.promise_id,
                commitment=commitment,
                name=measure.name if measure else activity_type.name,
                unit=measure.unit if measure else "aktiviteter",
                direction=Indicator.Direction.HIGHER,
                kind=Indicator.Kind.DERIVED,
                aggregation=Indicator.Aggregation.SUM_MEASURE
                if measure
                else Indicator.Aggregation.COUNT,
                measure=measure,
                target_kind=Indicator.Target.AT_LEAST,
                target_value=Decimal(100),
                source="Aktiviteter registrerade i portalen",
                order=1 + commitment.number,
            )
        )
        type_links.append((len(indicators) - 1, activity_type.pk))
    Indicator.objects.bulk_create(indicators)
    through = Indicator.activity_types.through
    through.objects.bulk_create(
        through(indicator_id=indicators[i].pk, activitytype_id=t) for i, t in type_links
    )
    # The safety survey is yearly: one area-wide value for each promise's year.
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period_start=promise.start_date,
            period_end=promise.end_date,
            value=Decimal(30 + promise.pk % 8),
            source_note="Fiktiva värden",
        )
        for indicator, promise in zip(indicators, promises, strict=False)
    )
