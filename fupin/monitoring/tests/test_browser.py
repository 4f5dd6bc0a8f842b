"""A resident's phone declares without a signal, comes back online, and the server gets it once.

Playwright drives Debian's Chromium with the set-up of fupin/web/tests/browser.py.
"""

import datetime as dt

import pytest

from fupin.monitoring.icons import icon_png
from fupin.monitoring.models import Case, Declaration
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import id_number
from fupin.web.testing import BROWSER_TEST, PHONE, SCREENSHOTS

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
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    return regions


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def pick_village(page, regions) -> None:
    page.select_option("#region-6", regions.county.code)
    page.wait_for_selector("#region-9")
    page.select_option("#region-9", regions.town_a.code)
    page.wait_for_selector("#region-12")
    page.select_option("#region-12", regions.village_a.code)


def fill_declaration(page, *, name: str, number: str) -> None:
    page.fill("#f-name", name)
    page.fill("#f-id", number)
    page.fill("#f-phone", "13800000000")
    page.fill("#f-size", "4")
    page.click("label[for=risk-illness]")
    page.click("label[for=risk-unstable_employment]")
    page.fill("#f-description", "丈夫住院，打工中断")


def test_offline_declaration_is_sent_once_when_the_phone_is_back_online(live_server, phone, world):
    page = phone.new_page()
    page.goto(f"{live_server.url}/declare/")
    # The service worker keeps the app on the phone (pages, static files, region lists).
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    pick_village(page, world)
    shot(page, "declare_form_mobile.png")

    phone.set_offline(True)
    page.wait_for_selector("#offline-banner:not(.d-none)")
    fill_declaration(page, name="周大山", number=id_number(4242))
    page.set_input_files(
        "#f-photos", files=[{"name": "house.png", "mimeType": "image/png", "buffer": icon_png(64)}]
    )
    page.click("#submit")

    # Kept on the phone, not on the server.
    page.wait_for_selector("#queue-status:not(.d-none)")
    queued = page.evaluate("window.fupinDeclare.queued()")
    assert len(queued) == 1
    assert queued[0]["payload"]["village_code"] == world.village_a.code
    assert queued[0]["payload"]["risk_types"] == ["illness", "unstable_employment"]
    key = queued[0]["key"]
    assert Declaration.objects.count() == 0
    assert "有 1 份申报保存在这部手机上" in page.inner_text("#queue-status")
    shot(page, "declare_offline_queued_mobile.png")

    # The signal returns: the queue is sent by itself and the tracking code is shown.
    phone.set_offline(False)
    page.wait_for_selector("#done:not(.d-none)")
    shown = page.inner_text("#tracking-code").strip()
    code = shown.replace("-", "")
    declaration = Declaration.objects.get(name="周大山")
    assert declaration.tracking_code == code and shown == f"{code[:4]}-{code[4:]}"
    assert declaration.idempotency_key == key
    assert declaration.case.stage == "verify"
    assert page.evaluate("window.fupinDeclare.queued()") == []
    assert [c["code"] for c in page.evaluate("window.fupinDeclare.codes()")] == [code]
    shot(page, "declare_sent_mobile.png")
    # The photo kept on the phone follows its declaration, once, made smaller as a JPEG.
    page.wait_for_function("window.fupinDeclare.photos().then((p) => p.length === 0)")
    photos = list(declaration.photos.all())
    assert [(p.kind, p.content_type, p.case_id) for p in photos] == [
        ("photo", "image/jpeg", declaration.case_id)
    ]

    # Reloading sends nothing more; a retry of the same key (an answer lost on the way) neither.
    page.reload()
    page.wait_for_selector("#declare-form")
    page.wait_for_load_state("networkidle")
    status, again = page.evaluate(
        """async ([key, payload]) => {
            const r = await fetch("/api/v1/declarations", {method: "POST",
                headers: {"Content-Type": "application/json", "Idempotency-Key": key},
                body: JSON.stringify(payload)});
            return [r.status, (await r.json()).tracking_code];
        }""",
        [key, queued[0]["payload"]],
    )
    assert (status, again) == (200, code)
    assert Declaration.objects.filter(name="周大山").count() == 1
    assert Case.objects.filter(declarant_name="周大山").count() == 1
    assert declaration.photos.count() == 1

    # The progress page lists the code kept on the phone, with its stage.
    page.goto(f"{live_server.url}/track/")
    item = page.locator(f"[data-code='{code}']")
    page.wait_for_selector(f"[data-code='{code}'][data-state=open]")
    assert "入户核查" in item.inner_text()
    assert "正在办理" in item.inner_text()
    shot(page, "track_mobile.png")


