"""Walk-throughs in Chromium: each route's case through all six stages, each stage by its own role.

The data is set up with factories and services; from there everything happens in the pages, as
the officers do it: the login form, the stage forms and their buttons. The village stages run in
a phone-sized window (PHONE), the town's and the county's on a desktop. Run alone with
`.venv/bin/pytest -m browser fupin/monitoring/tests/test_walkthrough.py`.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.assistance.services import measure_add, plan_require
from fupin.monitoring.models import Case
from fupin.monitoring.services import declaration_submit
from fupin.pairing.models import Pairing
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, UnitVillageFactory
from fupin.policy.services import policy_seed_defaults
from fupin.registry.models import Household, HouseholdIncome
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number
from fupin.web.testing import BROWSER_TEST, PHONE, SCREENSHOTS

pytestmark = BROWSER_TEST

PASSWORD = "Correct-Horse-9"
DESKTOP = {"width": 1366, "height": 900}


class Officers:
    """The login of each stage's role over village A, a cadre, and the unit paired with the village."""

    def __init__(self, regions):
        self.village = UserFactory(
            username="village_a",
            role="village_officer",
            region=regions.village_a,
            display_name="李专干",
        )
        self.village_2 = UserFactory(
            username="village_a2",
            role="village_officer",
            region=regions.village_a,
            display_name="王专干",
        )
        self.town = UserFactory(
            username="town_a", role="town_officer", region=regions.town_a, display_name="张镇干"
        )
        self.county = UserFactory(
            username="county", role="county_officer", region=regions.county, display_name="刘县干"
        )
        self.cadre_login = UserFactory(
            username="cadre_a", role="cadre", region=regions.village_a, display_name="钱干部"
        )
        unit = AidUnitFactory(region=regions.county, name="县农业农村局")
        UnitVillageFactory(unit=unit, village=regions.village_a)
        self.cadre = CadreFactory(unit=unit, name="钱干部", user=self.cadre_login)


@pytest.fixture
def officers(transactional_db, regions):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    return Officers(regions)


@pytest.fixture
def sessions(browser, live_server):
    """Open a logged-in window for a user: `sessions("village_a", phone=True)`."""
    contexts = []

    def open_as(username: str, *, phone: bool = False):
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN",
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.base = live_server.url
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def open_case(page, case_id: int) -> None:
    page.goto(f"{page.base}/cases/{case_id}/")
    page.wait_for_selector("#case-status")


def decide(page, decision: str, next_stage: str | None) -> None:
    """Press a decision button and wait for the case page after it."""
    page.click(f"#stage-form button[data-decision={decision}]")
    if next_stage is None:
        page.wait_for_selector("#case-status[data-status=approved]")
    else:
        page.wait_for_selector(f"#case-stage[data-stage={next_stage}]")


