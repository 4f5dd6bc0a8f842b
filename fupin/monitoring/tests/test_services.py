import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError, NotFound
from fupin.core.testing import code_of, race
from fupin.monitoring.models import Case, Declaration
from fupin.monitoring.services import (
    case_advance,
    case_open,
    declaration_submit,
    exit_case_open,
    exit_conditions,
    objection_answer,
    objection_lodge,
)
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number

VERIFY = {"verifiers": ["甲", "乙"], "findings": "属实", "commitment_signed": True}


def declare(regions, key="k1", **overrides):
    fields = {
        "idempotency_key": key,
        "name": "周大山",
        "id_number": id_number(4242),
        "phone": "13700000001",
        "village_code": regions.village_a.code,
        "household_size": 3,
        "risk_types": ["illness"],
    }
    return declaration_submit(**{**fields, **overrides})


def at_stage(case, stage, **fields):
    Case.objects.filter(pk=case.pk).update(stage=stage, **fields)
    case.refresh_from_db()
    return case


# Opening and joining -----------------------------------------------------------------------------


def test_a_second_route_joins_the_open_case_of_a_registered_household(regions, officers):
    household = HouseholdFactory(village=regions.village_a, poverty_status="lifted")
    person = PersonFactory(household=household)
    first, opened = case_open(
        kind="identification",
        route="screening",
        village=regions.village_a,
        household=household,
        risk_types=["illness"],
        findings={"medical": 30000},
    )
    assert opened
    declaration, _ = declare(regions, id_number=person.id_number, risk_types=["disaster"])
    assert declaration.case_id == first.pk
    first.refresh_from_db()
    assert first.routes == ["declaration", "screening"]
    assert first.risk_types == ["disaster", "illness"]
    assert first.household == household
    assert Case.objects.count() == 1


def test_an_exit_case_and_an_identification_case_may_be_open_together(regions, officers):
    household = HouseholdFactory(
        village=regions.village_a, poverty_status="none", monitoring_type="edge", risk_state="open"
    )
    case_open(kind="identification", route="cadre", village=regions.village_a, household=household)
    exit_case = exit_case_open(
        household=household, actor=officers.village, reason="risk_eliminated"
    )
    assert exit_case.kind == "exit"
    assert (
        code_of(
            lambda: exit_case_open(
                household=household, actor=officers.village, reason="risk_eliminated"
            )
        )
        == "case_already_open"
    )


def test_cases_out_of_scope_cannot_be_opened_or_seen(regions, officers):
    household = HouseholdFactory(village=regions.village_b)
    with pytest.raises(NotFound):
        exit_case_open(household=household, actor=officers.village, reason="moved")
    case, _ = case_open(
        kind="identification", route="cadre", village=regions.village_b, household=household
    )
    with pytest.raises(NotFound):
        case_advance(
            case_id=case.pk,
            actor=officers.village,
            seen_stage="verify",
            decision="pass",
            data=VERIFY,
        )


# Moves -------------------------------------------------------------------------------------------


def test_only_the_stage_owner_may_act(regions, officers):
    declaration, _ = declare(regions)
    case = declaration.case
    for user in (officers.town, officers.county, officers.cadre):
        # A cadre may advance no case at all (restrict(actor, "advance")); officers not this stage.
        assert code_of(
            lambda u=user: case_advance(
                case_id=case.pk, actor=u, seen_stage="verify", decision="pass", data=VERIFY
            )
        ) == ("forbidden" if user is officers.cadre else "wrong_role")
    case_advance(
        case_id=case.pk, actor=officers.village, seen_stage="verify", decision="pass", data=VERIFY
    )
    at_stage(case, "town_review")
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk,
                actor=officers.village,
                seen_stage="town_review",
                decision="pass",
                data={"opinion": "同意"},
            )
        )
        == "wrong_role"
    )


