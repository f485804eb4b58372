"""Tyck till in the browser (issue 19): a citizen's feedback on a phone, the coordinator's
moderation, and the published reply a citizen then reads."""

import pytest
from playwright.sync_api import expect

from commitments.loading import load_promise_file
from followups.demo import FIXTURE, seed_accounts

from .conftest import PHONE, new_context
from .test_journeys import PASSWORD, _staff_page

pytestmark = pytest.mark.e2e


def test_feedback_goes_from_the_district_page_through_moderation_to_a_public_reply(
    browser, live_server
):
    promise = load_promise_file(FIXTURE)
    seed_accounts(PASSWORD)
    base = live_server.url

    citizen = new_context(browser, viewport=PHONE).new_page()
    citizen.goto(base + promise.get_absolute_url() + "omraden/skiftinge/")
    box = citizen.locator("section.feedback-box")
    expect(box.get_by_label("Var")).to_have_value(str(promise.districts.get(slug="skiftinge").pk))
    box.get_by_label("Ganska otrygg").check()
    box.get_by_label("Vad skulle göra det tryggare?").fill("Bättre belysning vid gångtunneln.")
    box.get_by_role("button", name="Skicka").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Tack för att du berättar")
    assert citizen.context.cookies() == []

    # Not public yet.
    citizen.goto(base + promise.get_absolute_url() + "tyck-till/")
    expect(citizen.get_by_text("Bättre belysning vid gångtunneln.")).to_have_count(0)

    coordinator = _staff_page(browser, base, "samordnare")
    coordinator.goto(base + f"/personal/loften/{promise.slug}/")
    coordinator.get_by_role("link", name="Synpunkter från invånare").click()
    item = coordinator.locator("article.feedback-item").filter(has_text="gångtunneln")
    expect(item.get_by_text("Ny")).to_be_visible()
    item.get_by_label("Ert svar, som publiceras med synpunkten").fill(
        "Kommunen byter belysningen i tunneln i höst."
    )
    item.get_by_role("button", name="Publicera med svaret").click()
    expect(
        coordinator.locator("article.feedback-item").filter(has_text="gångtunneln")
    ).to_contain_text("Publicerad")

    citizen.goto(base + promise.get_absolute_url() + "tyck-till/")
    reply = citizen.locator("article.feedback-item").filter(has_text="gångtunneln")
    expect(reply).to_contain_text("Kommunen byter belysningen i tunneln i höst.")
    expect(reply).to_contain_text("Skiftinge")
    assert citizen.context.cookies() == []
