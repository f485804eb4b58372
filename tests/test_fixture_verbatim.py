"""The Eskilstuna 2018 promise is stored word for word as the seed document has it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from followups.tertials import tertials_between

# The seed document, kept in the repository so that the suite runs in a clone without
# ../shared; the shared original, when it is beside the checkout, must be the same text.
NAME = "medborgarlofte_eskilstuna_2018.txt"
SEED = Path(settings.BASE_DIR) / "fixtures" / "seed" / NAME
SHARED = Path(settings.BASE_DIR).parent / "shared" / "seed" / NAME
# The seed's headings are the police's document template, not data of the promise.
LETTERHEAD = "Polisens medborgarlöfte"
HEADINGS = [
    "Situationen idag",
    "Det här ska vi göra",
    "Det här ska vi åstadkomma tillsammans",
    "Följ med i hur det går!",
]


def words(text):
    """Whitespace normalised, list bullets dropped: the comparison is word for word."""
    return re.sub(r"(^|\n)\s*- ", r"\1", text).split()


def document_from(promise):
    """The seed document rebuilt from what the database holds."""
    parts = [LETTERHEAD, promise.title, promise.introduction]
    parts += [HEADINGS[0], promise.problem_picture, HEADINGS[1]]
    parts += [c.text for c in promise.commitments.order_by("number")]
    parts += [HEADINGS[2], promise.goal, HEADINGS[3], promise.follow_up_plan]
    parts += [f"{s.name},\n{s.role}" for s in promise.signatories.order_by("order")]
    return "\n\n".join(parts)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/seed is not beside the checkout")
def test_the_repository_s_copy_of_the_seed_is_the_shared_original():
    assert SEED.read_bytes() == SHARED.read_bytes()


def test_every_stored_text_matches_the_seed_word_for_word(eskilstuna):
    assert words(document_from(eskilstuna)) == words(SEED.read_text(encoding="utf-8"))


def test_each_text_is_a_passage_of_the_seed(eskilstuna):
    seed = " ".join(words(SEED.read_text(encoding="utf-8")))
    texts = [eskilstuna.title, eskilstuna.introduction, eskilstuna.problem_picture, eskilstuna.goal]
    texts += [eskilstuna.follow_up_plan, *(c.text for c in eskilstuna.commitments.all())]
    for text in texts:
        assert " ".join(words(text)) in seed


def test_the_promise_names_its_organisations_and_signatories(eskilstuna):
    assert eskilstuna.police_area.name == "Polismyndigheten, lokalpolisområde Eskilstuna"
    assert eskilstuna.municipality.name == "Eskilstuna kommun"
    signatories = [(s.name, s.role, s.organisation) for s in eskilstuna.signatories.all()]
    assert signatories == [
        ("Annelie Klavins Nyström", "Ordförande Trygga Eskilstuna", eskilstuna.municipality),
        ("Christer Sjökvist", "Lokalpolisområdeschef Eskilstuna", eskilstuna.police_area),
    ]


def test_commitments_one_and_two_are_the_polices_and_three_is_both(eskilstuna):
    responsible = {
        c.number: {o.kind for o in c.responsible_organisations.all()}
        for c in eskilstuna.commitments.all()
    }
    assert responsible == {1: {"police"}, 2: {"police"}, 3: {"police", "municipality"}}


def test_the_four_districts_are_loaded_as_data(eskilstuna):
    districts = {(d.name, d.kind) for d in eskilstuna.districts.all()}
    assert districts == {
        ("Skiftinge", "priority"),
        ("Fröslunda", "priority"),
        ("Lagersberg", "priority"),
        ("Centrum", "city_centre"),
    }


def test_every_activity_type_has_its_measures_with_units(eskilstuna):
    traffic = eskilstuna.commitments.get(number=1).activity_types.get(slug="trafikkontroll")
    assert [(m.name, m.unit) for m in traffic.measures.all()] == [
        ("Kontrollerade fordon", "fordon"),
        ("Misstänkt rattfylleri", "fall"),
        ("Ordningsböter", "st"),
    ]
    foot = eskilstuna.commitments.get(number=1).activity_types.get(slug="fotpatrull")
    assert not foot.measures.exists()
    assert (
        eskilstuna.commitments.get(number=3).activity_types.filter(is_sensitive=True).count() == 2
    )


def test_its_tertials_are_reported_in_may_september_and_january(eskilstuna):
    report_months = [
        (t.report_month.year, t.report_month.month)
        for t in tertials_between(eskilstuna.start_date, eskilstuna.end_date)
    ]
    assert report_months == [(2018, 5), (2018, 9), (2019, 1)]


def test_loading_twice_changes_nothing(eskilstuna):
    from commitments.loading import load_promise_file
    from commitments.models import ActivityType, Commitment, District, Measure
    from followups.demo import FIXTURE

    models = [Commitment, District, ActivityType, Measure]
    before = [m.objects.count() for m in models]
    load_promise_file(FIXTURE)
    assert [m.objects.count() for m in models] == before
