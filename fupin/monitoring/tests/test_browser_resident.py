"""A resident on a phone (390×844, real Chromium): declares, sees the grouped code and its QR code,
types the code in lower case without the dash on /track; a villager opens the notice's QR link and
objects once (issue 10, defects 6 and 7)."""

import re

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.models import Declaration, Objection
from fupin.monitoring.notice import notice_token
from fupin.monitoring.services import case_advance, case_open
from fupin.monitoring.tests.test_browser import fill_declaration, pick_village, shot
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number
from fupin.web.testing import BROWSER_TEST, PHONE

pytestmark = BROWSER_TEST


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield context
    context.close()


@pytest.fixture
def world(transactional_db, regions):
    policy_seed_defaults()
    return regions


def test_a_resident_declares_and_tracks_the_code_typed_any_way(live_server, phone, world):
    page = phone.new_page()
    page.goto(f"{live_server.url}/declare/")
    pick_village(page, world)
    fill_declaration(page, name="孙小梅", number=id_number(5151))
    page.click("#submit")

    page.wait_for_selector("#done:not(.d-none)")
    shown = page.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", shown), shown
    declaration = Declaration.objects.get(name="孙小梅")
    assert declaration.tracking_code == shown.replace("-", "")
    # The QR code of the progress link is on the confirmation screen, big enough to scan.
    qr = page.locator("#tracking-qr svg")
    assert qr.get_attribute("data-qr") == f"{live_server.url}/track/?code={shown}"
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "declare_done_qr_mobile.png")

    page.goto(f"{live_server.url}/track/")
    page.fill("#t-code", f"  {shown.replace('-', '').lower()} ")
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#track-result")
    assert page.get_attribute("#track-result", "data-status") == "open"
    assert "入户核查" in page.inner_text("#track-result [data-field=stage]")
    assert shown in page.inner_text("#track-result")
    shot(page, "track_lower_case_mobile.png")


def test_a_villager_objects_once_from_the_notices_qr_link(live_server, phone, world):
    officer = UserFactory(role="village_officer", region=world.village_a)
    home = HouseholdFactory(village=world.village_a)
    PersonFactory(household=home, name="王建国", relation="head", phone="13912345678")
    case, _ = case_open(
        kind="identification", route="cadre", village=world.village_a, household=home
    )
    for stage, data in (
        ("verify", {"verifiers": ["甲", "乙"], "findings": "属实", "commitment_signed": True}),
        ("compare", {"findings": "一致"}),
        (
            "appraise",
            {
                "date": timezone.localdate().isoformat(),
                "representatives": 9,
                "votes_for": 8,
                "votes_against": 1,
                "minutes": "同意",
            },
        ),
    ):
        case_advance(case_id=case.pk, actor=officer, seen_stage=stage, decision="pass", data=data)
    world.village_a.contact = "0632-5512345"
    world.village_a.save()

    # The officer prints the notice; its QR code holds the public page's address.
    desk = phone.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sheet = desk.new_page()
    sheet.goto(f"{live_server.url}/login/")
    sheet.fill("#id_username", officer.username)
    sheet.fill("#id_password", "Correct-Horse-9")
    sheet.click("button[type=submit]")
    sheet.goto(f"{live_server.url}/cases/{case.pk}/notice/")
    sheet.emulate_media(media="print")
    text = sheet.inner_text("#notice-objections")
    assert "0632-5512345" in text and "12317" in text and "含当日" in text
    assert "/api/v1" not in sheet.content()
    link = sheet.get_attribute("#notice-qr svg", "data-qr")
    assert link == f"{live_server.url}/notice/{case.pk}/{notice_token(case.pk)}/"
    shot(sheet, "notice_sheet_qr_print.png")
    desk.close()

    # A villager scans it on a phone: the notice, and a short form.
    page = phone.new_page()
    page.goto(link)
    assert "王建国" in page.inner_text("#notice-row")
    assert "13912345678" not in page.content()
    assert page.get_attribute("#id_text", "maxlength") == "500"
    page.fill("#id_text", "他家去年盖了新房，收入不低")
    page.fill("#id_contact", "13700001111")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "notice_public_form_mobile.png")
    sent_form = page.evaluate(
        "() => Array.from(new FormData(document.getElementById('objection-form')).entries())"
    )
    page.click("#objection-submit")
    page.wait_for_selector("#objection-sent")
    shot(page, "notice_public_sent_mobile.png")

    # A resend of the same form (a double tap, a retry on a weak signal) records nothing more.
    status = page.evaluate(
        """async (entries) => {
            const body = new URLSearchParams(entries);
            const r = await fetch(location.pathname, {method: "POST", body, redirect: "manual"});
            return r.type === "opaqueredirect" ? 302 : r.status;
        }""",
        sent_form,
    )
    assert status == 302
    objections = list(Objection.objects.filter(case=case))
    assert [(o.text, o.contact) for o in objections] == [
        ("他家去年盖了新房，收入不低", "13700001111")
    ]
