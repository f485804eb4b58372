"""The demo's indicators: one of each kind of target, with fictional figures (demo.py).

Written with `_put_indicator`, which changes only what differs, so seeding twice gives the
same rows and no history of changes that did not happen.
"""

from datetime import date
from decimal import Decimal

from commitments.models import ActivityType, Indicator, Measurement

from .tertials import tertials_between


def seed_indicators(promise):
    """A goal indicator from the safety survey, and derived indicators per commitment."""
    commitments = {c.number: c for c in promise.commitments.all()}
    types = {t.slug: t for t in ActivityType.objects.filter(commitment__promise=promise)}
    priority = list(promise.districts.filter(kind="priority"))

    unsafe, _ = _put_indicator(
        promise=promise,
        name="Andel boende som känner sig otrygga",
        defaults={
            "commitment": None,
            "unit": "procent",
            "direction": Indicator.Direction.LOWER,
            "kind": Indicator.Kind.MEASURED,
            "baseline_value": Decimal("38.0"),
            "baseline_date": date(2017, 12, 31),
            "target_kind": Indicator.Target.AT_MOST,
            "target_value": Decimal("30.0"),
            "source": "Polisens trygghetsmätning (demodata)",
            "order": 1,
        },
    )
    survey = [("38.0", "36.5", "35.0"), ("41.0", "40.0", "37.5"), ("36.0", "35.5", "34.0")]
    for district, figures in zip(priority, survey, strict=False):
        for tertial, value in zip(
            tertials_between(promise.start_date, promise.end_date), figures, strict=True
        ):
            Measurement.objects.update_or_create(
                indicator=unsafe,
                district=district,
                period_start=tertial.start,
                period_end=tertial.end,
                defaults={"value": Decimal(value), "source_note": "Demodata"},
            )

    derived = [
        (
            1,
            "Timmar fotpatrullering i prioriterade stadsdelar",
            "timmar",
            "sum_hours",
            ["fotpatrull"],
            None,
            priority,
            "1600",
        ),
        (
            1,
            "Kontrollerade fordon",
            "fordon",
            "sum_measure",
            ["trafikkontroll"],
            "Kontrollerade fordon",
            [],
            "2000",
        ),
        (
            2,
            "Rapporterade personer vid narkotikainsatser",
            "personer",
            "sum_measure",
            ["narkotikainsats"],
            "Rapporterade personer",
            [],
            "60",
        ),
        (3, "SSPF-ärendemöten", "möten", "count", ["sspf-arendemote"], None, [], "40"),
    ]
    for order, (
        number,
        name,
        unit,
        aggregation,
        slugs,
        measure_name,
        districts,
        target,
    ) in enumerate(derived, start=2):
        indicator, _ = _put_indicator(
            promise=promise,
            name=name,
            defaults={
                "commitment": commitments[number],
                "unit": unit,
                "direction": Indicator.Direction.HIGHER,
                "kind": Indicator.Kind.DERIVED,
                "aggregation": aggregation,
                "measure": types[slugs[0]].measures.get(name=measure_name)
                if measure_name
                else None,
                "target_kind": Indicator.Target.AT_LEAST,
                "target_value": Decimal(target),
                "source": "Aktiviteter registrerade i portalen",
                "order": order,
            },
        )
        indicator.activity_types.set(types[s] for s in slugs)
        indicator.districts.set(districts)
    seed_other_targets(promise, types, priority)


def _put_indicator(promise, name, defaults):
    """update_or_create, saving (and so writing history) only what changed: seeding twice
    leaves the same rows."""
    indicator = Indicator.objects.filter(promise=promise, name=name).first()
    if indicator is None:
        return Indicator.objects.create(promise=promise, name=name, **defaults), True
    changed = [f for f, v in defaults.items() if getattr(indicator, f) != v]
    for field in changed:
        setattr(indicator, field, defaults[field])
    if changed:
        indicator.save(update_fields=changed)
    return indicator, False


