"""Pages of monitoring: queues, the case page and its stage forms, the notice sheet, exit cases,
cadre findings, and the public self-declaration app."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.core.masking import mask_id_number
from fupin.monitoring import choices as c
from fupin.monitoring.models import Case, CaseStep, Objection
from fupin.monitoring.services import case_advance, case_open, objection_lodge
from fupin.policy.selectors import policy_get
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


class People:
    """An officer of each stage's role over village A, a cadre, and officers of village/town B."""

    def __init__(self, regions):
        self.regions = regions
        self.village = UserFactory(role="village_officer", region=regions.village_a)
        self.town = UserFactory(role="town_officer", region=regions.town_a)
        self.county = UserFactory(role="county_officer", region=regions.county)
        self.cadre = UserFactory(role="cadre", region=regions.village_a)
        self.auditor = UserFactory(role="auditor", region=regions.county)
        self.village_b = UserFactory(role="village_officer", region=regions.village_b)
        self.town_b = UserFactory(role="town_officer", region=regions.town_b)

    def owner(self, stage: str):
        role = c.STAGE_ROLE[c.Stage(stage)]
        return {"village_officer": self.village, "town_officer": self.town}.get(role, self.county)


@pytest.fixture
def people(regions):
    return People(regions)


def household_in(village, name="王一", **kwargs):
    household = HouseholdFactory(village=village, **kwargs)
    PersonFactory(household=household, name=name, relation="head", phone="13812345678")
    return household


def open_case(village, *, name="王一", kind="identification", **kwargs) -> Case:
    household = household_in(village, name=name, **kwargs)
    case, _opened = case_open(kind=kind, route="cadre", village=village, household=household)
    return case


PASS_DATA = {
    "verify": {"verifiers": ["李村干", "王专干"], "findings": "属实", "commitment_signed": True},
    "compare": {"findings": "一致"},
    "appraise": {
        "representatives": 21,
        "votes_for": 18,
        "votes_against": 3,
        "minutes": "同意",
    },
    "notice": {},
    "town_review": {"opinion": "同意"},
}


def advance_to(case: Case, stage: str, people: People) -> Case:
    """Pass the case's stages as their owners until it reaches `stage`."""
    while case.stage != stage:
        data = dict(PASS_DATA[case.stage])
        if case.stage == "appraise":
            data["date"] = timezone.localdate().isoformat()
        if case.stage == "notice":
            Case.objects.filter(pk=case.pk).update(
                notice_started_on=timezone.localdate() - dt.timedelta(days=30)
            )
        case = case_advance(
            case_id=case.pk,
            actor=people.owner(case.stage),
            seen_stage=case.stage,
            decision="pass",
            data=data,
        )
    return case


def make_overdue(case: Case, days: int = 3) -> None:
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - dt.timedelta(days=days))


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def case_url(case) -> str:
    return reverse("monitoring:case_detail", args=[case.pk])


def post_stage(client, user, case, stage, decision="pass", note="", **fields):
    """Post a stage form as the page would, with the case's current version unless one is given."""
    client.force_login(user)
    fields.setdefault("version", Case.objects.get(pk=case.pk).version)
    return client.post(
        case_url(case), {"stage": stage, "decision": decision, "note": note, **fields}
    )


# Work queue --------------------------------------------------------------------------------------


def test_home_queue_shows_only_the_roles_stages_in_scope_overdue_first(client, people, regions):
    fresh = open_case(regions.village_a, name="甲")
    late = open_case(regions.village_a, name="乙")
    make_overdue(late)
    at_town = advance_to(open_case(regions.village_a, name="丙"), "town_review", people)
    open_case(regions.village_b, name="丁")

    response = page(client, people.village, reverse("web:home"))
    rows = response.context["queue"]["rows"]
    assert [row.case.pk for row in rows] == [late.pk, fresh.pk]
    assert rows[0].overdue and not rows[1].overdue
    assert response.context["queue"]["counts"] == {"open": 3, "overdue": 1, "waiting": 2}
    body = response.content.decode()
    assert "乙" in body and "丁" not in body

    town_rows = page(client, people.town, reverse("web:home")).context["queue"]["rows"]
    assert [row.case.pk for row in town_rows] == [at_town.pk]
    assert page(client, people.town_b, reverse("web:home")).context["queue"]["rows"] == []