def test_return_goes_back_one_stage_and_verify_cannot_return(regions, officers):
    case = declare(regions)[0].case
    with pytest.raises(FupinError) as exc:
        case_advance(
            case_id=case.pk, actor=officers.village, seen_stage="verify", decision="return"
        )
    assert (exc.value.code, exc.value.status) == ("invalid_transition", 409)
    assert exc.value.details == {
        "from": "verify",
        "to": "",
        "allowed": ["closed", "compare"],
        "decision": "return",
        "decisions": ["pass", "reject"],
    }
    at_stage(case, "appraise")
    moved = case_advance(
        case_id=case.pk,
        actor=officers.village,
        seen_stage="appraise",
        decision="return",
        note="材料不全",
    )
    assert moved.stage == "compare" and moved.status == "open"


def test_reject_closes_with_a_reason_the_declarant_sees(regions, officers):
    declaration, _ = declare(regions)
    case = declaration.case
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk, actor=officers.village, seen_stage="verify", decision="reject"
            )
        )
        == "invalid_input"
    )
    closed = case_advance(
        case_id=case.pk,
        actor=officers.village,
        seen_stage="verify",
        decision="reject",
        note="家庭收入稳定，不符合纳入条件",
    )
    assert (closed.status, closed.stage, closed.reject_reason) == (
        "rejected",
        "closed",
        "家庭收入稳定，不符合纳入条件",
    )
    assert closed.days_to_decision == 0
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk,
                actor=officers.village,
                seen_stage="verify",
                decision="pass",
                data=VERIFY,
            )
        )
        == "stale_stage"
    )


def test_a_stale_stage_is_a_conflict(regions, officers):
    case = declare(regions)[0].case
    case_advance(
        case_id=case.pk, actor=officers.village, seen_stage="verify", decision="pass", data=VERIFY
    )
    with pytest.raises(FupinError) as exc:
        case_advance(
            case_id=case.pk,
            actor=officers.village,
            seen_stage="verify",
            decision="pass",
            data=VERIFY,
        )
    assert (exc.value.code, exc.value.status) == ("stale_stage", 409)


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"verifiers": ["甲"], "findings": "x", "commitment_signed": True}, {"verifiers"}),
        ({"verifiers": ["甲", "甲"], "findings": "x", "commitment_signed": True}, {"verifiers"}),
        (
            {"verifiers": ["甲", "乙"], "findings": "", "commitment_signed": False},
            {"findings", "commitment_signed"},
        ),
    ],
)
def test_verify_needs_two_verifiers_findings_and_the_signed_commitment(
    regions, officers, data, fields
):
    case = declare(regions)[0].case
    with pytest.raises(FupinError) as exc:
        case_advance(
            case_id=case.pk, actor=officers.village, seen_stage="verify", decision="pass", data=data
        )
    assert exc.value.code == "invalid_input"
    assert set(exc.value.details["fields"]) == fields


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "date": "2099-01-01",
                "representatives": 10,
                "votes_for": 8,
                "votes_against": 1,
                "minutes": "m",
            },
            "date",
        ),
        (
            {
                "date": "2020-01-01",
                "representatives": 10,
                "votes_for": 8,
                "votes_against": 5,
                "minutes": "m",
            },
            "votes_for",
        ),
        (
            {
                "date": "2020-01-01",
                "representatives": 10,
                "votes_for": 4,
                "votes_against": 5,
                "minutes": "m",
            },
            "votes_for",
        ),
        (
            {
                "date": "2020-01-01",
                "representatives": -1,
                "votes_for": 4,
                "votes_against": 1,
                "minutes": "m",
            },
            "representatives",
        ),
        (
            {
                "date": "2020-01-01",
                "representatives": 10,
                "votes_for": 8,
                "votes_against": 1,
                "minutes": "",
            },
            "minutes",
        ),
    ],
)
def test_appraisal_records_a_real_vote(regions, officers, data, field):
    case = at_stage(declare(regions)[0].case, "appraise")
    with pytest.raises(FupinError) as exc:
        case_advance(
            case_id=case.pk,
            actor=officers.village,
            seen_stage="appraise",
            decision="pass",
            data=data,
        )
    assert field in exc.value.details["fields"]


