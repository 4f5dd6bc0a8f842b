"""A town finance officer pays out of an allocation and reads the three-assets ledger (Chromium).

Run alone with `.venv/bin/pytest -m browser -p no:cacheprovider fupin/funds/tests/test_browser.py`.
"""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.funds.models import Disbursement
from fupin.funds.services import allocation_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.policy.services import policy_seed_defaults
from fupin.web.testing import BROWSER_TEST, SCREENSHOTS, nav_go

pytestmark = BROWSER_TEST


@pytest.fixture
def books(transactional_db, regions):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    UserFactory(username="town_fin", role="town_officer", region=regions.town_a)
    county = UserFactory(role="county_officer", region=regions.county)
    source = FundSourceFactory(region=regions.county, amount=Decimal("100000.00"))
    project = ProjectFactory(region=regions.village_a, name="洪村蔬菜大棚", status="building")
    return allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount="60000.00",
        allocated_on=dt.date(2020, 3, 1),
        actor=county,
    )


def test_the_town_pays_with_a_voucher_and_the_ledger_shows_it(live_server, browser, books):
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "town_fin")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    nav_go(page, "项目资金", "资金资产")
    page.click("text=下达与拨付")
    page.click("#allocations a")
    # A payment above what is left is refused with the reason; the right one is recorded.
    page.fill("#amount", "60000.01")
    page.fill("#voucher_no", "记-2020-001")
    page.fill("#paid_on", "2020-04-01")
    page.click("#pay button")
    page.wait_for_selector(".alert-danger")
    assert "拨付金额超过已下达未拨付的金额" in page.inner_text(".alert-danger")
    assert not Disbursement.objects.exists()
    page.fill("#amount", "25000.00")
    page.click("#pay button")
    page.wait_for_selector("#disbursements td:has-text('记-2020-001')")
    assert Disbursement.objects.get().amount == Decimal("25000.00")
    # The ledger of the town for 2020: allocated 60,000.00, paid 25,000.00, all in progress.
    page.click("text=三资台账")
    page.goto(f"{page.url}?year=2020")
    row = page.locator('#ledger tr[data-region="370481101000"]').inner_text()
    assert "60,000.00" in row and "25,000.00" in row and "35,000.00" in row
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "three_assets_ledger.png"), full_page=True)