def test_home_has_no_queue_for_a_role_without_cases(client, regions):
    department = UserFactory(role="department", region=regions.county)
    response = page(client, department, reverse("web:home"))
    assert "queue" not in response.context  # the home page draws no queue panel
    assert 'id="case-queue"' not in response.content.decode()


def test_navigation_offers_the_case_list(client, people):
    body = page(client, people.village, reverse("web:home")).content.decode()
    assert reverse("monitoring:case_list") in body


# Case list ---------------------------------------------------------------------------------------


def _listed(client, user, **params) -> list[int]:
    response = page(client, user, reverse("monitoring:case_list"), **params)
    assert response.status_code == 200
    return [row.case.pk for row in response.context["rows"]]


def test_case_list_filters_within_scope(client, people, regions):
    a = open_case(regions.village_a)
    late = open_case(regions.village_a)
    make_overdue(late)
    at_compare = advance_to(open_case(regions.village_a), "compare", people)
    b = open_case(regions.village_b)
    exit_case = open_case(regions.village_a, kind="exit")

    assert set(_listed(client, people.town)) == {a.pk, late.pk, at_compare.pk, exit_case.pk}
    assert b.pk in _listed(client, people.county)
    assert _listed(client, people.county, stage="compare") == [at_compare.pk]
    assert _listed(client, people.county, overdue="1") == [late.pk]
    assert _listed(client, people.county, kind="exit") == [exit_case.pk]
    assert _listed(client, people.county, region=regions.town_b.code) == [b.pk]
    assert _listed(client, people.town, region=regions.town_b.code) == []


