"""A real browser logs in and opens a household file (Playwright driving Debian's Chromium)."""

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.core.masking import mask_id_number
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory
from fupin.web.testing import BROWSER_TEST, SCREENSHOTS

pytestmark = BROWSER_TEST


@pytest.fixture
def household(transactional_db, regions):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    home = HouseholdFactory(
        village=regions.village_a,
        household_no="3704811012010001",
        poverty_status="lifted",
        policy_support=True,
        household_type="dibao",
        main_cause="illness",
    )
    head = PersonFactory(
        household=home,
        name="王建国",
        relation="head",
        phone="13812345678",
        health="chronic",
        labor_ability="ordinary",
    )
    PersonFactory(household=home, name="李秀英", relation="spouse", health="healthy")
    PersonFactory(household=home, name="王小明", relation="son", schooling="junior")
    IncomeFactory(household=home, year=2019, wage=1500, business=1000, transfer=800)
    IncomeFactory(household=home, year=2020, wage=12000, business=3000, transfer=1200)
    UserFactory(username="town_a", role="town_officer", region=regions.town_a)
    return head


def test_officer_logs_in_and_opens_a_household_file(live_server, browser, household):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "town_a")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-category=lifted_supported] .fs-3").inner_text() == "1"

    page.click("nav >> text=农户档案")
    page.wait_for_selector("#household-table")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "household_list.png"), full_page=True)
    page.click("a:has-text('3704811012010001')")
    page.wait_for_selector("#members")

    members = page.locator("#members").inner_text()
    assert "王建国" in members
    assert mask_id_number(household.id_number) in members
    assert household.id_number not in page.content()
    assert page.locator("#incomes tr[data-below-line]").count() == 1

    page.screenshot(path=str(SCREENSHOTS / "household_file.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "household_file_mobile.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The full number appears only after the officer asks for it (and the request is logged).
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"tr[data-person='{household.pk}'] button:has-text('显示完整证件号')").click()
    page.wait_for_selector("[data-revealed]")
    assert page.locator("[data-revealed]").inner_text() == household.id_number
    page.close()