def test_notice_passes_only_after_its_days_with_every_objection_answered(regions, officers):
    case = at_stage(declare(regions)[0].case, "notice", notice_started_on=timezone.localdate())
    policy_set(
        key="monitoring.notice_days",
        value="7",
        region_code=regions.county.code,
        valid_from=dt.date(2020, 1, 1),
        reason="本县公示 7 天",
    )
    with pytest.raises(FupinError) as exc:
        case_advance(case_id=case.pk, actor=officers.village, seen_stage="notice", decision="pass")
    assert exc.value.code == "notice_not_elapsed" and exc.value.details["notice_days"] == 7
    at_stage(case, "notice", notice_started_on=timezone.localdate() - dt.timedelta(days=6))
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk, actor=officers.village, seen_stage="notice", decision="pass"
            )
        )
        == "notice_not_elapsed"
    )
    at_stage(case, "notice", notice_started_on=timezone.localdate() - dt.timedelta(days=7))
    objection = objection_lodge(case_id=case.pk, text="他家有车", name="邻居")
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk, actor=officers.village, seen_stage="notice", decision="pass"
            )
        )
        == "objection_unanswered"
    )
    assert (
        code_of(lambda: objection_answer(objection=objection, actor=officers.town, answer="x"))
        == "forbidden"
    )
    objection_answer(objection=objection, actor=officers.village, answer="经核实为亲戚借用")
    moved = case_advance(
        case_id=case.pk, actor=officers.village, seen_stage="notice", decision="pass"
    )
    assert moved.stage == "town_review"


def test_objections_only_during_the_notice(regions):
    case = declare(regions)[0].case
    assert code_of(lambda: objection_lodge(case_id=case.pk, text="异议")) == "not_in_notice"


def test_due_dates_follow_policy(regions, officers):
    policy_set(
        key="monitoring.verify_days",
        value="3",
        region_code=regions.town_a.code,
        valid_from=dt.date(2020, 1, 1),
        reason="本镇从严",
    )
    case = declare(regions)[0].case
    today = timezone.localdate()
    assert case.due_date == today + dt.timedelta(days=3)
    moved = case_advance(
        case_id=case.pk, actor=officers.village, seen_stage="verify", decision="pass", data=VERIFY
    )
    assert moved.verified_on == today and moved.due_date == today + dt.timedelta(days=15)


# Exit --------------------------------------------------------------------------------------------


def test_a_household_with_no_labour_never_exits_because_time_passed(regions):
    household = HouseholdFactory(
        village=regions.village_a,
        poverty_status="none",
        monitoring_type="edge",
        risk_state="open",
        monitored_on=dt.date(2015, 1, 1),
    )
    PersonFactory(household=household, labor_ability="lost")
    unmet = {
        c.code for c in exit_conditions(household=household, on=timezone.localdate()) if not c.met
    }
    assert "no_labor_ability" in unmet and "monitored_too_short" not in unmet


def test_exit_by_death_removes_the_household(regions, officers):
    household = HouseholdFactory(
        village=regions.village_a, poverty_status="none", monitoring_type="edge", risk_state="open"
    )
    case = exit_case_open(household=household, actor=officers.village, reason="deceased")
    at_stage(case, "county_decide")
    case_advance(
        case_id=case.pk,
        actor=officers.county,
        seen_stage="county_decide",
        decision="pass",
        data={"exit_reason": "deceased"},
    )
    household.refresh_from_db()
    assert (household.removal_reason, household.removed_on) == ("deceased", timezone.localdate())
    assert household.support_category == ""


# Declarations ------------------------------------------------------------------------------------


