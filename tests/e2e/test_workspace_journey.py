"""Issue 17's journeys, in Chromium against the live server.

a. An operator invites the first coordinator of Torshälla (as `invite_coordinator` does); she
   accepts the link, sets up a promise from scratch in the workspace — 2 signatories,
   4 districts (one with a GeoJSON boundary), 3 commitments, 5 kinds of work with measures,
   5 indicators of different kinds of target — previews it, publishes it, invites a police
   officer, who accepts and logs an activity; the public pages then show the promise. Every
   page load of the coordinator is counted against a budget.
b. A coordinator of Västerås starts a promise from a copy of Eskilstuna's structure.
c. A district is added with the keyboard alone (the workspace's pages are plain links and
   forms, without JavaScript; axe, the HTML checker and 320 px are in test_pages.py).
"""

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from commitments import roles
from commitments.loading import load_promise_file
from commitments.models import Activity, Invitation, Promise
from followups.demo import FIXTURE

from ..factories import MunicipalityFactory, PoliceFactory
from ..tenants import member, second_tenant
from .conftest import PHONE, new_context

pytestmark = pytest.mark.e2e

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = datetime(2027, 3, 10, 9, 0, tzinfo=STOCKHOLM)  # inside the new promise's period
PASSWORD = "ett långt och hemligt lösenord 42"
# Every page the coordinator loads, from the invitation link to the invitation she sends:
# about two a part (its form, then the workspace after saving), and a few to move around.
PAGE_BUDGET = 60

SQUARE = [[16.47, 59.41], [16.49, 59.41], [16.49, 59.42], [16.47, 59.42], [16.47, 59.41]]
DISTRICTS = [
    ("Busstorget", "busstorget", "priority"),
    ("Holmberget", "holmberget", "priority"),
    ("Centrum", "centrum", "city_centre"),
    ("Hela kommunen", "hela-kommunen", "whole_municipality"),
]
COMMITMENTS = [
    (1, "Synlighet", "Polis och kommun ska synas vid Busstorget varje vecka."),
    (2, "Trafik", "Polisen ska genomföra trafikkontroller i centrum."),
    (3, "Unga", "Kommunen ska nå eleverna i årskurs 8 med skolinsatser."),
]
# (commitment number, name, slug, measure, unit, unit for one, counts the work)
TYPES = [
    (1, "Fotpatrull", "fotpatrull", "Patruller", "patruller", "patrull", True),
    (1, "Trygghetsvandring", "trygghetsvandring", "Deltagare", "deltagare", "deltagare", False),
    (2, "Trafikkontroll", "trafikkontroll", "Kontroller", "kontroller", "kontroll", True),
    (2, "Hastighetsmätning", "hastighetsmatning", "Mätta fordon", "fordon", "fordon", False),
    (3, "Skolbesök", "skolbesok", "Elever", "elever", "elev", False),
]


def _accept(page, base, token, username):
    page.goto(f"{base}/personal/inbjudan/{token}/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")


def _save(page):
    page.locator("main form:not(.logout) button[type=submit]").last.click()


def _part(page, base, slug, path):
    page.goto(f"{base}/personal/loften/{slug}/{path}")


