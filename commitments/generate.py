"""Fictional data at national scale, for benchmarks: promises, their structure and activities.

Everything made here is invented: the municipalities and police areas have made-up names
(marked "fiktiv"), and no row holds personal data (no signatories, no users, no names; the
texts come from the fixed catalogue below, which the tests run through the personal-data
guard). A seed makes every run produce the same data.

- `generate_national` creates promises (keyed by slug: an existing one is reused, so the
  structure is idempotent) and then adds activities to them.
- `generate_activities` only adds activities: each run adds `count` more (additive, never
  deduplicated). Generated activities have no external id and no `created_by`.

Both bump the data version (`commitments.cache`), so that cached public pages show the new data.

Rows are written in bulk, without django-simple-history's history rows: generated data has no
author, and a history of a million invented inserts would only double the write. On
PostgreSQL the activities and their values go in with COPY (psycopg 3's `cursor.copy()`),
elsewhere with `bulk_create` in large batches; `docs/benchmarks.md` gives the measured rates.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import chain, islice

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from .models import (
    Activity,
    ActivityType,
    ActivityValue,
    Commitment,
    District,
    Indicator,
    Measure,
    Measurement,
    Organisation,
    Promise,
)

DEFAULT_YEARS = (2018, 2025)
DEFAULT_SEED = 2026
BATCH = 50_000
BULK_CREATE_BATCH = 5_000
# Share of activities marked internal (not public).
INTERNAL_SHARE = 0.1
# More work outdoors in the light half of the year: a relative weight per month.
MONTH_WEIGHT = [0.7, 0.7, 0.8, 0.9, 1.1, 1.3, 1.2, 1.1, 1.2, 1.0, 0.9, 0.8]

# Fictional place names: a prefix and a suffix, e.g. "Björkvik". Marked fictional everywhere.
_PREFIXES = [
    "Björk", "Ek", "Gran", "Lind", "Asp", "Sjö", "Berg", "Dal", "Al", "Norr", "Söder",
    "Väster", "Öster", "Hög", "Lång", "Rönn", "Hassel", "Tall", "Sand", "Strand", "Älv",
    "Sten", "Fors", "Ljung", "Hag",
]  # fmt: skip
_SUFFIXES = [
    "vik", "by", "sund", "köping", "hamn", "ås", "dal", "berga", "torp", "holm", "näs",
    "stad", "fors", "bro", "lund",
]  # fmt: skip
# Combinations that are real municipalities: left out, so nothing reads as a real promise.
_REAL_NAMES = {
    "Norrköping", "Söderköping", "Västervik", "Västerås", "Söderhamn", "Östersund", "Ljungby",
    "Hagfors",
}  # fmt: skip
_DISTRICTS = [
    ("Centrum", District.Kind.CITY_CENTRE),
    ("Stationsområdet", District.Kind.PRIORITY),
    ("Norra staden", District.Kind.PRIORITY),
    ("Södra staden", District.Kind.PRIORITY),
    ("Västra hamnen", District.Kind.PRIORITY),
    ("Östra höjden", District.Kind.PRIORITY),
    ("Industriområdet", District.Kind.PRIORITY),
    ("Skolområdet", District.Kind.PRIORITY),
    ("Hela kommunen", District.Kind.WHOLE_MUNICIPALITY),
]


@dataclass(frozen=True)
class TypeSpec:
    slug: str
    name: str
    hours: int
    staff: int
    # (measure name, unit, low, high)
    measures: tuple = ()
    summaries: tuple = ("Genomförd aktivitet enligt planen.",)
    sensitive: bool = False
    municipal: bool = False  # logged by the municipality rather than the police


@dataclass(frozen=True)
class CommitmentSpec:
    title: str
    text: str
    types: tuple


CATALOGUE = [
    CommitmentSpec(
        "Närvaro och synlighet i de prioriterade områdena",
        "Polisen ska vara närvarande, tillgänglig och synlig i de prioriterade områdena genom "
        "fot- och fordonspatrullering och trygghetsvandringar tillsammans med boende.",
        (
            TypeSpec("fotpatrull", "Fotpatrullering", 3, 2, (),
                     ("Fotpatrullering kring torget och skolan.", "Kvällspatrull till fots.")),
            TypeSpec("fordonspatrull", "Fordonspatrullering", 4, 2, (),
                     ("Fordonspatrullering under kvällen.", "Synlig närvaro med bil.")),
            TypeSpec("trygghetsvandring", "Trygghetsvandring", 2, 3,
                     (("Deltagare", "personer", 5, 25),),
                     ("Trygghetsvandring med boende och fastighetsägare.",), municipal=True),
        ),
    ),
    CommitmentSpec(
        "Färre trafikproblem i bostadsområdena",
        "Polisen ska genom riktade trafikkontroller minska buskörning och hastighetsöverträdelser "
        "i bostadsområdena.",
        (
            TypeSpec("trafikkontroll", "Trafikkontroll", 3, 4,
                     (("Kontrollerade fordon", "fordon", 15, 80), ("Ordningsböter", "st", 0, 8)),
                     ("Riktad trafikkontroll mot buskörning.", "Kontroll av mopeder.")),
            TypeSpec("hastighetskontroll", "Hastighetskontroll", 2, 2,
                     (("Mätta fordon", "fordon", 30, 300),),
                     ("Hastighetskontroll vid skolan.",)),
        ),
    ),
    CommitmentSpec(
        "Motverka öppen narkotikaförsäljning",
        "Polisen ska arbeta med rapportering och lagföring av dem som säljer narkotika på "
        "allmän plats.",
        (
            TypeSpec("narkotikainsats", "Narkotikainsats", 5, 6,
                     (("Rapporterade personer", "personer", 0, 6), ("Beslag", "st", 0, 4)),
                     ("Narkotikainsats mot öppen försäljning.",)),
            TypeSpec("riktad-insats", "Riktad insats mot grupperingar", 4, 4,
                     (("Anmälda brott", "st", 0, 5),),
                     ("Riktad insats mot grupperingar som skapar otrygghet.",)),
        ),
    ),
    CommitmentSpec(
        "Förebygga att unga dras in i kriminalitet",
        "Kommunen och polisen ska genom SSPF och social insatsgrupp tillsammans arbeta för att "
        "förebygga de risker som lockar unga till kriminalitet.",
        (
            TypeSpec("sspf-arendemote", "SSPF-ärendemöte", 2, 4,
                     (("Diskuterade ungdomar", "ungdomar", 1, 6),),
                     ("SSPF-möte med socialtjänst, skola och polis.",),
                     sensitive=True, municipal=True),
            TypeSpec("skolinsats", "Förebyggande insats i skola", 2, 2,
                     (("Nådda elever", "elever", 20, 120),),
                     ("Lektion om skadegörelse och ansvar.", "Föreläsning för högstadiet."),
                     municipal=True),
        ),
    ),
    CommitmentSpec(
        "Dialog med dem som bor och verkar i området",
        "Kommunen och polisen ska regelbundet möta boende, föreningar och näringsidkare för "
        "att höra vad som skapar otrygghet.",
        (
            TypeSpec("medborgardialog", "Medborgardialog", 2, 2,
                     (("Nådda boende", "personer", 10, 60),),
                     ("Medborgardialog vid centrumbutikerna.", "Samtal med boende.")),
            TypeSpec("foreningsmote", "Möte med föreningar", 2, 2,
                     (("Deltagande föreningar", "föreningar", 1, 8),),
                     ("Möte med föreningar och trossamfund.",), municipal=True),
        ),
    ),
    CommitmentSpec(
        "En tryggare offentlig miljö",
        "Kommunen ska åtgärda platser som upplevs otrygga: belysning, klotter och skymd sikt.",
        (
            TypeSpec("platsinventering", "Inventering av otrygga platser", 3, 2,
                     (("Åtgärdade platser", "platser", 0, 6),),
                     ("Inventering av belysning och buskage.",), municipal=True),
            TypeSpec("klottersanering", "Klottersanering", 3, 2,
                     (("Sanerad yta", "kvadratmeter", 2, 60),),
                     ("Sanering av klotter i gångtunnlar.",), municipal=True),
        ),
    ),
    CommitmentSpec(
        "Trygg nattmiljö i centrum",
        "Polisen och kommunen ska tillsammans med krögare och nattvandrare verka för en trygg "
        "nattmiljö i centrum.",
        (
            TypeSpec("krogkontroll", "Tillsyn av serveringsställen", 3, 3,
                     (("Kontrollerade serveringsställen", "ställen", 1, 10),),
                     ("Gemensam tillsyn av serveringsställen.",), municipal=True),
            TypeSpec("nattvandring", "Nattvandring", 3, 4, (("Deltagare", "personer", 3, 15),),
                     ("Nattvandring med föreningar en fredagskväll.",)),
        ),
    ),
]  # fmt: skip

# Value ranges by measure name, for measures of promises not made here (e.g. Eskilstuna).
_MEASURE_RANGES = {
    "Misstänkt rattfylleri": (0, 3),
    "Ungdomar i insats": (1, 3),
    **{m[0]: (m[2], m[3]) for c in CATALOGUE for t in c.types for m in t.measures},
}
_TYPES = {t.slug: t for c in CATALOGUE for t in c.types}
_DEFAULT_TYPE = TypeSpec("", "", 2, 2)
INTERNAL_NOTES = ("", "", "", "Planerad i samråd med kommunen.", "Följs upp på nästa möte.")


def catalogue_texts():
    """Every free text the generator writes, for the personal-data tests."""
    texts = [c.text for c in CATALOGUE] + [c.title for c in CATALOGUE] + list(INTERNAL_NOTES)
    texts += [s for c in CATALOGUE for t in c.types for s in t.summaries]
    return texts


def parse_years(text):
    """'2018-2025' or '2020' → (2018, 2025)."""
    first, _, last = text.partition("-")
    first, last = int(first), int(last or first)
    if last < first:
        raise ValueError(f"The years run backwards: {text}")
    return first, last


# --- Structure: fictional promises ---------------------------------------------------------


def _place_names(count, rng):
    names = [p + s for s in _SUFFIXES for p in _PREFIXES]
    rng.shuffle(names)
    if count > len(names):
        names += [f"{n} {i}" for i in range(2, 2 + count // len(names)) for n in list(names)]
    names = [n for n in names if n not in _REAL_NAMES]
    return names[:count]


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
    places = _place_names(math.ceil(count / len(year_list)), rng)
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
    Promise.objects.filter(pk__in=[p.pk for p in created]).touch(render=False)
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
    Organisation.objects.bulk_create(
        Organisation(slug=slug, name=name, kind=kind)
        for slug, (name, kind) in rows.items()
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
        chosen = [*rng.sample(_DISTRICTS[1:-1], rng.randint(2, 5)), _DISTRICTS[0]]
        if rng.random() < 0.3:
            chosen.append(_DISTRICTS[-1])
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


# --- Activities ----------------------------------------------------------------------------


@dataclass
class _Plan:
    """What an activity of one promise can be: (commitment, type, districts, organisations)."""

    promise: Promise
    days: list
    day_weights: list
    slots: list = field(default_factory=list)  # (commitment_id, type_id, [districts], [orgs])
    coverage: list = field(default_factory=list)  # (slot index, district_id)


def _plans(promises, years):
    promises = list(
        Promise.objects.filter(pk__in=[p.pk for p in promises]).prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.prefetch_related(
                    "districts",
                    "responsible_organisations",
                    Prefetch(
                        "activity_types", queryset=ActivityType.objects.prefetch_related("measures")
                    ),
                ),
            )
        )
    )
    plans = []
    for promise in promises:
        start = max(promise.start_date, date(years[0], 1, 1))
        end = min(promise.end_date, date(years[1], 12, 31))
        if end < start:
            continue
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        weights = [MONTH_WEIGHT[d.month - 1] * (0.8 if d.weekday() >= 5 else 1.0) for d in days]
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        plan = _Plan(promise, days, cumulative)
        own_orgs = {promise.police_area_id, promise.municipality_id}
        covered = set()
        for commitment in promise.commitments.all():
            district_ids = [d.pk for d in commitment.districts.all()] or [
                d.pk for d in promise.districts.all()
            ]
            orgs = [o.pk for o in commitment.responsible_organisations.all() if o.pk in own_orgs]
            for activity_type in commitment.activity_types.all():
                spec = _TYPES.get(activity_type.slug, _DEFAULT_TYPE)
                type_orgs = orgs or [promise.police_area_id]
                if spec.municipal and promise.municipality_id in own_orgs:
                    type_orgs = [promise.municipality_id]
                measures = [
                    (m.pk, _MEASURE_RANGES.get(m.name, (0, 10)))
                    for m in activity_type.measures.all()
                ]
                plan.slots.append(
                    (commitment.pk, activity_type.pk, district_ids, type_orgs, spec, measures)
                )
                district = district_ids[len(plan.slots) % len(district_ids)]
                plan.coverage.append((len(plan.slots) - 1, district))
                covered.add(district)
        for district in promise.districts.all():
            if district.pk not in covered:
                slot = next((i for i, s in enumerate(plan.slots) if district.pk in s[2]), None)
                if slot is not None:
                    plan.coverage.append((slot, district.pk))
        if plan.slots:
            plans.append(plan)
    return plans


def _split(count, weights):
    """Share `count` out in proportion to the weights, the remainder to the first ones."""
    total = sum(weights)
    shares = [int(count * w / total) for w in weights]
    for index in range(count - sum(shares)):
        shares[index % len(shares)] += 1
    return shares


def _rows(plan, count, rng):
    """Activities of one promise: first one per (type, district) to cover, then at random."""
    dates = rng.choices(plan.days, cum_weights=plan.day_weights, k=count)
    slots = plan.slots
    random_ = rng.random  # int(random() * n) is several times faster than randrange(n)
    for index in range(count):
        if index < len(plan.coverage):
            slot_index, district = plan.coverage[index]
            commitment, type_id, _districts, orgs, spec, measures = slots[slot_index]
        else:
            commitment, type_id, districts, orgs, spec, measures = slots[
                int(random_() * len(slots))
            ]
            district = districts[int(random_() * len(districts))]
        yield (
            commitment,
            type_id,
            district,
            orgs[int(random_() * len(orgs))],
            dates[index],
            max(1, spec.hours - 1 + int(random_() * 4)),
            max(1, spec.staff - 1 + int(random_() * 3)),
            spec.summaries[int(random_() * len(spec.summaries))],
            INTERNAL_NOTES[int(random_() * len(INTERNAL_NOTES))],
            random_() >= INTERNAL_SHARE,
            [(m, low + int(random_() * (high - low + 1))) for m, (low, high) in measures],
        )


@dataclass
class Result:
    activities: int = 0
    values: int = 0
    seconds: float = 0.0
    method: str = ""

    @property
    def rows_per_second(self):
        return (self.activities + self.values) / self.seconds if self.seconds else 0.0


def choose_method(method="auto"):
    if method == "auto":
        return "copy" if connection.vendor == "postgresql" else "bulk_create"
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL.")
    return method


def generate_activities(
    count, promises=None, years=DEFAULT_YEARS, seed=DEFAULT_SEED, method="auto", weights=None
):
    """Add `count` activities spread over the promises (default: all) within the years.

    Additive: every call adds rows. Returns a Result with counts and the rows per second.
    """
    method = choose_method(method)
    rng = random.Random(seed)
    if promises is None:
        promises = Promise.objects.all()
    plans = _plans(promises, years)
    if not plans:
        raise ValueError("No promise with commitments and activity types in those years.")
    weights = [(weights or {}).get(plan.promise.pk) or rng.uniform(0.3, 1.7) for plan in plans]
    shares = _split(count, weights)
    started = time.perf_counter()
    result = Result(method=method)
    write = _write_copy if method == "copy" else _write_bulk
    # One stream over every promise, written in large batches whatever the promises' sizes.
    stream = chain.from_iterable(
        _rows(plan, share, rng) for plan, share in zip(plans, shares, strict=True)
    )
    remaining = count
    with transaction.atomic():
        while remaining:
            size = min(BATCH, remaining)
            activities, values = write(islice(stream, size), size)
            result.activities += activities
            result.values += values
            remaining -= size
        # Published figures changed: their pages are rendered anew as readers come.
        Promise.objects.filter(pk__in=[plan.promise.pk for plan in plans]).touch(render=False)
    result.seconds = time.perf_counter() - started
    return result


def generate_national(promises, activities, years=DEFAULT_YEARS, seed=DEFAULT_SEED, method="auto"):
    """Create (or reuse) `promises` fictional promises and add `activities` activities to them."""
    made = create_promises(promises, years=years, seed=seed)
    rng = random.Random(seed + 1)
    # Uneven sizes, as in reality: a few busy promises, many small ones.
    weights = {promise.pk: rng.lognormvariate(0, 0.6) for promise in made}
    return made, generate_activities(
        activities, promises=made, years=years, seed=seed + 2, method=method, weights=weights
    )


def _write_bulk(rows, size):
    batch = list(rows)
    now = datetime.now(UTC)
    objects = [
        Activity(
            commitment_id=row[0],
            activity_type_id=row[1],
            district_id=row[2],
            organisation_id=row[3],
            date=row[4],
            hours=row[5],
            staff_count=row[6],
            summary=row[7],
            internal_note=row[8],
            is_public=row[9],
            created_at=now,
            updated_at=now,
        )
        for row in batch
    ]
    Activity.objects.bulk_create(objects, batch_size=BULK_CREATE_BATCH)
    values = [
        ActivityValue(activity_id=activity.pk, measure_id=measure, value=value)
        for activity, row in zip(objects, batch, strict=True)
        for measure, value in row[10]
    ]
    ActivityValue.objects.bulk_create(values, batch_size=BULK_CREATE_BATCH)
    return len(objects), len(values)


_ACTIVITY_COLUMNS = [
    "id", "commitment_id", "activity_type_id", "district_id", "organisation_id", "date",
    "hours", "staff_count", "summary", "internal_note", "is_public", "external_id",
    "created_at", "updated_at", "version",
]  # fmt: skip


def _copy_text(value):
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _write_copy(rows, size):
    """COPY into PostgreSQL; ids are taken from the table's sequence first, for the values.

    Activity lines are sent in chunks as they are generated, so that PostgreSQL inserts while
    Python generates the next ones.
    """
    activity_table = Activity._meta.db_table
    value_table = ActivityValue._meta.db_table
    now = datetime.now(UTC).isoformat()
    columns = ", ".join(_ACTIVITY_COLUMNS)
    value_lines, written = [], 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{activity_table}', 'id')) "
            "FROM generate_series(1, %s)",
            [size],
        )
        ids = iter([row[0] for row in cursor.fetchall()])
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {activity_table} ({columns}) FROM STDIN") as copy:
            while True:
                lines = []
                for row, pk in zip(islice(rows, 5000), ids, strict=False):
                    lines.append(
                        f"{pk}\t{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4].isoformat()}\t"
                        f"{row[5]}\t{row[6]}\t{_copy_text(row[7])}\t{_copy_text(row[8])}\t"
                        f"{'t' if row[9] else 'f'}\t\t{now}\t{now}\t1\n"
                    )
                    value_lines += [f"{pk}\t{measure}\t{value}\n" for measure, value in row[10]]
                if not lines:
                    break
                copy.write("".join(lines))
                written += len(lines)
        with raw.copy(f"COPY {value_table} (activity_id, measure_id, value) FROM STDIN") as copy:
            copy.write("".join(value_lines))
    return written, len(value_lines)
