"""What the generators write: fictional place names, districts, and a catalogue of commitments.

Every text here is invented and free of personal data (tests/test_generate.py runs each through
the personal-data guard); real municipalities' names are left out of the place names.
"""

from dataclasses import dataclass

from commitments.models import District

DEFAULT_YEARS = (2018, 2025)
DEFAULT_SEED = 2026

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
DISTRICTS = [
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
MEASURE_RANGES = {
    "Misstänkt rattfylleri": (0, 3),
    "Ungdomar i insats": (1, 3),
    **{m[0]: (m[2], m[3]) for c in CATALOGUE for t in c.types for m in t.measures},
}
TYPES_BY_SLUG = {t.slug: t for c in CATALOGUE for t in c.types}
DEFAULT_TYPE = TypeSpec("", "", 2, 2)
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


def place_names(count, rng):
    """`count` fictional place names in the random generator's order, no real municipality."""
    names = [p + s for s in _SUFFIXES for p in _PREFIXES]
    rng.shuffle(names)
    if count > len(names):
        names += [f"{n} {i}" for i in range(2, 2 + count // len(names)) for n in list(names)]
    names = [n for n in names if n not in _REAL_NAMES]
    return names[:count]
