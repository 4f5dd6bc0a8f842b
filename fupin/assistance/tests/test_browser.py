"""A cadre on a phone-sized window makes a plan, adds a measure and starts it (real Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.assistance.models import Measure
from fupin.assistance.services import plan_require
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.testing import BROWSER_TEST, PHONE, SCREENSHOTS

pytestmark = BROWSER_TEST


@pytest.fixture
def overdue_household(transactional_db, regions):
    policy_seed_defaults()
    home = HouseholdFactory(
        village=regions.village_a, household_no="3704811012010007", poverty_status="not_lifted"
    )
    PersonFactory(household=home, name="王建国", relation="head")
    plan_require(household=home, due_date=timezone.localdate() - dt.timedelta(days=2))
    UserFactory(username="cadre_a", role="cadre", region=regions.village_a)
    return home


def test_a_cadre_adds_and_starts_a_measure_on_a_phone(live_server, browser, overdue_household):  # noqa: F811
    page = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/households/3704811012010007/")
    assert page.locator("#assistance-plan[data-overdue]").count() == 1
    page.click("#plan-edit")
    page.wait_for_selector("#plan-overdue")

    page.select_option("#id_category", "skills_training")
    page.fill("#id_trade", "电焊工")
    page.fill("#id_amount", "1200")
    page.click("#measure-add button[type=submit]")
    page.wait_for_selector("[data-measure]")
    assert page.locator("#plan-overdue").count() == 0
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("[data-measure] button:has-text('开始实施')")
    page.wait_for_selector("[data-measure] [data-status=in_progress]")
    assert Measure.objects.get().status == "in_progress"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assistance_plan_mobile.png"), full_page=True)
    page.close()