def test_field_errors_are_shown_next_to_the_fields(live_server, phone, world):
    page = phone.new_page()
    page.goto(f"{live_server.url}/declare/")
    pick_village(page, world)

    # A typing mistake is caught on the phone, without asking the server.
    fill_declaration(page, name="钱七", number="360426199101010072")
    page.click("#submit")
    assert "有误" in page.inner_text("[data-error-for=id_number]")
    assert page.evaluate("window.fupinDeclare.queued()") == []

    # What only the server knows comes back as a 422 and lands next to its field.
    future = id_number(1, birth=dt.date.today() + dt.timedelta(days=400))
    page.fill("#f-id", future)
    page.click("#submit")
    page.wait_for_function(
        "document.querySelector('[data-error-for=id_number]').textContent.length > 0"
    )
    assert "出生日期" in page.inner_text("[data-error-for=id_number]")
    assert page.input_value("#f-name") == "钱七"
    assert page.evaluate("window.fupinDeclare.queued()") == []
    assert Declaration.objects.count() == 0
    shot(page, "declare_field_error_mobile.png")


def test_the_app_opens_without_a_signal_once_installed(live_server, phone, world):
    page = phone.new_page()
    page.goto(f"{live_server.url}/declare/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker
    pick_village(page, world)  # the region lists seen online are kept on the phone
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("caches.match('/declare/').then(r => !!r)")
    assert page.evaluate("caches.match('/static/monitoring/declare.js').then(r => !!r)")
    assert page.evaluate("caches.match('/static/web/offline.js').then(r => !!r)")
    manifest = page.evaluate("fetch('/declare/manifest.webmanifest').then(r => r.json())")
    assert manifest["start_url"] == "/declare/"

    # The browser's own HTTP cache is emptied, so only the service worker's copies can serve.
    cdp = phone.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    cdp.detach()
    phone.set_offline(True)
    page.reload()
    page.wait_for_selector("#declare-form")
    page.wait_for_selector("#region-6")
    pick_village(page, world)
    assert page.input_value("#f-village") == world.village_a.code


def test_village_officer_works_the_queue_on_a_phone(live_server, browser, world):
    from django.utils import timezone

    from fupin.accounts.tests.factories import UserFactory
    from fupin.monitoring.services import case_advance, case_open, objection_lodge
    from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

    UserFactory(username="village_a", role="village_officer", region=world.village_a)
    officer = UserFactory(username="village_a2", role="village_officer", region=world.village_a)
    home = HouseholdFactory(village=world.village_a, household_no="3704811012010001")
    PersonFactory(household=home, name="王建国", relation="head")
    case, _ = case_open(
        kind="identification", route="cadre", village=world.village_a, household=home
    )
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    at_notice, _ = case_open(
        kind="identification",
        route="cadre",
        village=world.village_a,
        declarant_name="李秀英",
        declarant_id_number=id_number(9),
        household_size=3,
        risk_types=["illness"],
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
        case_advance(
            case_id=at_notice.pk, actor=officer, seen_stage=stage, decision="pass", data=data
        )
    objection_lodge(case_id=at_notice.pk, text="她家收入不低", name="村民")

    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "village_a")
    page.fill("#id_password", "Correct-Horse-9")
    page.click("button[type=submit]")
    page.wait_for_selector("#queue")
    assert page.locator("#queue [data-case]").first.get_attribute("data-case") == str(case.pk)
    assert page.locator("#count-overdue [data-count]").inner_text() == "1"
    shot(page, "queue_mobile.png")

    page.click(f"#queue [data-case='{case.pk}']")
    page.wait_for_selector("#stage-form")
    page.fill("#id_verifiers", "李村干")
    page.fill("#id_findings", "因病支出大")
    page.click("button[data-decision=pass]")
    page.wait_for_selector("[data-field-error=verifiers]")
    shot(page, "case_verify_error_mobile.png")
    page.fill("#id_verifiers", "李村干、王专干")
    page.check("#id_commitment_signed")
    page.click("button[data-decision=pass]")
    page.wait_for_selector("#case-stage[data-stage=compare]")
    assert Case.objects.get(pk=case.pk).stage == "compare"

    page.goto(f"{live_server.url}/cases/")
    page.wait_for_selector("#case-table")
    shot(page, "case_list_mobile.png")
    page.check("#id_overdue")  # htmx swaps the results
    page.wait_for_function("document.querySelectorAll('#case-table [data-case]').length === 0")

    page.goto(f"{live_server.url}/cases/{at_notice.pk}/")
    page.wait_for_selector("#notice-info")
    shot(page, "case_notice_mobile.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "case_notice.png")
    page.goto(f"{live_server.url}/households/3704811012010001/")
    page.wait_for_selector("#monitoring-cases")
    shot(page, "household_file_cases.png")
    page.goto(f"{live_server.url}/cases/{at_notice.pk}/notice/")
    assert id_number(9) not in page.content()
    page.emulate_media(media="print")
    shot(page, "notice_sheet_print.png")
    context.close()
