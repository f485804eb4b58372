"""The three journeys of issue 8, in Chromium against the live server.

a. A police officer on a phone logs in, logs a foot patrol in Skiftinge, finds it in the recent
   entries and corrects it; once the publication delay has passed (the clock is moved), it
   counts on the public commitment page. Done twice: with the mouse, and with the keyboard
   alone (Tab, Enter, Space, arrow keys and typing; no clicks).
b. A citizen opens /, a commitment, a district, shows a chart's table, downloads the CSV and
   opens a published PDF.
c. The coordinator drafts and submits a follow-up, both approvers approve, it publishes, the
   task worker renders the PDF, and the chair downloads it.
"""

import csv
import hashlib
import io
import re
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect
from pypdf import PdfReader

from commitments.loading import load_promise_file
from commitments.models import Activity
from followups.demo import FIXTURE, seed, seed_accounts, seed_activities, seed_indicators
from followups.models import FollowUp

from .conftest import PHONE, new_context

pytestmark = pytest.mark.e2e

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory
# Inside the Eskilstuna 2018 promise, so that "today" is a day the promise covers.
PATROL_DAY = datetime(2018, 10, 15, 9, 0, tzinfo=STOCKHOLM)
SUMMARY = "Fotpatrull kring Skiftinge centrum."
COMMITMENT_PAGE = "/loften/eskilstuna-2018/atagande/1/"


def _log_in_with_form(page, base_url, username, *, keyboard=False):
    page.goto(base_url + "/personal/")
    expect(page).to_have_url(f"{base_url}/personal/logga-in/?next=/personal/")
    if keyboard:
        _tab_to(page, "#id_username")
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")


def _tab_to(page, selector, *, limit=60):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab on {page.url}")


def _public_row(page, base_url):
    """The Fotpatrullering table's row for Skiftinge in T3 2018 on the public page, or None."""
    page.goto(base_url + COMMITMENT_PAGE)
    table = page.get_by_role("table", name="Fotpatrullering", exact=True)
    row = table.locator("tbody tr").filter(has_text="T3 2018").filter(has_text="Skiftinge")
    if not row.count():
        return None
    return [cell.strip() for cell in row.first.locator("td").all_inner_texts()]


def _police_journey(browser, live_server, polis, *, keyboard):
    base = live_server.url
    with time_machine.travel(PATROL_DAY, tick=True) as clock:
        context = new_context(browser, viewport=PHONE)
        page = context.new_page()
        _log_in_with_form(page, base, "polis", keyboard=keyboard)

        # Log an activity: first its type, then the form for that type.
        if keyboard:
            _tab_to(page, "a.button.big")
            page.keyboard.press("Enter")
            page.wait_for_url("**/aktiviteter/ny/")
            _tab_to(page, "#id_typ")
            # Arrow keys move the choice of a closed select until the foot patrol is chosen.
            for _ in range(20):
                if page.evaluate("() => document.activeElement.selectedOptions[0].text").startswith(
                    "Fotpatrull"
                ):
                    break
                page.keyboard.press("ArrowDown")
            _tab_to(page, "main button[type=submit]")  # Next
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            page.get_by_role("link", name="Logga aktivitet").first.click()
            page.get_by_label("Vad har du gjort?").select_option(label="Fotpatrullering")
            page.get_by_role("button", name="Nästa").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Logga aktivitet")
        expect(page.get_by_label("Datum")).to_have_value("2018-10-15")

        if keyboard:
            _tab_to(page, "#id_district")
            for _ in range(10):
                if (
                    page.evaluate("() => document.activeElement.value")
                    and page.evaluate("() => document.activeElement.selectedOptions[0].text")
                    == "Skiftinge"
                ):
                    break
                page.keyboard.press("ArrowDown")
            _tab_to(page, "#id_hours")
            page.keyboard.type("3")
            page.keyboard.press("Tab")  # number of staff
            page.keyboard.type("2")
            _tab_to(page, "#id_summary")
            page.keyboard.type(SUMMARY)
            _tab_to(page, "main button[type=submit]")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            page.get_by_label("Område").select_option(label="Skiftinge")
            page.get_by_label("Timmar").fill("3")
            page.get_by_label("Antal personal").fill("2")
            page.get_by_role("textbox", name="Publik sammanfattning").fill(
                "Fotpatrull kring Skiftinge centrum."
            )
            page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("status")).to_contain_text("Aktiviteten är sparad")
        activity = Activity.objects.get()
        assert (activity.district.slug, activity.hours, activity.staff_count) == ("skiftinge", 3, 2)
        assert activity.activity_type.slug == "fotpatrull"
        assert activity.date.isoformat() == "2018-10-15"
        assert activity.created_by == polis

        # Find it among the recent entries on the overview and correct it: 4 hours, not 3.
        if keyboard:
            _tab_to(page, "nav.staff-nav a[href='/personal/']")
            page.keyboard.press("Enter")
            page.wait_for_url(base + "/personal/")
        else:
            page.get_by_role("link", name="Översikt").click()
        recent = page.locator("ul.entries li")
        expect(recent).to_have_count(1)
        expect(recent.first).to_contain_text("Fotpatrullering, Skiftinge")
        expect(recent.first).to_contain_text("15 oktober 2018")
        if keyboard:
            _tab_to(page, "ul.entries a")
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/personal/aktiviteter/{activity.pk}/")
            _tab_to(page, f"a[href='/personal/aktiviteter/{activity.pk}/andra/']")
            page.keyboard.press("Enter")
            page.wait_for_url("**/andra/")
            # Tab into a field selects its text, so typing replaces it.
            _tab_to(page, "#id_hours")
            page.keyboard.type("4")
            _tab_to(page, "main button[type=submit]")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            page.get_by_role("link", name="Fotpatrullering, Skiftinge").click()
            page.get_by_role("link", name="Rätta").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Rätta en aktivitet")
            page.get_by_label("Timmar").fill("4")
            page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("status")).to_contain_text("Dina ändringar är sparade")
        activity.refresh_from_db()
        assert activity.hours == 4
        assert activity.version == 2

        # Not public yet: patrols are published a week after they took place.
        citizen = new_context(browser, viewport=PHONE).new_page()
        assert _public_row(citizen, base) is None
        expect(citizen.locator("body")).not_to_contain_text(SUMMARY)

        clock.move_to(PATROL_DAY + settings.PUBLICATION_DELAY)
        # The table: tertial (th), district, activities, hours.
        assert _public_row(citizen, base) == ["Skiftinge", "1", "4"]
        citizen.context.close()
        context.close()


