"""Layout in real Chromium at 1,366 px: the menu on one line in English, the language box and the
policy table not cut."""

import pytest
from django.conf import settings

from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import UserFactory
from fupin.web.tests.browser import BROWSER_TEST

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