def _check(page, label):
    page.locator("main label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    ).first.check()


def test_an_invited_coordinator_sets_up_publishes_and_staffs_a_promise(browser, live_server):
    base = live_server.url
    municipality = MunicipalityFactory(name="Torshälla kommun", slug="torshalla-kommun")
    police = PoliceFactory(name="Lokalpolisområde Torshälla", slug="lpo-torshalla")
    with time_machine.travel(TODAY, tick=True):
        _invitation, token = Invitation.issue(
            email="samordnare@torshalla.example", organisation=municipality, role=roles.COORDINATOR
        )
        context = new_context(browser, viewport=PHONE)
        page = context.new_page()
        loads = []
        page.on("load", lambda p: loads.append(p.url))
        _accept(page, base, token, "torshalla-samordnare")

        page.get_by_role("link", name="Löften").click()
        page.get_by_role("link", name="Starta ett nytt löfte").click()
        page.locator("#id_partner").select_option(label=police.name)
        page.locator("#id_title").fill("Medborgarlöfte Torshälla 2027")
        page.locator("#id_slug").fill("torshalla-2027")
        page.locator("#id_start_date").fill("2027-01-01")
        page.locator("#id_end_date").fill("2027-12-31")
        page.locator("#id_reporting_cadence").select_option("half_year")
        page.locator("#id_problem_picture").fill("Otrygghet kring Busstorget på kvällarna.")
        _check(page, "medborgardialog")
        page.locator("#id_goal").fill("Fler ska känna sig trygga i centrala Torshälla.")
        page.locator("#id_follow_up_plan").fill("Uppföljning två gånger om året.")
        _save(page)
        expect(page.locator(".kicker")).to_contain_text("Utkast")
        slug = "torshalla-2027"
        promise = Promise.objects.get(slug=slug)
        assert not promise.is_published

        for organisation, name, role in [
            (municipality, "Eva Lind", "Kommunstyrelsens ordförande"),
            (police, "Olle Berg", "Lokalpolisområdeschef"),
        ]:
            _part(page, base, slug, "undertecknare/ny/")
            page.locator("#id_organisation").select_option(label=organisation.name)
            page.locator("#id_name").fill(name)
            page.locator("#id_role").fill(role)
            _save(page)
            expect(page.get_by_role("status")).to_contain_text("Sparat")

        for index, (name, district_slug, kind) in enumerate(DISTRICTS):
            _part(page, base, slug, "omraden/ny/")
            page.locator("#id_name").fill(name)
            page.locator("#id_slug").fill(district_slug)
            page.locator("#id_kind").select_option(kind)
            if index == 0:
                page.locator("#id_boundary_file").set_input_files(
                    files=[
                        {
                            "name": "busstorget.geojson",
                            "mimeType": "application/geo+json",
                            "buffer": json.dumps(
                                {"type": "Polygon", "coordinates": [SQUARE]}
                            ).encode(),
                        }
                    ]
                )
            _save(page)
            expect(page.get_by_role("status")).to_contain_text("Sparat")

        for number, title, text in COMMITMENTS:
            _part(page, base, slug, "atagande/ny/")
            page.locator("#id_number").fill(str(number))
            page.locator("#id_title").fill(title)
            page.locator("#id_text").fill(text)
            _check(page, municipality.name)
            _check(page, police.name)
            _check(page, "Busstorget" if number == 1 else "Centrum")
            _save(page)
            expect(page.get_by_role("status")).to_contain_text("Sparat")

        commitments = {c.number: c for c in promise.commitments.all()}
        for number, name, type_slug, measure, unit, singular, counts in TYPES:
            _part(page, base, slug, f"atagande/{commitments[number].pk}/typer/ny/")
            page.locator("#id_name").fill(name)
            page.locator("#id_slug").fill(type_slug)
            page.locator("#id_measures-0-name").fill(measure)
            page.locator("#id_measures-0-unit").fill(unit)
            page.locator("#id_measures-0-unit_singular").fill(singular)
            if counts:
                page.locator("#id_measures-0-counts_the_work").check()
            _save(page)
            expect(page.get_by_role("status")).to_contain_text("Sparat")

        page.goto(f"{base}/personal/loften/{slug}/")
        expect(page.locator("section.checklist")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("Inget saknas")

        # name, commitment, kind, aggregation, types, target kind, target, extra
        indicators = [
            ("Patruller vid Busstorget", "1. Synlighet", "derived", "sum_measure",
             ["Fotpatrull"], "at_least", "40", {"measure": "Fotpatrull: Patruller"}),
            ("Anmälda rån i centrum", "", "measured", "", [], "at_most", "12",
             {"source": "Polisens statistik"}),
            ("Veckor med trafikkontroll", "2. Trafik", "derived", "sum_measure",
             ["Trafikkontroll"], "rate", "1",
             {"rate_period": "week", "measure": "Trafikkontroll: Kontroller"}),
            ("Trygghetsvandring genomförd", "1. Synlighet", "derived", "count",
             ["Trygghetsvandring"], "milestone", "", {}),
            ("Nådda elever", "3. Unga", "derived", "sum_measure", ["Skolbesök"], "none", "",
             {"measure": "Skolbesök: Elever"}),
        ]  # fmt: skip
        for name, commitment, kind, aggregation, types, target_kind, target, extra in indicators:
            _part(page, base, slug, "indikatorer/ny/")
            if commitment:
                page.locator("#id_commitment").select_option(label=commitment)
            page.locator("#id_name").fill(name)
            page.locator("#id_unit").fill("st")
            page.locator("#id_kind").select_option(kind)
            if aggregation:
                page.locator("#id_aggregation").select_option(aggregation)
            for type_name in types:
                _check(page, f"{commitment[0]}. {type_name}")
            if "measure" in extra:
                page.locator("#id_measure").select_option(label=extra["measure"])
            page.locator("#id_source").fill(extra.get("source", "Loggade aktiviteter"))
            page.locator("#id_direction").select_option(
                "lower" if target_kind == "at_most" else "higher"
            )
            page.locator("#id_target_kind").select_option(target_kind)
            if target:
                page.locator("#id_target_value").fill(target)
            if "rate_period" in extra:
                page.locator("#id_rate_period").select_option(extra["rate_period"])
            _save(page)
            assert not page.locator(".errorlist").count(), (
                name,
                page.locator(".errorlist").all_inner_texts(),
            )
            expect(page.get_by_role("status")).to_contain_text("Sparat")
        assert promise.indicators.count() == 5

        page.get_by_role("link", name="Förhandsvisa som en invånare ser det").click()
        expect(page.locator(".preview-note")).to_contain_text("Förhandsvisning")
        expect(page.locator("main")).to_contain_text("Polis och kommun ska synas vid Busstorget")
        page.get_by_role("link", name="Tillbaka till löftet").first.click()
        page.get_by_role("link", name="Publicera …").click()
        page.get_by_role("button", name="Ja, publicera löftet").click()
        expect(page.get_by_role("status")).to_contain_text("Löftet är publicerat")
        promise.refresh_from_db()
        assert promise.is_published

        page.goto(f"{base}/personal/personal/bjud-in/")
        page.locator("#id_email").fill("polis@torshalla.example")
        page.locator("#id_organisation").select_option(label=police.name)
        page.locator("#id_role").select_option(roles.POLICE)
        _save(page)
        assert len(loads) <= PAGE_BUDGET, f"{len(loads)} page loads: {loads}"
        (message,) = [m for m in mail.outbox if "polis@torshalla.example" in m.to]
        link = re.search(r"/personal/inbjudan/[\w-]+/", message.body)[0]

        officer = new_context(browser, viewport=PHONE).new_page()
        _accept(officer, base, link.split("/")[-2], "torshalla-polis")
        officer.get_by_role("link", name="Logga aktivitet").first.click()
        officer.get_by_label("Vad har du gjort?").select_option(label="Fotpatrull")
        officer.get_by_role("button", name="Nästa").click()
        officer.get_by_label("Område").select_option(label="Busstorget")
        officer.get_by_label("Timmar").fill("2")
        officer.get_by_label("Antal personal").fill("2")
        officer.get_by_role("textbox", name="Publik sammanfattning").fill(
            "Fotpatrull vid Busstorget."
        )
        officer.get_by_role("button", name="Spara").click()
        expect(officer.get_by_role("status")).to_contain_text("Aktiviteten är sparad")
        activity = Activity.objects.get(commitment__promise=promise)
        assert activity.created_by.username == "torshalla-polis"
        assert activity.organisation == police

        citizen = new_context(browser).new_page()
        citizen.goto(f"{base}/loften/{slug}/")
        expect(citizen.get_by_role("heading", level=1)).to_contain_text(
            "Medborgarlöfte Torshälla 2027"
        )
        for _number, _title, text in COMMITMENTS:
            expect(citizen.locator("main")).to_contain_text(text)
        expect(citizen.locator("main")).to_contain_text("Veckor med trafikkontroll")
        citizen.goto(f"{base}/loften/{slug}/omraden/busstorget/")
        expect(citizen.get_by_role("heading", level=1)).to_contain_text("Busstorget")
        context.close()


def test_a_coordinator_starts_from_a_copy_of_eskilstuna(browser, live_server):
    base = live_server.url
    eskilstuna = load_promise_file(FIXTURE)
    other = second_tenant()
    context = new_context(browser)
    page = context.new_page()
    from .conftest import log_in

    log_in(context, other.users["coordinator"], base)
    page.goto(f"{base}/personal/loften/nytt/")
    page.locator("#id_partner").select_option(label=other.police_area.name)
    page.locator("#id_title").fill("Medborgarlöfte Västerås 2027")
    page.locator("#id_slug").fill("vasteras-2027")
    page.locator("#id_start_date").fill("2027-01-01")
    page.locator("#id_end_date").fill("2027-12-31")
    page.locator("#id_problem_picture").fill("P.")
    page.locator("#id_goal").fill("G.")
    page.locator("#id_follow_up_plan").fill("F.")
    _save(page)
    page.locator("#id_source").select_option(label=str(eskilstuna))
    page.get_by_role("button", name="Kopiera strukturen").click()
    expect(page.get_by_role("status")).to_contain_text("Strukturen från")
    promise = Promise.objects.get(slug="vasteras-2027")
    assert promise.commitments.count() == eskilstuna.commitments.count()
    expect(page.locator("main")).to_contain_text(eskilstuna.commitments.first().title)
    # Eskilstuna's signers do not sign for Västerås: the checklist asks for Västerås's own.
    expect(page.locator("section.checklist")).to_contain_text(other.municipality.name)
    assert promise.start_date == date(2027, 1, 1)
    context.close()


def _tab_to(page, selector, *, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab on {page.url}")


def test_a_district_is_added_with_the_keyboard_alone(browser, live_server):
    """Tab, Enter, typing and the arrow keys: no clicks, on a phone-sized screen."""
    from .conftest import log_in

    base = live_server.url
    eskilstuna = load_promise_file(FIXTURE)
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    samordnare = member("tangent-samordnare", eskilstuna.municipality, roles.COORDINATOR)
    log_in(context, samordnare, base)
    page.goto(f"{base}/personal/loften/{eskilstuna.slug}/")
    _tab_to(page, "a[href$='/omraden/ny/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#id_name")
    page.keyboard.type("Tangentbordet")
    page.keyboard.press("Tab")
    page.keyboard.type("tangentbordet")
    page.keyboard.press("Tab")  # the kind: a select, moved with the arrow keys
    page.keyboard.press("ArrowDown")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Sparat")
    assert eskilstuna.districts.filter(slug="tangentbordet").exists()
    context.close()