def test_police_officer_logs_and_corrects_a_foot_patrol_on_a_phone(browser, live_server, polis):
    _police_journey(browser, live_server, polis, keyboard=False)


def test_police_journey_with_the_keyboard_alone(browser, live_server, polis):
    _police_journey(browser, live_server, polis, keyboard=True)


def test_citizen_reads_a_commitment_a_district_the_figures_and_the_reports(browser, live_server):
    seed("e2e-password-not-used")
    base = live_server.url
    context = new_context(browser, accept_downloads=True)
    page = context.new_page()

    page.goto(base + "/")
    page.get_by_role("link", name="Medborgarlöfte Eskilstuna 2018").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eskilstuna")
    promise_url = page.url

    # A commitment, with its indicators, charts and the activity figures per district.
    page.locator("section[aria-labelledby=commitments]").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Närvaro och synlighet i de prioriterade stadsdelarna"
    )
    expect(page.get_by_role("table", name="Fotpatrullering", exact=True)).to_be_visible()

    # Show a chart's table: charts.js folds it behind "Visa siffrorna" once the chart is drawn,
    # for the eye only: a screen reader still finds the table (its role is not hidden).
    chart = page.locator("figure.chart").first
    expect(chart.locator(".main-svg").first).to_be_visible()
    button = chart.locator("xpath=following-sibling::button[1]")
    figures = chart.locator("xpath=following-sibling::div[contains(@class, 'chart-figures')][1]")
    expect(button).to_have_text("Visa siffrorna")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(figures).to_have_class(re.compile("figures-folded"))
    expect(figures.get_by_role("table")).to_have_count(1)
    button.click()
    expect(figures).not_to_have_class(re.compile("figures-folded"))
    expect(button).to_have_text("Dölj siffrorna")
    table = figures.locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()

    # A district, from the promise page's map (the list below it has the same links).
    page.goto(promise_url)
    page.locator(".district-map").get_by_role("link", name="Skiftinge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skiftinge")

    # The open data: every public activity as CSV, with the same rows as the publication rule.
    page.goto(promise_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Alla publicerade aktiviteter (CSV").click()
    download = download_info.value
    assert download.suggested_filename == "eskilstuna-2018-aktiviteter.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    public = Activity.objects.public().filter(
        commitment__promise__slug="eskilstuna-2018", activity_type__is_sensitive=False
    )
    assert len(rows) - 1 == public.count() > 0
    first = public.order_by("date", "id").first()
    assert rows[1][:2] == [str(first.pk), first.date.isoformat()]
    assert {row[6] for row in rows[1:]} <= {"Skiftinge", "Fröslunda", "Lagersberg", "Centrum"}

    # A published follow-up and its frozen PDF.
    page.locator("section[aria-labelledby=followups]").get_by_role("link", name="T1 2018").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("T1 2018")
    # Served inline: Chromium opens it in its PDF viewer; the same address read as bytes.
    with page.expect_response(lambda r: r.url.endswith("/rapport.pdf")) as response_info:
        page.get_by_role("link", name="Rapport (PDF)").first.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    expect(page).to_have_url(response.url)
    pdf = context.request.get(response.url).body()
    assert pdf.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Medborgarlöfte Eskilstuna 2018" in text
    context.close()


def _run_task_worker():
    """django-tasks' database worker, as `manage.py db_worker --batch` runs it, in a thread.

    A thread of its own, because the PDF's charts render with kaleido in an asyncio loop of
    their own, which Playwright's loop in the test thread would refuse. The command itself
    installs signal handlers, which only the main thread may do, so its Worker runs here.
    """
    failures = []

    def work():
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="e2e-worker",
                excluded_queue_names=[],
            ).run()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the task worker did not finish"
    assert not failures, failures