def test_bad_declarations_name_each_field(regions):
    with pytest.raises(FupinError) as exc:
        declare(
            regions,
            name=" ",
            id_number="360426199101010072",
            phone="2380000000",
            village_code=regions.town_a.code,
            household_size=0,
            risk_types=["nope"],
        )
    assert exc.value.code == "invalid_input" and exc.value.status == 422
    assert set(exc.value.details["fields"]) == {
        "name",
        "id_number",
        "phone",
        "village_code",
        "household_size",
        "risk_types",
    }
    assert not Declaration.objects.exists() and not Case.objects.exists()


def test_the_same_key_never_makes_a_second_declaration(regions):
    first, created = declare(regions, key="same")
    again, created_again = declare(regions, key="same")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    # Another person's payload under that key is refused (fupin/monitoring/tests/test_declarations.py).
    assert (
        code_of(lambda: declare(regions, key="same", name="别的名字")) == "idempotency_key_reused"
    )
    assert Declaration.objects.count() == 1


def test_declarations_per_address_are_limited_by_policy(regions):
    policy_set(
        key="monitoring.declarations_per_hour",
        value="2",
        region_code=None,
        valid_from=dt.date(2020, 1, 1),
        reason="测试",
    )
    declare(regions, key="a", client_address="10.0.0.1")
    declare(regions, key="b", client_address="10.0.0.1", id_number=id_number(1))
    with pytest.raises(FupinError) as exc:
        declare(regions, key="c", client_address="10.0.0.1", id_number=id_number(2))
    assert (exc.value.code, exc.value.status) == ("too_many_declarations", 429)
    declare(regions, key="d", client_address="10.0.0.2", id_number=id_number(3))


# Concurrency -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_advances_exactly_one_wins(regions):
    officer = UserFactory(role="village_officer", region=regions.village_a)
    case = declare(regions)[0].case
    outcomes = race(
        lambda: case_advance(
            case_id=case.pk, actor=officer, seen_stage="verify", decision="pass", data=VERIFY
        )
    )
    assert outcomes == ["stale_stage", "won"]
    assert Case.objects.get(pk=case.pk).steps.filter(decision="pass").count() == 1


# Attachments -------------------------------------------------------------------------------------


