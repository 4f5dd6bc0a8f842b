"""The household list's export and print in real Chromium: a town officer filters, exports the
households shown as Excel (a download) and the page prints without its controls."""

import pytest
from openpyxl import load_workbook

from fupin.accounts.tests.factories import UserFactory
from fupin.core.models import Event
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.testing import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def town(transactional_db, regions):
    for no, kind, village in (
        ("A1", "dibao", regions.village_a),
        ("A2", "general", regions.village_a),
        ("B1", "dibao", regions.village_b),
    ):
        PersonFactory(
            household=HouseholdFactory(household_no=no, household_type=kind, village=village),
            name=f"{no}户主",
            relation="head",
        )
    return UserFactory(username="town_a", role="town_officer", region=regions.town_a)


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_a_town_officer_filters_exports_and_prints_the_list(live_server, browser, town, tmp_path):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    _login(page, live_server.url, "town_a")
    page.goto(f"{live_server.url}/households/")
    assert page.locator("#household-table tr[data-household]").count() == 2  # town A's

    page.select_option("#id_household_type", "dibao")  # htmx swaps the results in
    page.wait_for_selector(
        "#household-export input[name=household_type][value=dibao]", state="attached"
    )
    assert page.locator("#household-table tr[data-household]").count() == 1
    with page.expect_download() as download_info:
        page.click("#export-button")
    download = download_info.value
    assert download.suggested_filename.startswith("农户档案-")
    assert download.suggested_filename.endswith(".xlsx")
    download.save_as(tmp_path / "export.xlsx")
    sheet = load_workbook(tmp_path / "export.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "户编号"
    assert [(row[0], row[3]) for row in rows[1:]] == [("A1", "A1户主")]
    assert "********" in rows[1][2]  # the ID number masked
    event = Event.objects.get(verb="registry.households_exported")
    assert event.data["filters"] == {"household_type": "dibao"} and not event.data["full_ids"]

    button = page.locator("#print-button")
    assert button.is_visible() and button.inner_text() == "打印"
    assert not page.locator("#print-note").is_visible()
    page.emulate_media(media="print")
    # Printed: the results and a line of the filters, no filter form or buttons.
    assert page.locator("#household-table").is_visible()
    assert not page.locator("#filters").is_visible() and not button.is_visible()
    note = page.locator("#print-note")
    assert note.is_visible() and "户属性：低保户" in note.inner_text()
    context.close()