def _staff_page(browser, base_url, username):
    page = new_context(browser).new_page()
    _log_in_with_form(page, base_url, username)
    return page


def test_a_follow_up_is_drafted_approved_twice_published_and_downloaded(browser, live_server):
    promise = load_promise_file(FIXTURE)
    users = seed_accounts(PASSWORD)
    seed_activities(promise, users)
    seed_indicators(promise)
    base = live_server.url

    # The coordinator starts T1 2018 from the tertial calendar and writes it.
    coordinator = _staff_page(browser, base, "samordnare")
    coordinator.get_by_role("link", name="Tertialuppföljningar").click()
    row = coordinator.get_by_role("row").filter(has_text="T1 2018")
    row.get_by_role("button", name="Påbörja uppföljningen").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("T1 2018")
    coordinator.locator("[name=summary]").fill("E2E-sammanfattning: arbetet går enligt plan.")
    for number in (1, 2, 3):
        coordinator.locator(f"[name=c{number}-status][value=on_track]").check()
        coordinator.locator(f"[name=c{number}-justification]").fill(f"Motivering {number}.")
        coordinator.locator(f"[name=c{number}-done]").fill(f"Gjort {number}.")
    coordinator.get_by_role("button", name="Spara").click()
    expect(coordinator.get_by_role("status")).to_be_visible()
    coordinator.get_by_role("button", name="Skicka för godkännande").click()
    expect(coordinator.locator("p.meta strong")).to_have_text("granskas")
    followup_url = coordinator.url
    followup = FollowUp.objects.get(promise=promise, year=2018, tertial=1)
    assert followup.state == FollowUp.State.IN_REVIEW

    # Both signatories' approvers approve: the chair, then the police area chief.
    for username in ("ordforande", "lpo-chef"):
        approver = _staff_page(browser, base, username)
        approver.goto(followup_url)
        approver.get_by_role("button", name="Godkänn").click()
        expect(approver.get_by_role("button", name="Godkänn")).to_have_count(0)
        approver.context.close()
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.APPROVED
    assert followup.approvals.count() == 2

    # Published: the report is rendered by the task worker, off the request path.
    coordinator.reload()
    coordinator.get_by_role("button", name="Publicera").click()
    expect(coordinator.get_by_text("Rapporten förbereds.")).to_be_visible()
    _run_task_worker()
    followup.refresh_from_db()
    assert followup.pdf_status == FollowUp.PdfStatus.READY, followup.pdf_error
    coordinator.context.close()

    # The chair downloads the frozen PDF from the public follow-up page.
    chair = _staff_page(browser, base, "ordforande")
    chair.goto(base + "/loften/eskilstuna-2018/uppfoljningar/2018-t1/")
    expect(chair.locator("main")).to_contain_text(followup.pdf_sha256)
    link = chair.get_by_role("link", name="Rapport (PDF)").first
    response = chair.context.request.get(base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == followup.pdf_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "E2E-sammanfattning: arbetet går enligt plan." in text
    for commitment in promise.commitments.all():
        assert commitment.text[:60] in " ".join(text.split())
    assert "Sida 1 av" in text
    chair.context.close()
