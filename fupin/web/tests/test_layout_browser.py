"""Layout in real Chromium at 1,366 px: the menu on one line in English, the language box and the
policy table not cut; the funds pages, the policy page and (on a 390 px phone) the household file
no wider than the window, and amounts grouped by thousands."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from fupin.accounts.tests.factories import UserFactory
from fupin.assistance.services import measure_add, plan_require
from fupin.funds.services import allocation_add, disbursement_add, loan_add
from fupin.funds.tests.factories import FundSourceFactory
from fupin.policy.services import policy_seed_defaults, policy_set
from fupin.projects.services import beneficiaries_add
from fupin.projects.tests.factories import project_in
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory
from fupin.web.testing import BROWSER_TEST, PHONE

pytestmark = BROWSER_TEST

# A bar of one line is about 56 px high (a link's line and the bar's padding); two lines are 80.
ONE_LINE = 64


@pytest.fixture
def city_admin(transactional_db, regions):
    # The city administrator has every menu, and a long display name.
    return UserFactory(
        username="city_menu",
        role="city_admin",
        region=regions.city,
        display_name="枣庄市扶贫办管理员",
    )


def _logged_in(browser, live_server, language: str = "zh-hans"):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "city_menu")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_menu_keeps_one_line_at_1366(live_server, browser, city_admin, language):
    context, page = _logged_in(browser, live_server, language)
    assert page.locator("html").get_attribute("lang") == language

    assert page.locator("nav.fupin-navbar").bounding_box()["height"] <= ONE_LINE
    tops = {
        round(box["y"])
        for box in map(lambda el: el.bounding_box(), page.locator("#nav > ul > li").all())
    }
    assert len(tops) == 1, tops  # every menu on the same row
    # The language box shows its whole label ("English", not "Englis" cut by the arrow).
    select = page.locator(".fupin-language select")
    assert select.evaluate("el => el.scrollWidth <= el.clientWidth")
    label = select.evaluate("el => el.options[el.selectedIndex].text")
    assert label == ("English" if language == "en" else "简体中文")
    box = select.bounding_box()
    text_width = select.evaluate(
        """el => { const c = document.createElement('canvas').getContext('2d');
                   c.font = getComputedStyle(el).font;
                   return c.measureText(el.options[el.selectedIndex].text).width; }"""
    )
    assert box["width"] >= text_width + 24  # the text, and room for the arrow beside it
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    context.close()


def test_policy_table_shows_whole_dates_at_1366(live_server, browser, city_admin):
    policy_seed_defaults()
    context, page = _logged_in(browser, live_server)
    page.goto(f"{live_server.url}/policy/?on=2020-06-30")
    table = page.locator("#policy-in-force")
    assert table.locator("tr[data-key]").count() > 20
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    # Each date of the table is whole: no cell is cut by the table's frame ("2016-01-0").
    frame = table.evaluate("t => t.parentElement.getBoundingClientRect().right")
    rights = table.evaluate(
        "t => [...t.querySelectorAll('tr[data-key] td')].map(td => td.getBoundingClientRect().right)"
    )
    assert max(rights) <= frame + 1
    context.close()


LAPTOP = {"width": 1366, "height": 768}
HUGE = Decimal("100023001.00")


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def big_funds(city_admin, regions):
    # Large sources of every kind over several years, in the county and its towns, each partly
    # allocated to a project and paid: every column of the funds tables has a long amount.
    county = UserFactory(role="county_officer", region=regions.county)
    projects = {
        town: project_in(village, "building", total_investment=Decimal("900000000.00"))
        for town, village in (
            (regions.town_a, regions.village_a),
            (regions.town_b, regions.village_b),
        )
    }
    projects[regions.county] = projects[regions.town_a]
    kinds = ["special", "integrated", "microcredit", "donation", "other"]
    for n, kind in enumerate(kinds):
        for year in (2019, 2020, 2021):
            for region in (regions.county, regions.town_a, regions.town_b):
                source = FundSourceFactory(
                    kind=kind,
                    level="central" if kind == "special" else "",
                    year=year,
                    region=region,
                    amount=HUGE + n,
                )
                allocation = allocation_add(
                    source_id=source.pk,
                    project_id=projects[region].pk,
                    amount="54321987.65",
                    allocated_on=dt.date(year, 3, 1),
                    actor=county,
                )
                disbursement_add(
                    allocation_id=allocation.pk,
                    amount="12345678.91",
                    voucher_no=f"记-{year}-{n}-{region.code[-6:]}",
                    paid_on=dt.date(year, 4, 1),
                    actor=county,
                )
    return projects


@pytest.mark.parametrize(
    "path", ["/funds/", "/funds/sources/", "/funds/allocations/", "/funds/loans/"]
)
def test_funds_pages_are_no_wider_than_a_laptop(live_server, browser, big_funds, path):
    context, page = _logged_in(browser, live_server)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}{path}")
    assert _page_width(page) <= LAPTOP["width"]
    context.close()


def test_the_balances_tables_do_not_overlap(live_server, browser, big_funds):
    context, page = _logged_in(browser, live_server)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/funds/")
    # Each table keeps within its frame (the frame may scroll), and no two tables share a row.
    for table in ("#balances", "#by-year", "#by-kind"):
        box = page.locator(table).evaluate(
            "t => { const f = t.parentElement.getBoundingClientRect();"
            " return {left: f.left, right: f.right, top: f.top, bottom: f.bottom,"
            " scrolls: getComputedStyle(t.parentElement).overflowX === 'auto'}; }"
        )
        assert box["scrolls"], table
        assert box["right"] <= LAPTOP["width"], table
    year = page.locator("#by-year").bounding_box()
    kind = page.locator("#by-kind").bounding_box()
    assert kind["y"] >= year["y"] + year["height"]
    # The headline is in 万元, the tables exact.
    assert (
        page.locator('#figures-total [data-tile="amount"] [data-wan]').inner_text().endswith("万元")
    )
    context.close()


def test_a_large_amount_is_grouped_by_thousands(live_server, browser, big_funds, regions):
    context, page = _logged_in(browser, live_server)
    page.goto(f"{live_server.url}/funds/sources/?region={regions.county.code}&kind=special")
    cells = page.locator("#sources tbody td.text-end").all_inner_texts()
    assert "100,023,001.00" in cells
    assert "100023001.00" not in page.content()
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_policy_page_is_no_wider_than_a_laptop(
    live_server, browser, city_admin, regions, language
):
    policy_seed_defaults()
    # A local value whose source is a long address: one word that must break to fit.
    policy_set(
        key="poverty.line",
        value="4500",
        region_code=regions.county.code,
        valid_from=dt.date(2020, 1, 1),
        reason="根据滕州市人民政府办公室关于调整农村居民最低生活保障标准的通知执行，请各镇街遵照执行",
        source="https://www.tengzhou.gov.cn/art/2020/3/1/art_1234567_89012345.html",
        actor=None,
    )
    context, page = _logged_in(browser, live_server, language)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/policy/?on=2020-06-30")
    assert page.locator("#policy-in-force tr[data-key]").count() > 20
    assert _page_width(page) <= LAPTOP["width"]
    # Neither table needs its scroll bar at this width: the unit and the sources wrap.
    for table in ("#policy-in-force", "#policy-history"):
        frame = page.locator(table).evaluate(
            "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"
        )
        assert frame[0] <= frame[1], (table, frame)
    context.close()


@pytest.fixture
def full_household(transactional_db, regions):
    # A household with a page of everything: members, incomes, a project, a loan and measures.
    policy_seed_defaults()
    home = HouseholdFactory(
        village=regions.village_a,
        household_no="3704811012010099",
        poverty_status="not_lifted",
        household_type="dibao",
        main_cause="illness",
    )
    PersonFactory(household=home, name="欧阳建国", relation="head", phone="13812345678")
    PersonFactory(household=home, name="李秀英", relation="spouse", health="chronic")
    PersonFactory(household=home, name="欧阳小明", relation="son", schooling="junior")
    for year in (2019, 2020, 2021):
        IncomeFactory(
            household=home, year=year, wage=123456.78, business=23456.78, transfer=3456.78
        )
    officer = UserFactory(username="town_file", role="town_officer", region=regions.town_a)
    village = UserFactory(role="village_officer", region=regions.village_a)
    project = project_in(regions.village_a, "operating", name="洪村蔬菜大棚及冷链仓储项目")
    beneficiaries_add(
        project=project, year=2021, households=[(home.household_no, 3)], actor=village
    )
    loan_add(
        household_no=home.household_no,
        bank="中国农业银行滕州市支行",
        amount="50000.00",
        start_date=dt.date(2021, 3, 1),
        term_months=36,
        rate="0.0435",
        actor=officer,
    )
    plan = plan_require(household=home, due_date=dt.date(2021, 12, 31))
    measure_add(
        plan=plan,
        actor=officer,
        category="industry",
        description="发展庭院经济，种植大棚蔬菜",
        amount=Decimal("12345.67"),
        start_date=dt.date(2021, 4, 1),
        end_date=dt.date(2021, 12, 31),
        responsible_name="张责任",
    )
    return home


def test_the_household_file_is_no_wider_than_a_phone(live_server, browser, full_household):
    page = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "town_file")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/households/{full_household.household_no}/")
    for section in ("#members", "#incomes", "#household-projects", "#household-loans", "#measures"):
        assert page.locator(section).count() == 1, section
    assert _page_width(page) <= PHONE["width"]
    assert "123,456.78" in page.locator("#incomes").inner_text()
    page.close()
