"""A cadre records a visit on a phone-sized window, first without a signal (Playwright, Chromium).

The set-up is fupin/web/tests/browser.py's; run alone with
`.venv/bin/pytest -m browser -p no:cacheprovider fupin/pairing/tests/test_browser.py`.
"""

import datetime as dt

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.icons import icon_png
from fupin.pairing.models import Visit, VisitPhoto
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.testing import BROWSER_TEST, PHONE, SCREENSHOTS

pytestmark = BROWSER_TEST


@pytest.fixture
def field(transactional_db, regions):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    login = UserFactory(username="cadre_a", role="cadre", region=regions.town_a)
    cadre = CadreFactory(user=login, unit=AidUnitFactory(region=regions.county), name="钱干部")
    home = HouseholdFactory(village=regions.village_a, household_no="3704811012010001")
    PersonFactory(household=home, name="王建国", relation="head")
    PairingFactory(cadre=cadre, household=home, start_date=dt.date(2020, 1, 1))
    return home


def test_a_cadre_records_a_visit_on_the_phone_without_a_signal(live_server, browser, field):
    phone = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 35.084, "longitude": 117.165},
        permissions=["geolocation"],
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # My households: never visited since 2020, so overdue.
    page.goto(f"{live_server.url}/pairing/my/")
    row = page.locator('[data-household="3704811012010001"]')
    assert "王建国" in row.inner_text()
    assert row.locator("[data-overdue]").count() == 1
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # The visit is filled in and saved while the phone has no signal.
    row.locator("[data-visit]").click()
    page.click("#v-locate")
    page.wait_for_selector("#v-location:has-text('35.084')")
    page.fill("#v-found", "户主腿伤恢复，能下地")
    page.fill("#v-problems", "房屋漏雨")
    page.check("#v-solved")
    page.set_input_files(
        "#v-photos", files=[{"name": "house.png", "mimeType": "image/png", "buffer": icon_png(64)}]
    )
    phone.set_offline(True)
    page.click("#v-submit")
    page.wait_for_selector("#queue-status:not(.d-none)")
    page.wait_for_selector("[data-queued]")
    assert len(page.evaluate("window.fupinVisits.queued()")) == 1
    assert not Visit.objects.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "visit_queued_mobile.png"), full_page=True)

    # Back online: sent once, with its photo, and listed as sent.
    phone.set_offline(False)
    page.evaluate("window.fupinVisits.flush()")
    page.wait_for_selector("#recent-list li[data-visit-id]")
    page.wait_for_selector("#queue-status.d-none", state="attached")
    assert row.locator("[data-overdue]").count() == 0
    assert not page.is_visible("#overdue-count")
    visit = Visit.objects.get()
    assert (visit.household_id, visit.problems, visit.problems_solved) == (
        field.pk,
        "房屋漏雨",
        True,
    )
    assert round(float(visit.latitude), 3) == 35.084
    page.wait_for_function("window.fupinVisits.photos().then(p => p.length === 0)")
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    page.screenshot(path=str(SCREENSHOTS / "visit_sent_mobile.png"), full_page=True)

    # Opened again, the page lists the visit and the household is no longer overdue.
    page.reload()
    assert page.locator("#recent-list li[data-visit-id]").count() == 1
    assert row.locator("[data-last-visit]").inner_text() == visit.visited_on.isoformat()
    assert row.locator("[data-overdue]").count() == 0

    # Without a signal the page opens from the phone, its scripts working (web/offline.js too):
    # the browser's own HTTP cache is emptied first, so only the service worker's copies can serve.
    cdp = phone.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    cdp.detach()
    phone.set_offline(True)
    page.reload()
    page.wait_for_selector("#visit-form")
    page.wait_for_function("window.fupinVisits && window.fupinOffline")
    assert page.evaluate("window.fupinVisits.queued()") == []
    assert page.is_visible("#offline-banner")
    phone.close()


def test_the_cadres_recent_visits_are_newest_first_with_the_heads_name(live_server, browser, field):
    """Issue 10, defect 8: the list was in no order, showed household numbers and lost the visit
    just saved on reload."""
    from django.utils import timezone

    from fupin.pairing.services import visit_record

    cadre_login = field.pairings.get().cadre.user
    other = HouseholdFactory(village=field.village, household_no="3704811012010002")
    PersonFactory(household=other, name="李秀英", relation="head")
    PairingFactory(
        cadre=field.pairings.get().cadre, household=other, start_date=dt.date(2020, 1, 1)
    )
    # 25 earlier visits, recorded in an order that is not their dates' order.
    for n in range(25):
        visit_record(
            household=other,
            idempotency_key=f"earlier-{n}",
            actor=cadre_login,
            visited_at=timezone.make_aware(dt.datetime(2024, 1, 1 + (n * 7) % 25, 9, 0)),
            found=f"第{n}次",
        )
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pairing/my/")

    page.locator('[data-household="3704811012010001"] [data-visit]').click()
    page.fill("#v-found", "春耕备好了种子")
    page.click("#v-submit")
    page.wait_for_selector("#recent-list li[data-visit-id]:not([data-queued]) >> text=王建国")
    saved = Visit.objects.get(found="春耕备好了种子")
    first = page.locator("#recent-list li").first
    assert first.get_attribute("data-visit-id") == str(saved.pk)
    assert "王建国" in first.inner_text() and "3704811012010001" not in first.inner_text()

    for offline in (False, True):  # opened again, then without a signal from the kept copy
        if offline:
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            cdp = phone.new_cdp_session(page)
            cdp.send("Network.clearBrowserCache")
            cdp.detach()
            phone.set_offline(True)
        page.reload()
        rows = page.locator("#recent-list li[data-visit-id]")
        first = rows.first
        assert first.get_attribute("data-visit-id") == str(saved.pk)
        assert "王建国" in first.inner_text()
        assert timezone.localtime(saved.visited_at).strftime("%Y-%m-%d %H:%M") in (
            first.inner_text()
        )
        days = [text[:16] for text in rows.all_inner_texts()]
        assert days == sorted(days, reverse=True) and len(days) == 20
        assert "李秀英" in rows.nth(1).inner_text()
    phone.close()
