"""A town officer screens a project and a county officer reads the review chart (real Chromium)."""

import datetime as dt

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.policy.services import policy_seed_defaults
from fupin.projects.models import Project, ProjectMove
from fupin.projects.services import review_run
from fupin.projects.tests.factories import project_in
from fupin.web.testing import BROWSER_TEST, SCREENSHOTS, nav_go

pytestmark = BROWSER_TEST


@pytest.fixture
def projects(transactional_db, regions):
    policy_seed_defaults()
    proposed = project_in(regions.village_a, "proposed", name="洪村光伏电站")
    project_in(regions.village_a, "operating", name="洪村蔬菜大棚")
    UserFactory(username="town_a", role="town_officer", region=regions.town_a)
    county = UserFactory(username="county", role="county_officer", region=regions.county)
    review = review_run(
        region_code=regions.county.code, year=2024, actor=county, today=dt.date(2025, 1, 10)
    )
    return proposed, review


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_a_town_officer_screens_and_the_county_reads_the_review(live_server, browser, projects):
    proposed, review = projects
    page = browser.new_page(locale="zh-CN")
    _login(page, live_server.url, "town_a")
    nav_go(page, "项目资金", "项目资产")
    page.click(f"text={proposed.code}")
    form = page.locator("form[data-move=screened]")
    form.locator("textarea[name=opinion]").fill("带贫机制明确，符合条件")
    form.locator("button").click()
    page.wait_for_selector(".project-status-screened")
    assert Project.objects.get(pk=proposed.pk).status == "screened"
    assert ProjectMove.objects.filter(project=proposed, to_status="screened").count() == 1
    assert page.locator("form[data-move]").count() == 0  # appraisal is the county's
    page.close()

    page = browser.new_page(locale="zh-CN")
    _login(page, live_server.url, "county")
    page.goto(f"{live_server.url}/projects/reviews/{review.pk}/")
    assert page.locator("#review-chart g[data-verdict=idle] rect").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "project_review.png"), full_page=True)
    page.close()
