"""A county officer drills down the towns' ranking to the households behind a figure, then closes it.

The set-up is fupin/web/tests/browser.py's; run alone with
`.venv/bin/pytest -m browser -p no:cacheprovider fupin/oversight/tests/test_browser.py`.
"""

import pytest

from fupin.oversight.models import Scorecard
from fupin.policy.services import policy_seed_defaults
from fupin.web.testing import BROWSER_TEST, SCREENSHOTS, nav_go

pytestmark = BROWSER_TEST


@pytest.fixture
def seeded(transactional_db):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()


def test_a_county_officer_drills_down_and_closes_the_period(live_server, browser, seeded, scenario):
    r = scenario.regions
    page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "county_officer")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    nav_go(page, "帮扶考核", "考核")
    page.fill("#id_start", "2025-01-01")
    page.fill("#id_end", "2025-12-31")
    page.click("#period button")
    rows = page.locator("#scorecard tbody tr")
    assert rows.nth(0).get_attribute("data-region") == r.town_b.code
    assert rows.nth(0).locator("[data-total]").inner_text() == "85.71"
    assert rows.nth(1).locator("[data-rank]").inner_text() == "2"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "oversight-county.png"), full_page=True)

    # A town's villages, then the households behind town A's pairing coverage.
    page.click(f"#scorecard tr[data-region='{r.town_a.code}'] >> text=洪绪镇")
    assert page.locator(f"#scorecard tr[data-region='{r.village_a.code}']").count() == 1
    page.go_back()
    page.click(f"#scorecard tr[data-region='{r.town_a.code}'] td[data-indicator='pairing'] a")
    assert page.locator("#records tr[data-household]").count() == 3
    assert page.locator(f"#records tr[data-household='{scenario.a4.household_no}']").count() == 1
    page.go_back()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close button")
    page.wait_for_selector("#status .badge.text-bg-success")
    assert page.locator("#close").count() == 0
    assert Scorecard.objects.get().closed_by == scenario.county