def test_case_list_htmx_gets_only_the_results(client, people, regions):
    open_case(regions.village_a)
    client.force_login(people.town)
    response = client.get(reverse("monitoring:case_list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="case-table"' in body


def test_department_cannot_open_the_case_list(client, regions):
    department = UserFactory(role="department", region=regions.county)
    assert page(client, department, reverse("monitoring:case_list")).status_code == 403


# The case page -----------------------------------------------------------------------------------


def test_case_page_shows_the_form_only_to_the_stage_owner(client, people, regions):
    case = open_case(regions.village_a, name="王五")
    owner = page(client, people.village, case_url(case))
    assert owner.status_code == 200
    assert 'id="stage-form"' in owner.content.decode()
    assert owner.context["stage_form"].__class__.__name__ == "VerifyForm"
    for user in (people.town, people.county, people.cadre, people.auditor):
        response = page(client, user, case_url(case))
        assert response.status_code == 200
        assert 'id="stage-form"' not in response.content.decode()
        assert 'id="waiting-for"' in response.content.decode()


def test_case_page_shows_the_whole_record(client, people, regions):
    case = advance_to(open_case(regions.village_a, name="王五"), "notice", people)
    objection = objection_lodge(case_id=case.pk, text="他家有车", name="邻居")
    body = page(client, people.county, case_url(case)).content.decode()
    head = case.household.members.get()
    assert mask_id_number(head.id_number) in body and head.id_number not in body
    for text in (
        "李村干、王专干",
        "一致",
        "18",
        "他家有车",
        "邻居",
        "王五",
        "入户核查",
        "民主评议",
    ):
        assert text in body
    assert f'data-objection="{objection.pk}"' in body
    steps = CaseStep.objects.filter(case=case).count()
    assert body.count("<tr data-decision=") == steps


def test_out_of_scope_case_pages_are_404(client, people, regions):
    case = advance_to(open_case(regions.village_a), "notice", people)
    client.force_login(people.village_b)
    assert client.get(case_url(case)).status_code == 404
    assert client.get(reverse("monitoring:notice_sheet", args=[case.pk])).status_code == 404
    response = client.post(case_url(case), {"stage": "notice", "decision": "return", "note": "x"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == "notice"


def test_pass_through_the_page_records_the_stage(client, people, regions):
    case = open_case(regions.village_a)
    response = post_stage(
        client,
        people.village,
        case,
        "verify",
        verifiers="李村干、王专干",
        findings="因病支出大",
        commitment_signed="on",
        note="已入户",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "compare"
    assert case.records["verify"]["verifiers"] == ["李村干", "王专干"]
    step = case.steps.get(decision="pass")
    assert (step.actor, step.note, step.from_stage) == (people.village, "已入户", "verify")
    followed = client.get(response["Location"])
    assert "已办理" in followed.content.decode()


def test_field_errors_of_the_service_are_shown_on_their_fields(client, people, regions):
    case = open_case(regions.village_a)
    response = post_stage(client, people.village, case, "verify", verifiers="李村干", findings="")
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field-error="verifiers"' in body and "至少需要两名核查人" in body
    assert 'data-field-error="findings"' in body
    assert 'data-field-error="commitment_signed"' in body
    assert 'data-error-code="invalid_input"' in body and "（invalid_input）" not in body
    assert Case.objects.get(pk=case.pk).stage == "verify"


def test_appraisal_votes_are_checked_by_the_service(client, people, regions):
    case = advance_to(open_case(regions.village_a), "appraise", people)
    response = post_stage(
        client,
        people.village,
        case,
        "appraise",
        date=timezone.localdate().isoformat(),
        representatives="10",
        votes_for="3",
        votes_against="5",
        minutes="多数反对",
    )
    assert response.status_code == 422
    assert "赞成票须多于反对票" in response.content.decode()


def test_reject_needs_a_note_and_closes_the_case(client, people, regions):
    case = open_case(regions.village_a)
    response = post_stage(client, people.village, case, "verify", decision="reject")
    assert response.status_code == 422
    assert 'data-field-error="note"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"

    response = post_stage(client, people.village, case, "verify", "reject", note="家有两套房")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.stage, case.reject_reason) == ("rejected", "closed", "家有两套房")
    assert "家有两套房" in client.get(case_url(case)).content.decode()


def test_return_goes_back_one_stage_without_the_stage_record(client, people, regions):
    case = advance_to(open_case(regions.village_a), "compare", people)
    response = post_stage(client, people.village, case, "compare", "return", note="补充核查")
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "verify"


def test_a_stale_page_gets_stale_stage(client, people, regions):
    case = advance_to(open_case(regions.village_a), "compare", people)
    response = post_stage(
        client,
        people.village,
        case,
        "verify",
        verifiers="甲、乙",
        findings="x",
        commitment_signed="on",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-error-code="stale_stage"' in body
    # The page shows the case as it is now, with the form of its current stage.
    assert response.context["stage_form"].__class__.__name__ == "CompareForm"
    assert Case.objects.get(pk=case.pk).stage == "compare"


def test_a_role_that_does_not_own_the_stage_gets_wrong_role(client, people, regions):
    case = open_case(regions.village_a)
    response = post_stage(client, people.town, case, "verify", "return", note="x")
    assert response.status_code == 422
    assert "wrong_role" in response.content.decode()


def test_notice_waits_for_its_days_and_for_answers(client, people, regions):
    case = advance_to(open_case(regions.village_a), "appraise", people)
    case = case_advance(
        case_id=case.pk,
        actor=people.village,
        seen_stage="appraise",
        decision="pass",
        data={**PASS_DATA["appraise"], "date": timezone.localdate().isoformat()},
    )
    days = int(policy_get("monitoring.notice_days", region_code=case.village_id, on=TODAY()))
    page_ = page(client, people.village, case_url(case))
    earliest = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    assert earliest in page_.content.decode()

    response = post_stage(client, people.village, case, "notice")
    assert response.status_code == 422
    assert "notice_not_elapsed" in response.content.decode()

    Case.objects.filter(pk=case.pk).update(
        notice_started_on=timezone.localdate() - dt.timedelta(days=days)
    )
    client.post(
        reverse("monitoring:objection_record", args=[case.pk]),
        {"text": "收入不实", "name": "", "contact": ""},
    )
    objection = Objection.objects.get(case=case)
    response = post_stage(client, people.village, case, "notice")
    assert response.status_code == 422
    assert "objection_unanswered" in response.content.decode()

    answer_url = reverse("monitoring:objection_answer", args=[case.pk, objection.pk])
    assert client.post(answer_url, {"answer": ""}).status_code == 422
    assert client.post(answer_url, {"answer": "经核实收入属实"}).status_code == 302
    assert post_stage(client, people.village, case, "notice").status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "town_review"


def test_only_the_village_officer_answers_objections(client, people, regions):
    case = advance_to(open_case(regions.village_a), "notice", people)
    objection = objection_lodge(case_id=case.pk, text="异议")
    client.force_login(people.town)
    url = reverse("monitoring:objection_answer", args=[case.pk, objection.pk])
    assert client.post(url, {"answer": "答"}).status_code == 403
    assert (
        client.post(
            reverse("monitoring:objection_record", args=[case.pk]), {"text": "x"}
        ).status_code
        == 403
    )


def test_county_includes_a_household_through_the_page(client, people, regions):
    case = advance_to(open_case(regions.village_a), "county_decide", people)
    response = post_stage(client, people.county, case, "county_decide", monitoring_type="edge")
    assert response.status_code == 422
    assert 'data-field-error="risk_types"' in response.content.decode()
    response = post_stage(
        client,
        people.county,
        case,
        "county_decide",
        monitoring_type="edge",
        risk_types=["illness", "accident"],
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "approved"
    assert (case.household.monitoring_type, case.household.risk_state) == ("edge", "open")
    body = client.get(case_url(case)).content.decode()
    assert 'id="plan-due-date"' in body


def test_exit_refused_names_the_unmet_conditions(client, people, regions):
    household = household_in(regions.village_a, monitoring_type="edge", risk_state="open")
    household.monitored_on = timezone.localdate()
    household.save()
    client.force_login(people.village)
    response = client.post(
        reverse("monitoring:exit_case_new", args=[household.household_no]),
        {"reason": "risk_eliminated", "note": "收入已稳定"},
    )
    assert response.status_code == 302
    case = Case.objects.get(household=household, kind="exit")
    case = advance_to(case, "county_decide", people)
    county_page = page(client, people.county, case_url(case)).content.decode()
    assert 'data-condition="monitored_too_short" data-met="false"' in county_page

    response = post_stage(
        client, people.county, case, "county_decide", exit_reason="risk_eliminated"
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "exit_condition_unmet" in body
    assert "纳入监测未满" in body and "尚未落实任何帮扶措施" in body
    assert Case.objects.get(pk=case.pk).stage == "county_decide"


# The notice sheet --------------------------------------------------------------------------------


def test_notice_sheet_masks_ids_and_gives_the_period(client, people, regions):
    case = advance_to(open_case(regions.village_a, name="赵六"), "notice", people)
    head = case.household.members.get()
    response = page(client, people.village, reverse("monitoring:notice_sheet", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "赵六" in body and "洪村" in body
    assert mask_id_number(head.id_number) in body
    assert head.id_number not in body and head.phone not in body
    days = int(policy_get("monitoring.notice_days", region_code=case.village_id, on=TODAY()))
    period = response.context["period"]
    assert (period.start, period.days) == (case.notice_started_on, days)
    assert period.last_day == case.notice_started_on + dt.timedelta(days=days - 1)
    # How a person objects (fupin/monitoring/tests/test_notice.py), not an API call.
    assert "/api/v1/" not in body and "POST" not in body
    with open(finders.find("monitoring/notice.css")) as css:
        assert "@media print" in css.read()


def test_notice_sheet_of_a_declarant_masks_the_declared_id(client, people, regions):
    number = id_number(77)
    case, _ = case_open(
        kind="identification",
        route="cadre",
        village=regions.village_a,
        declarant_name="钱七",
        declarant_id_number=number,
        household_size=4,
        risk_types=["illness"],
    )
    case = advance_to(case, "town_review", people)
    body = page(
        client, people.town, reverse("monitoring:notice_sheet", args=[case.pk])
    ).content.decode()
    assert "钱七" in body and mask_id_number(number) in body and number not in body
    assert "因病" in body


def test_no_notice_sheet_before_the_notice(client, people, regions):
    case = open_case(regions.village_a)
    response = page(client, people.village, reverse("monitoring:notice_sheet", args=[case.pk]))
    assert response.status_code == 302


# Exit cases and cadre findings -------------------------------------------------------------------


def test_household_file_offers_exit_and_finding_to_those_who_may(client, people, regions):
    household = household_in(regions.village_a)
    url = reverse("registry:household_detail", args=[household.household_no])
    body = page(client, people.village, url).content.decode()
    assert 'id="case-exit"' in body and 'id="case-report"' in body
    body = page(client, people.auditor, url).content.decode()
    assert 'id="monitoring-cases"' in body
    assert 'id="case-exit"' not in body and 'id="case-report"' not in body


def test_a_second_exit_case_is_refused_with_its_code(client, people, regions):
    household = household_in(regions.village_a)
    client.force_login(people.village)
    url = reverse("monitoring:exit_case_new", args=[household.household_no])
    assert client.post(url, {"reason": "moved", "note": ""}).status_code == 302
    response = client.post(url, {"reason": "moved", "note": ""})
    assert response.status_code == 409
    assert 'data-error-code="case_already_open"' in response.content.decode()
    assert Case.objects.filter(household=household, kind="exit").count() == 1


def test_exit_case_page_is_404_out_of_scope_and_403_without_permission(client, people, regions):
    household = household_in(regions.village_a)
    url = reverse("monitoring:exit_case_new", args=[household.household_no])
    assert page(client, people.village_b, url).status_code == 404
    assert page(client, people.auditor, url).status_code == 403


def test_cadre_finding_for_a_person_not_yet_registered(client, people, regions):
    client.force_login(people.cadre)
    url = reverse("monitoring:case_new")
    form = page(client, people.cadre, url).context["form"]
    assert [code for code, _ in form.fields["village"].choices] == ["", regions.village_a.code]
    response = client.post(
        url,
        {
            "name": "孙八",
            "id_number": "36042619910101007",
            "village": regions.village_a.code,
            "risk_types": ["disaster"],
            "description": "房屋受灾",
        },
    )
    assert response.status_code == 422
    assert 'data-field-error="id_number"' in response.content.decode()
    response = client.post(
        url,
        {
            "name": "孙八",
            "id_number": "360426199101010071",
            "phone": "13900000000",
            "village": regions.village_a.code,
            "household_size": "3",
            "risk_types": ["disaster"],
            "description": "房屋受灾",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(declarant_name="孙八")
    assert (case.route, case.stage, case.household_id, case.village_id) == (
        "cadre",
        "verify",
        None,
        regions.village_a.code,
    )


def test_cadre_finding_for_a_household_joins_its_open_case(client, people, regions):
    case = open_case(regions.village_a)
    client.force_login(people.cadre)
    response = client.post(
        reverse("monitoring:case_new") + f"?household={case.household.household_no}",
        {
            "household": case.household.household_no,
            "risk_types": ["illness"],
            "description": "又住院",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert Case.objects.filter(household=case.household).count() == 1
    assert "又住院" in Case.objects.get(pk=case.pk).description


def test_cadre_finding_cannot_reach_another_village(client, people, regions):
    client.force_login(people.cadre)
    other = household_in(regions.village_b)
    assert (
        client.get(reverse("monitoring:case_new"), {"household": other.household_no}).status_code
        == 404
    )
    response = client.post(
        reverse("monitoring:case_new"),
        {
            "name": "孙八",
            "id_number": "360426199101010071",
            "village": regions.village_b.code,
            "risk_types": ["disaster"],
            "description": "x",
        },
    )
    assert response.status_code == 422
    assert not Case.objects.exists()


# The self-declaration app ------------------------------------------------------------------------


def test_declare_and_track_render_without_login(client, regions):
    declare = client.get(reverse("monitoring:declare"))
    assert declare.status_code == 200
    body = declare.content.decode()
    assert reverse("monitoring:manifest") in body and "monitoring/declare.js" in body
    assert 'name="risk_types" value="illness"' in body
    track = client.get(reverse("monitoring:track"))
    assert track.status_code == 200
    assert client.get(reverse("monitoring:track"), {"code": "nope"}).status_code == 404


def test_the_service_worker_keeps_every_file_the_app_pages_load(client, regions):
    worker = client.get(reverse("monitoring:service_worker")).content.decode()
    for name in ("monitoring:declare", "monitoring:track"):
        html = client.get(reverse(name)).content.decode()
        scripts = re.findall(r'<script src="([^"]+)"', html)
        # The shared offline module comes first: the app's script uses it as it runs.
        assert scripts == ["/static/web/offline.js", "/static/monitoring/declare.js"]
        for url in scripts + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
            assert f'"{url}"' in worker, (name, url)


def test_track_shows_the_status_of_a_code(client, people, regions):
    response = client.post(
        "/api/v1/declarations",
        {
            "name": "周大山",
            "id_number": "360426199101010071",
            "phone": "13800000000",
            "village_code": regions.village_a.code,
            "household_size": 3,
            "risk_types": ["illness"],
        },
        content_type="application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    code = response.json()["tracking_code"]
    case = Case.objects.get(pk=response.json()["case_id"])
    case_advance(
        case_id=case.pk, actor=people.village, seen_stage="verify", decision="reject", note="不符合"
    )
    body = client.get(reverse("monitoring:track"), {"code": code}).content.decode()
    assert 'data-status="rejected"' in body and "不符合" in body
    assert "周大山" not in body and "360426199101010071" not in body


def test_manifest_is_served_with_its_content_type_and_existing_icons(client):
    response = client.get(reverse("monitoring:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("monitoring:declare")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_service_worker_is_served_for_the_app_scopes(client):
    response = client.get(reverse("monitoring:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    for url in (
        "/declare/",
        "/track/",
        "/static/monitoring/declare.js",
        "/api/v1/declarations/villages",
    ):
        assert f'"{url}"' in body
    assert 'request.method !== "GET"' in body


def test_public_region_list_gives_codes_and_names_only(client, regions):
    roots = client.get("/api/v1/declarations/villages")
    assert roots.status_code == 200
    assert roots.json() == [{"code": "370000000000", "name": "山东省", "level": 2}]
    villages = client.get("/api/v1/declarations/villages", {"parent": regions.town_a.code}).json()
    assert villages == [{"code": regions.village_a.code, "name": "洪村", "level": 12}]
    assert client.get("/api/v1/declarations/villages", {"parent": "999"}).json() == []


def test_a_role_that_owns_no_stage_sees_counts_without_a_queue(client, people, regions):
    make_overdue(open_case(regions.village_a))
    body = page(client, people.cadre, reverse("web:home")).content.decode()
    assert 'id="count-overdue"' in body and 'id="count-waiting"' not in body
    assert 'id="queue-empty"' not in body


def test_the_notice_sheet_link_appears_from_the_notice_on(client, people, regions):
    case = advance_to(open_case(regions.village_a), "notice", people)
    assert 'id="notice-sheet-link"' in page(client, people.village, case_url(case)).content.decode()
    case_advance(
        case_id=case.pk, actor=people.village, seen_stage="notice", decision="return", note="重评"
    )
    assert (
        'id="notice-sheet-link"'
        not in page(client, people.village, case_url(case)).content.decode()
    )
    assert (
        page(client, people.village, reverse("monitoring:notice_sheet", args=[case.pk])).status_code
        == 302
    )


def test_comparison_is_prefilled_from_screening_data(client, people, regions):
    household = household_in(regions.village_a)
    case, _ = case_open(
        kind="identification",
        route="screening",
        village=regions.village_a,
        household=household,
        findings={"医保": "住院自付 3 万元"},
    )
    case = advance_to(case, "compare", people)
    form = page(client, people.village, case_url(case)).context["stage_form"]
    assert "医保：住院自付 3 万元" in form.fields["findings"].initial
    # The department data is enough: the comparison passes without more text.
    response = post_stage(client, people.village, case, "compare", findings="")
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "appraise"


def test_the_signed_commitment_is_attached_on_the_case_page(
    client, people, regions, settings, tmp_path
):
    from fupin.monitoring.tests.factories import commitment_scan

    settings.MEDIA_ROOT = tmp_path
    case = open_case(regions.village_a)
    client.force_login(people.village)
    url = reverse("monitoring:attachment_upload", args=[case.pk])
    response = client.post(
        url, {"kind": "commitment", "file": commitment_scan(content=b"not a pdf")}
    )
    assert response.status_code == 422
    assert 'data-field-error="file"' in response.content.decode()
    assert client.post(url, {"kind": "commitment", "file": commitment_scan()}).status_code == 302
    attachment = case.attachments.get()
    body = client.get(case_url(case)).content.decode()
    assert f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}" in body
    client.force_login(people.village_b)
    assert client.post(url, {"kind": "commitment", "file": commitment_scan()}).status_code == 404


def test_comparison_of_a_cadre_case_passes_with_the_text_typed_in_the_box(client, people, regions):
    # Issue 10, defect 1: the form never handed its text to the service (invalid_input).
    case = advance_to(open_case(regions.village_a), "compare", people)
    response = post_stage(client, people.village, case, "compare", findings="与民政数据一致")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "appraise"
    assert case.records["compare"]["findings"] == "与民政数据一致"


def test_a_form_loaded_before_the_case_came_back_to_its_stage_is_stale(client, people, regions):
    # Issue 10, defect 24: two officers' forms of `compare`; the first is passed, the case is
    # returned to `compare`, and the second (loaded before all that) must not be accepted.
    case = advance_to(open_case(regions.village_a), "compare", people)
    other = UserFactory(role="village_officer", region=regions.village_a)
    client.force_login(other)
    stale = client.get(case_url(case))
    stale_version = stale.context["stage_form"]["version"].value()
    assert f'name="version" value="{stale_version}"' in stale.content.decode()

    fresh = page(client, people.village, case_url(case)).context["stage_form"]
    version = fresh["version"].value()
    assert (
        post_stage(
            client, people.village, case, "compare", findings="一致", version=version
        ).status_code
        == 302
    )
    appraise = Case.objects.get(pk=case.pk)
    response = post_stage(
        client,
        people.village,
        case,
        "appraise",
        "return",
        note="重新比对",
        version=appraise.version,
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "compare"

    response = post_stage(client, other, case, "compare", findings="旧页面", version=stale_version)
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-error-code="stale_stage"' in body
    assert "（stale_stage）" not in body
    case.refresh_from_db()
    assert case.records["compare"]["findings"] == "一致"
    # The page shows the case as it is now, with a fresh form of the current version.
    assert response.context["stage_form"]["version"].value() == case.version
    assert not response.context["stage_form"].is_bound
