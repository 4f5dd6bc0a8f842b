"""A village officer drafts a plan and takes it through the council and the notice; the town pays.

The set-up is fupin/web/tests/browser.py's; run alone with
`.venv/bin/pytest -m browser -p no:cacheprovider fupin/distribution/tests/test_browser.py`.
"""

import pytest

from fupin.distribution.models import DistributionPlan
from fupin.policy.services import policy_seed_defaults
from fupin.web.testing import BROWSER_TEST, SCREENSHOTS, nav_go

pytestmark = BROWSER_TEST


@pytest.fixture
def seeded(transactional_db):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()


def login(browser, live_server, user):
    page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_plan_from_draft_to_payment(live_server, browser, seeded, village):
    page = login(browser, live_server, village.village_officer)
    nav_go(page, "项目资金", "收益分配")
    page.click("#draft-form >> xpath=.. >> summary")
    page.fill("#id_year", "2020")
    page.fill("#id_amount", "10000")
    page.click("#draft-form button")
    page.wait_for_selector("#plan-status[data-status=draft]")
    assert page.locator("#lines tr[data-household=HA1] td.fw-semibold").inner_text() == "3,956.75"
    page.select_option("#id_resolution_id", str(village.resolution.pk))
    page.click("#resolve-form button")
    page.wait_for_selector("#plan-status[data-status=resolved]")
    page.fill("#id_started_on", "2021-03-02")
    page.click("#notice-form button")
    page.wait_for_selector("#plan-status[data-status=noticed]")
    assert page.locator("#effect-form").count() == 0  # the town puts it in effect
    plan = DistributionPlan.objects.get()

    page = login(browser, live_server, village.town_officer)
    page.goto(f"{live_server.url}/distribution/{plan.pk}/")
    page.fill("#id_on", "2021-03-09")
    page.click("#effect-form button")
    page.wait_for_selector("#plan-status[data-status=effective]")
    page.check("#lines tr[data-household=HA2] input[type=checkbox]")
    page.fill("#id_paid_on", "2021-03-10")
    page.fill("#id_voucher_no", "付-1")
    page.click("#pay-form button")
    page.wait_for_selector("#lines tr[data-household=HA2] >> text=付-1")
    assert page.locator("#plan-status").get_attribute("data-status") == "effective"
    page.fill("#id_paid_on", "2021-03-11")
    page.fill("#id_voucher_no", "付-2")
    page.click("#pay-form button")
    page.wait_for_selector("#plan-status[data-status=paid]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "distribution-plan.png"), full_page=True)

    page.click("text=村扶贫基金台账")
    assert page.locator("#balance").inner_text() == "1,000.00"
    page.goto(f"{live_server.url}/households/HA1/")
    assert page.locator("#distributions tr[data-year='2020']").inner_text().count("3,956.75") == 1