def seed_other_targets(promise, types, priority):
    """One indicator of each other kind of target: a rate, two milestones, none."""
    derived = {
        "kind": Indicator.Kind.DERIVED,
        "direction": Indicator.Direction.HIGHER,
        "source": "Aktiviteter registrerade i portalen",
    }
    specs = [
        (
            "Veckor med trafikkontroll",
            ["trafikkontroll"],
            [],
            {
                **derived,
                "unit": "kontroller",
                "unit_singular": "kontroll",
                "aggregation": Indicator.Aggregation.COUNT,
                "target_kind": Indicator.Target.RATE,
                "target_value": Decimal(1),
                "rate_period": Indicator.RatePeriod.WEEK,
            },
        ),
        (
            f"Trygghetsvandring i {priority[0].name}",
            ["trygghetsvandring"],
            priority[:1],
            {
                **derived,
                "unit": "vandringar",
                "unit_singular": "vandring",
                "aggregation": Indicator.Aggregation.COUNT,
                "target_kind": Indicator.Target.MILESTONE,
            },
        ),
        (
            "Nådda elever i skolinsatser",
            ["forebyggande-skolinsats"],
            [],
            {
                **derived,
                "unit": "elever",
                "unit_singular": "elev",
                "aggregation": Indicator.Aggregation.SUM_MEASURE,
                "target_kind": Indicator.Target.NONE,
            },
        ),
    ]
    for order, (name, slugs, districts, fields) in enumerate(specs, start=10):
        first = types[slugs[0]]
        if fields["aggregation"] == Indicator.Aggregation.SUM_MEASURE:
            fields["measure"] = first.measures.get(name="Nådda elever")
        indicator, _ = _put_indicator(
            promise=promise,
            name=name,
            defaults={"commitment": first.commitment, "order": order, **fields},
        )
        indicator.activity_types.set(types[s] for s in slugs)
        indicator.districts.set(districts)
    _put_indicator(
        promise=promise,
        name="Handlingsplan antagen av det brottsförebyggande rådet",
        defaults={
            "commitment": None,
            "unit": "planer",
            "unit_singular": "plan",
            "kind": Indicator.Kind.MEASURED,
            "direction": Indicator.Direction.HIGHER,
            "target_kind": Indicator.Target.MILESTONE,
            "milestone_reached_on": date(2018, 3, 15),
            "milestone_note": "Beslut i kommunstyrelsen den 15 mars 2018 (demodata).",
            "source": "Kommunstyrelsens protokoll (demodata)",
            "order": 20,
        },
    )


# Simplified, fictional boundaries for the demo's districts, placed roughly where they are in
# Eskilstuna (longitude, latitude; WGS 84): enough for the districts' map, not a survey.
DEMO_BOUNDARIES = {
    "centrum": [(16.498, 59.366), (16.518, 59.365), (16.522, 59.372), (16.512, 59.377),
                (16.497, 59.374), (16.498, 59.366)],
    "froslunda": [(16.522, 59.352), (16.542, 59.351), (16.548, 59.359), (16.536, 59.364),
                  (16.521, 59.362), (16.522, 59.352)],
    "skiftinge": [(16.536, 59.378), (16.556, 59.377), (16.566, 59.386), (16.553, 59.392),
                  (16.537, 59.389), (16.536, 59.378)],
    "lagersberg": [(16.478, 59.386), (16.496, 59.384), (16.503, 59.392), (16.492, 59.399),
                   (16.477, 59.396), (16.478, 59.386)],
}  # fmt: skip


# The demo promise in easy Swedish (Promise.easy_read), as a coordinator would write it.
DEMO_EASY_READ = """Polisen och Eskilstuna kommun lovar att göra tre saker under 2018.

Poliser ska gå till fots och synas mer i Skiftinge, Fröslunda och Lagersberg.

Polisen ska stoppa dem som säljer narkotika och gör att andra känner sig otrygga.

Polisen och kommunen ska hjälpa unga så att de inte börjar med brott.

Var fjärde månad berättar vi här vad vi har gjort och om det hjälper."""


def seed_boundaries(promise):
    """Give the demo's districts their simplified boundaries, where they have none yet, and
    the promise its easy-to-read version."""
    if not promise.easy_read:
        promise.easy_read = DEMO_EASY_READ
        promise.save(update_fields=["easy_read"])
    for district in promise.districts.filter(boundary__isnull=True):
        ring = DEMO_BOUNDARIES.get(district.slug)
        if ring:
            district.boundary = {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}
            district.save(update_fields=["boundary"])
