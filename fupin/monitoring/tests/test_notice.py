"""The village public notice (公示) says how a person objects, and its QR code leads to a public
page with a short form that is taken once (issue 10, defect 6)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.core.masking import mask_id_number
from fupin.monitoring.models import Case, Objection
from fupin.monitoring.notice import notice_token
from fupin.monitoring.services import OBJECTION_MAX_CHARS, case_advance, case_open, objection_lodge
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.qr import qr_svg

pytestmark = pytest.mark.django_db

STAGES = (
    ("verify", {"verifiers": ["李村干", "王专干"], "findings": "属实", "commitment_signed": True}),
    ("compare", {"findings": "一致"}),
    ("appraise", {"representatives": 9, "votes_for": 8, "votes_against": 1, "minutes": "同意"}),
)


def case_at_notice(regions, officer, *, name="赵六", phone="13812345678") -> Case:
    household = HouseholdFactory(village=regions.village_a)
    PersonFactory(household=household, name=name, relation="head", phone=phone)
    case, _opened = case_open(
        kind="identification",
        route="cadre",
        village=regions.village_a,
        household=household,
        risk_types=["illness"],
    )
    for stage, data in STAGES:
        if stage == "appraise":
            data = {**data, "date": timezone.localdate().isoformat()}
        case = case_advance(
            case_id=case.pk, actor=officer, seen_stage=stage, decision="pass", data=data
        )
    assert case.stage == "notice"
    return case


@pytest.fixture
def officer(regions):
    return UserFactory(role="village_officer", region=regions.village_a)


def public_url(case) -> str:
    return reverse("monitoring:notice_public", args=[case.pk, notice_token(case.pk)])


def sheet(client, officer, case):
    client.force_login(officer)
    response = client.get(reverse("monitoring:notice_sheet", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The printed sheet -------------------------------------------------------------------------------


def test_the_sheet_says_how_to_object_with_contact_hotline_deadline_and_qr(
    client, regions, officer
):
    regions.village_a.contact = "0632-5512345（王主任）"
    regions.village_a.save()
    policy_set(
        key="monitoring.notice_days",
        value="7",
        region_code=None,
        valid_from=dt.date(2020, 1, 1),
        reason="测试",
    )
    case = case_at_notice(regions, officer)
    body = sheet(client, officer, case)
    assert "/api/v1/" not in body and "POST" not in body
    assert "0632-5512345（王主任）" in body
    assert "12317" in body
    last = case.notice_started_on + dt.timedelta(days=6)
    assert f"{last.year}年{last.month}月{last.day}日（含当日）前提出" in body
    # The QR code is the public page's address, drawn inline so that it prints.
    url = f"http://testserver{public_url(case)}"
    assert str(qr_svg(url, size="32mm", title="扫码提出异议")) in body
    assert re.search(r'<svg role="img"[^>]*data-qr="' + re.escape(url) + '"', body)


def test_the_sheet_takes_the_towns_contact_or_leaves_a_line_to_write_on(client, regions, officer):
    case = case_at_notice(regions, officer)
    assert "data-contact-missing" in sheet(client, officer, case)
    regions.town_a.contact = "0632-5500000"
    regions.town_a.save()
    body = sheet(client, officer, case)
    assert "0632-5500000" in body and "data-contact-missing" not in body


# The public page ---------------------------------------------------------------------------------


def test_the_public_page_shows_only_what_the_notice_shows(regions, officer):
    case = case_at_notice(regions, officer, name="赵六", phone="13812345678")
    head = case.household.members.get()
    anonymous = Client()
    response = anonymous.get(public_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "赵六" in body and mask_id_number(head.id_number) in body and "洪村" in body
    assert head.id_number not in body and "13812345678" not in body
    assert "12317" in body and 'id="objection-form"' in body
    assert response["Cache-Control"] == "no-store"
    # A made-up signature, or another case's number with this one's, finds nothing.
    assert anonymous.get(f"/notice/{case.pk}/{'0' * 16}/").status_code == 404
    other = case_at_notice(regions, officer, name="钱七")
    assert anonymous.get(f"/notice/{other.pk}/{notice_token(case.pk)}/").status_code == 404


def test_an_objection_from_the_public_page_is_taken_once(regions, officer):
    case = case_at_notice(regions, officer)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(public_url(case)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "key": key, "text": "她家有人在外打工", "name": ""}
    first = browser.post(public_url(case), form)
    assert first.status_code == 302 and first["Location"].endswith("?sent=1")
    again = browser.post(public_url(case), form)  # the phone resends the same form
    assert again.status_code == 302
    assert Objection.objects.filter(case=case).count() == 1
    objection = Objection.objects.get(case=case)
    assert (objection.text, objection.idempotency_key, objection.client_address) == (
        "她家有人在外打工",
        key,
        "127.0.0.1",
    )
    assert 'id="objection-sent"' in browser.get(first["Location"]).content.decode()
    # Without the CSRF token (another site posting) nothing is taken.
    assert Client(enforce_csrf_checks=True).post(public_url(case), form).status_code == 403


def test_a_public_objection_is_capped_and_limited_per_address(regions, officer):
    case = case_at_notice(regions, officer)
    client = Client()
    url = public_url(case)
    too_long = client.post(url, {"key": "k-long", "text": "长" * (OBJECTION_MAX_CHARS + 1)})
    assert too_long.status_code == 422 and not Objection.objects.exists()
    with pytest.raises(Exception) as exc:
        objection_lodge(
            case_id=case.pk, text="长" * (OBJECTION_MAX_CHARS + 1), client_address="10.1.1.1"
        )
    assert exc.value.code == "invalid_input"
    policy_set(
        key="monitoring.objections_per_hour",
        value="2",
        region_code=None,
        valid_from=dt.date(2020, 1, 1),
        reason="测试",
    )
    for n in range(2):
        assert client.post(url, {"key": f"k-{n}", "text": f"异议{n}"}).status_code == 302
    refused = client.post(url, {"key": "k-3", "text": "异议3"})
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert Objection.objects.filter(case=case).count() == 2


def test_the_same_form_with_another_text_is_not_taken_as_the_first(regions, officer):
    case = case_at_notice(regions, officer)
    client = Client()
    url = public_url(case)
    assert client.post(url, {"key": "k-1", "text": "第一条"}).status_code == 302
    reused = client.post(url, {"key": "k-1", "text": "改过的内容"})
    assert reused.status_code == 409
    body = reused.content.decode()
    assert "已经提交过" in body and 'value="k-1"' not in body  # a fresh key for the new text
    assert list(Objection.objects.values_list("text", flat=True)) == ["第一条"]


def test_after_the_notice_the_public_page_shows_no_personal_data(regions, officer):
    case = case_at_notice(regions, officer, name="赵六")
    Case.objects.filter(pk=case.pk).update(
        notice_started_on=timezone.localdate() - dt.timedelta(days=30)
    )
    case_advance(case_id=case.pk, actor=officer, seen_stage="notice", decision="pass", data={})
    client = Client()
    response = client.get(public_url(case))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="notice-closed"' in body
    assert "赵六" not in body and 'id="objection-form"' not in body
    assert client.post(public_url(case), {"key": "late", "text": "迟到"}).status_code == 422
    assert not Objection.objects.exists()