def assert_fits(page) -> None:
    """The page is no wider than the window (nothing to scroll sideways on a phone)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


# A code of the program shown as text (`town_review`, `invalid_input`); labels are shown instead.
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def assert_labels_only(page) -> None:
    """The case page shows labels, not the codes behind them."""
    assert RAW_CODE.findall(page.inner_text("main")) == []


def village_stages(page, case_id: int, *, name: str, compare_text: str = "与民政、医保数据一致"):
    """Home check, comparison, appraisal and notice, as the village officer on a phone."""
    open_case(page, case_id)
    assert page.get_attribute("#case-stage", "data-stage") == "verify"
    page.fill("#id_verifiers", "李村干、王专干")
    page.fill("#id_findings", f"{name}家因病支出大，情况属实")
    page.check("#id_commitment_signed")
    assert_fits(page)
    decide(page, "pass", "compare")

    page.fill("#id_findings", compare_text)
    decide(page, "pass", "appraise")
    assert compare_text in page.inner_text("[data-record=compare]")

    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_representatives", "21")
    page.fill("#id_votes_for", "18")
    page.fill("#id_votes_against", "3")
    page.fill("#id_minutes", "同意纳入监测")
    decide(page, "pass", "notice")
    assert page.is_visible("#notice-info")
    assert_fits(page)
    shot(page, f"walk_{case_id}_notice_mobile.png")
    # The notice's days pass (the only thing not done in the page).
    Case.objects.filter(pk=case_id).update(
        notice_started_on=timezone.localdate() - dt.timedelta(days=30)
    )
    page.reload()
    decide(page, "pass", "town_review")
    assert "乡镇扶贫专干" in page.inner_text("#waiting-for") or page.is_visible("#waiting-for")


def town_and_county(town, county, case_id: int, *, monitoring_type: str = "edge") -> None:
    open_case(town, case_id)
    town.fill("#id_opinion", "经审核，同意上报县级审定")
    decide(town, "pass", "county_decide")

    open_case(county, case_id)
    county.select_option("#id_monitoring_type", monitoring_type)
    county.check("input[name=risk_types][value=illness]")
    decide(county, "pass", None)
    assert county.is_visible("#plan-due-date")
    assert_labels_only(county)


def household_file_shows_cadre_and_plan(page, household_no: str) -> None:
    page.goto(f"{page.base}/households/{household_no}/")
    page.wait_for_selector("#household-cadres")
    assert "钱干部" in page.inner_text("#household-cadres")
    plan = page.inner_text("#assistance-plan")
    assert "钱干部" in page.inner_text("#plan-responsible")
    assert page.is_visible("#plan-due"), plan


def test_a_self_declared_case_through_every_stage(officers, regions, sessions):
    declaration, _ = declaration_submit(
        idempotency_key="walk-1",
        name="周大山",
        id_number=id_number(4242),
        phone="13700000001",
        village_code=regions.village_a.code,
        household_size=3,
        risk_types=["illness"],
        description="丈夫住院，打工中断",
    )
    case_id = declaration.case_id

    village = sessions("village_a", phone=True)
    # The case is in the village officer's queue on the home page.
    assert village.locator(f"#queue [data-case='{case_id}']").count() == 1
    village_stages(village, case_id, name="周大山")

    town, county = sessions("town_a"), sessions("county")
    town_and_county(town, county, case_id)
    shot(county, "walk_declared_decided.png")

    case = Case.objects.get(pk=case_id)
    household = case.household
    assert (household.monitoring_type, household.risk_state) == ("edge", "open")
    assert Pairing.objects.active().get(household=household).cadre == officers.cadre
    household_file_shows_cadre_and_plan(county, household.household_no)
    shot(county, "walk_declared_household_file.png")


def test_a_cadre_found_case_through_every_stage(officers, regions, sessions):
    home = HouseholdFactory(
        village=regions.village_a, household_no="3704811012010007", poverty_status="lifted"
    )
    PersonFactory(household=home, name="王建国", relation="head")

    cadre = sessions("cadre_a", phone=True)
    cadre.goto(f"{cadre.base}/households/{home.household_no}/")
    cadre.click("#case-report")
    cadre.wait_for_selector("#finding-form")
    cadre.check("input[name=risk_types][value=unstable_employment]")
    cadre.fill("#id_description", "工厂停工，两个劳力都没了收入")
    assert_fits(cadre)
    cadre.click("#finding-form button[type=submit]")
    cadre.wait_for_selector("#case-stage[data-stage=verify]")
    case_id = int(cadre.url.rstrip("/").split("/")[-1])
    assert Case.objects.get(pk=case_id).route == "cadre"

    village = sessions("village_a", phone=True)
    village_stages(village, case_id, name="王建国")
    town, county = sessions("town_a"), sessions("county")
    town_and_county(town, county, case_id, monitoring_type="unstable")

    home.refresh_from_db()
    assert (home.monitoring_type, home.support_category) == ("unstable", "monitored")
    household_file_shows_cadre_and_plan(county, home.household_no)


def test_a_form_loaded_before_the_case_came_back_is_refused(officers, regions, sessions):
    declaration, _ = declaration_submit(
        idempotency_key="walk-stale",
        name="孙小梅",
        id_number=id_number(4343),
        phone="13700000002",
        village_code=regions.village_a.code,
        household_size=2,
        risk_types=["illness"],
    )
    case_id = declaration.case_id
    first = sessions("village_a", phone=True)
    open_case(first, case_id)
    first.fill("#id_verifiers", "李村干、王专干")
    first.fill("#id_findings", "属实")
    first.check("#id_commitment_signed")
    decide(first, "pass", "compare")

    # A second officer opens the comparison and leaves the page open.
    second = sessions("village_a2", phone=True)
    open_case(second, case_id)
    second.fill("#id_findings", "旧页面上的比对")

    # The first passes the comparison, then returns the case to it from the appraisal.
    first.fill("#id_findings", "一致")
    decide(first, "pass", "appraise")
    first.fill("#id_note", "比对数据有更新，重新比对")
    decide(first, "return", "compare")

    # The second's page shows `compare` too, but it was loaded before two moves: refused.
    second.click("#stage-form button[data-decision=pass]")
    second.wait_for_selector("[data-error-code=stale_stage]")
    assert "他人" in second.inner_text("[data-error-code=stale_stage]")
    assert_labels_only(second)
    case = Case.objects.get(pk=case_id)
    assert (case.stage, case.records["compare"]["findings"]) == ("compare", "一致")
    # The refreshed form carries the current version: passing it now works.
    second.fill("#id_findings", "重新比对，一致")
    decide(second, "pass", "appraise")
    assert Case.objects.get(pk=case_id).records["compare"]["findings"] == "重新比对，一致"


def test_an_exit_through_every_stage(officers, regions, sessions):
    today = timezone.localdate()
    home = HouseholdFactory(
        village=regions.village_a,
        household_no="3704811012010009",
        poverty_status="lifted",
        policy_support=True,
        monitoring_type="edge",
        risk_types=["illness"],
        risk_state="open",
        monitored_on=today - dt.timedelta(days=400),
    )
    PersonFactory(household=home, name="赵德厚", relation="head", labor_ability="ordinary")
    HouseholdIncome.objects.create(household=home, year=today.year - 1, size=1, wage=30000)
    plan = plan_require(household=home, due_date=today, actor=None)
    measure_add(
        plan=plan,
        actor=officers.village,
        category="employment",
        description="公益性岗位",
        start_date=today - dt.timedelta(days=300),
    )

    village = sessions("village_a", phone=True)
    village.goto(f"{village.base}/households/{home.household_no}/")
    village.click("#case-exit")
    village.wait_for_selector("#exit-form")
    village.select_option("#id_reason", "risk_eliminated")
    village.fill("#id_note", "务工收入稳定，风险已消除")
    village.click("#exit-form button[type=submit]")
    village.wait_for_selector("#case-stage[data-stage=verify]")
    case_id = int(village.url.rstrip("/").split("/")[-1])
    village_stages(village, case_id, name="赵德厚", compare_text="收入与社保数据一致")

    town, county = sessions("town_a"), sessions("county")
    open_case(town, case_id)
    town.fill("#id_opinion", "同意退出")
    decide(town, "pass", "county_decide")
    open_case(county, case_id)
    assert county.locator("#exit-conditions [data-met=false]").count() == 0
    assert county.input_value("#id_exit_reason") == "risk_eliminated"
    decide(county, "pass", None)
    assert_labels_only(county)

    home = Household.objects.get(pk=home.pk)
    assert (home.risk_state, home.risk_eliminated_on) == ("eliminated", today)
    assert home.support_category == "lifted_supported"
    county.goto(f"{county.base}/households/{home.household_no}/")
    county.wait_for_selector("#monitoring-cases")
    assert "风险已消除" in county.inner_text("main")