def test_the_signed_commitment_is_kept_with_the_case(regions, officers, settings, tmp_path):
    from fupin.monitoring.services import attachment_add
    from fupin.monitoring.tests.factories import commitment_scan

    settings.MEDIA_ROOT = tmp_path
    case = declare(regions)[0].case
    attachment = attachment_add(
        case=case, kind="commitment", upload=commitment_scan(), actor=officers.village
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read().startswith(b"%PDF-")
    assert not attachment.file.name.endswith("承诺书.pdf")  # stored under a random name
    fake = commitment_scan(
        name="scan.pdf", content=b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(FupinError) as exc:
        attachment_add(case=case, kind="commitment", upload=fake, actor=officers.village)
    assert set(exc.value.details["fields"]) == {"file"}
    with pytest.raises(FupinError) as exc:
        attachment_add(case=case, kind="photo", upload=commitment_scan(), actor=officers.village)
    assert exc.value.code == "invalid_input"


def test_declaration_photos_are_kept_once_per_key_up_to_the_policy_limit(
    regions, settings, tmp_path
):
    from fupin.monitoring.services import declaration_photo_add
    from fupin.monitoring.tests.factories import commitment_scan, photo

    settings.MEDIA_ROOT = tmp_path
    policy_set(
        key="monitoring.declaration_photos",
        value="2",
        region_code=None,
        valid_from=dt.date(2020, 1, 1),
        reason="测试",
    )
    declaration = declare(regions)[0]
    first, created = declaration_photo_add(
        declaration=declaration, upload=photo(), idempotency_key="p-1"
    )
    again, created_again = declaration_photo_add(
        declaration=declaration, upload=photo(), idempotency_key="p-1"
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert (first.kind, first.case_id, first.content_type) == (
        "photo",
        declaration.case_id,
        "image/png",
    )
    declaration_photo_add(declaration=declaration, upload=photo(), idempotency_key="p-2")
    assert (
        code_of(
            lambda: declaration_photo_add(
                declaration=declaration, upload=photo(), idempotency_key="p-3"
            )
        )
        == "too_many_photos"
    )
    other = declare(regions, key="k2", id_number=id_number(9))[0]
    assert (
        code_of(
            lambda: declaration_photo_add(declaration=other, upload=photo(), idempotency_key="p-1")
        )
        == "idempotency_key_reused"
    )
    assert (
        code_of(
            lambda: declaration_photo_add(
                declaration=other, upload=commitment_scan(), idempotency_key="p-9"
            )
        )
        == "invalid_input"
    )
    assert declaration.photos.count() == 2


def test_the_case_list_api_reads_a_page_in_a_fixed_number_of_queries(
    client, regions, officers, django_assert_max_num_queries
):
    for n in range(12):
        household = HouseholdFactory(village=regions.village_a)
        PersonFactory(household=household, name=f"户主{n}")
        case_open(
            kind="identification", route="cadre", village=regions.village_a, household=household
        )
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/cases", headers=officers.headers(officers.county))
    names = {row["subject_name"] for row in response.json()["results"]}
    assert names == {f"户主{n}" for n in range(12)}


def test_a_long_note_is_cut_in_the_field_history_and_kept_whole_in_the_event(regions, officers):
    # Issue 10, defect 5: the history reason column holds 100 characters (PostgreSQL refused more).
    from fupin.core.models import Event

    case = declare(regions)[0].case
    note = "入户核查发现" + "家中两人长期住院，" * 20
    case_advance(
        case_id=case.pk,
        actor=officers.village,
        seen_stage="verify",
        decision="pass",
        note=note,
        data=VERIFY,
    )
    reason = case.history.latest("history_date").history_change_reason
    assert reason == note[:100]
    assert Event.objects.get(verb="case.pass", object_id=str(case.pk)).reason == note
    assert case.steps.get(decision="pass").note == note


def test_a_case_returned_to_the_stage_seen_is_still_stale_by_its_version(regions, officers):
    # Issue 10, defect 24: B saw `compare`; A passed it and it came back to `compare`.
    case = declare(regions)[0].case
    case = case_advance(
        case_id=case.pk, actor=officers.village, seen_stage="verify", decision="pass", data=VERIFY
    )
    seen = case.version
    case = case_advance(
        case_id=case.pk,
        actor=officers.village,
        seen_version=seen,
        decision="pass",
        data={"findings": "一致"},
    )
    case = case_advance(
        case_id=case.pk,
        actor=officers.village,
        seen_version=case.version,
        decision="return",
        note="评议前再比对一次",
    )
    assert case.stage == "compare" and case.version == seen + 2
    with pytest.raises(FupinError) as exc:
        case_advance(
            case_id=case.pk,
            actor=officers.village,
            seen_version=seen,
            decision="pass",
            data={"findings": "旧页面"},
        )
    assert (exc.value.code, exc.value.status) == ("stale_stage", 409)
    assert exc.value.details["version"] == seen + 2
    case.refresh_from_db()
    assert (case.stage, case.records["compare"]["findings"]) == ("compare", "一致")


def test_a_move_needs_the_version_or_the_stage_seen(regions, officers):
    case = declare(regions)[0].case
    assert (
        code_of(
            lambda: case_advance(
                case_id=case.pk, actor=officers.village, decision="pass", data=VERIFY
            )
        )
        == "invalid_input"
    )


# Undoing a mark and removal (issue 10, defect 14) ------------------------------------------------


def decide(case, officers, data):
    at_stage(case, "county_decide")
    return case_advance(
        case_id=case.pk,
        actor=officers.county,
        seen_stage="county_decide",
        decision="pass",
        data=data,
    )


def include(household, officers):
    case, _ = case_open(
        kind="identification", route="cadre", village=household.village, household=household
    )
    return decide(case, officers, {"monitoring_type": "unstable", "risk_types": ["illness"]})


def test_undoing_a_wrong_mark_returns_a_lifted_household_to_its_standing(regions, officers):
    household = HouseholdFactory(
        village=regions.village_a, poverty_status="lifted", policy_support=True
    )
    PersonFactory(household=household)
    inclusion = include(household, officers)
    assert inclusion.standing_before["monitoring_type"] == ""
    assert inclusion.standing_before["poverty_status"] == "lifted"
    household.refresh_from_db()
    assert household.support_category == "monitored"

    case = exit_case_open(
        household=household, actor=officers.village, reason="wrong_identification"
    )
    decide(case, officers, {"exit_reason": "wrong_identification"})
    household.refresh_from_db()
    assert (household.removal_reason, household.removed_on) == ("", None)
    assert (household.poverty_status, household.policy_support) == ("lifted", True)
    assert (household.monitoring_type, household.risk_state, household.monitored_on) == (
        "",
        "",
        None,
    )
    assert household.risk_types == []
    assert household.support_category == "lifted_supported"
    # The mark and its undoing are both in the field history, and the undoing is an event.
    reasons = list(household.history.values_list("history_change_reason", flat=True))
    assert any("撤销监测标识" in (r or "") for r in reasons)
    from fupin.core.models import Event

    event = Event.objects.get(verb="household.monitoring_mark_undone")
    assert event.data["case"] == case.pk and event.data["inclusion"] == inclusion.pk


def test_undoing_a_second_mark_returns_to_the_first_monitoring_as_it_ended(regions, officers):
    eliminated_on = dt.date(2023, 6, 30)
    household = HouseholdFactory(
        village=regions.village_a,
        poverty_status="none",
        monitoring_type="edge",
        risk_types=["disaster"],
        risk_state="eliminated",
        monitored_on=dt.date(2022, 1, 5),
        risk_eliminated_on=eliminated_on,
    )
    PersonFactory(household=household)
    include(household, officers)
    case = exit_case_open(
        household=household, actor=officers.village, reason="wrong_identification"
    )
    decide(case, officers, {"exit_reason": "wrong_identification"})
    household.refresh_from_db()
    assert (household.monitoring_type, household.risk_types, household.risk_state) == (
        "edge",
        ["disaster"],
        "eliminated",
    )
    assert (household.monitored_on, household.risk_eliminated_on) == (
        dt.date(2022, 1, 5),
        eliminated_on,
    )


def test_removal_is_a_decision_of_its_own(regions, officers):
    household = HouseholdFactory(village=regions.village_a, poverty_status="none")
    PersonFactory(household=household)
    include(household, officers)
    household.refresh_from_db()
    case = exit_case_open(household=household, actor=officers.village, reason="removal")
    decide(case, officers, {"exit_reason": "removal"})
    household.refresh_from_db()
    assert (household.removal_reason, household.removed_on) == (
        "wrong_identification",
        timezone.localdate(),
    )
    assert household.support_category == ""


def test_an_inclusion_from_before_standings_were_kept_is_undone_from_the_field_history(
    regions, officers
):
    household = HouseholdFactory(
        village=regions.village_a, poverty_status="lifted", policy_support=False
    )
    PersonFactory(household=household)
    inclusion = include(household, officers)
    Case.objects.filter(pk=inclusion.pk).update(standing_before=None)
    household.refresh_from_db()
    case = exit_case_open(
        household=household, actor=officers.village, reason="wrong_identification"
    )
    decide(case, officers, {"exit_reason": "wrong_identification"})
    household.refresh_from_db()
    assert (household.monitoring_type, household.risk_state) == ("", "")
    assert household.support_category == "lifted"


def test_a_household_without_a_mark_has_none_to_undo(regions, officers):
    household = HouseholdFactory(village=regions.village_a, poverty_status="lifted")
    assert (
        code_of(
            lambda: exit_case_open(
                household=household, actor=officers.village, reason="wrong_identification"
            )
        )
        == "not_monitored"
    )
