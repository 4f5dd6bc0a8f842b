"""Advancing a case through its stages: each stage's record, and the county's inclusion."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance.services import plan_require
from fupin.core.errors import (
    Conflict,
    FupinError,
    InvalidInput,
    Refused,
)
from fupin.core.services import event_record, history_attribute
from fupin.core.states import decision_target, role_of, transition_check
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Case,
    CaseStep,
)
from fupin.monitoring.services.cases import _county_of, _due_date, _policy_int
from fupin.monitoring.services.exit import _exit
from fupin.pairing.services import pairing_allocate
from fupin.registry import choices as rc
from fupin.registry.models import Household
from fupin.registry.services import (
    Member,
    household_from_case,
    household_risk_check,
    household_standing,
)


def _text(data: dict, key: str, errors: dict, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        errors[key] = _("应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors[key] = _("必填项不能为空")
    return value


def _count(data: dict, key: str, errors: dict) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors[key] = _("应为不小于 0 的整数")
        return 0
    return value


def _record_verify(case: Case, data: dict, errors: dict) -> dict:
    verifiers = data.get("verifiers")
    names = (
        [v.strip() for v in verifiers if isinstance(v, str) and v.strip()]
        if isinstance(verifiers, list)
        else []
    )
    if len(set(names)) < 2:
        errors["verifiers"] = _("入户核查至少需要两名核查人")
    findings = _text(data, "findings", errors)
    if data.get("commitment_signed") is not True:
        errors["commitment_signed"] = _("农户须签署承诺授权书")
    record = {"verifiers": names, "findings": findings, "commitment_signed": True}
    for optional in ("members", "income"):
        if optional in data:
            record[optional] = data[optional]
    return record


def _record_compare(case: Case, data: dict, errors: dict) -> dict:
    screening = case.records.get("screening")
    findings = _text(data, "findings", errors, required=screening is None)
    return {"findings": findings or _("部门数据比对结果见筛查记录"), "screening": screening}


def _record_appraise(case: Case, data: dict, errors: dict) -> dict:
    try:
        held_on = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        errors["date"] = _("日期格式应为 YYYY-MM-DD")
        held_on = None
    if held_on and held_on > timezone.localdate():
        errors["date"] = _("评议日期不能晚于今天")
    representatives = _count(data, "representatives", errors)
    votes_for, votes_against = (
        _count(data, "votes_for", errors),
        _count(data, "votes_against", errors),
    )
    if representatives and votes_for + votes_against > representatives:
        errors["votes_for"] = _("赞成票与反对票之和不能多于参会代表人数")
    if not errors.get("votes_for") and votes_for <= votes_against:
        errors["votes_for"] = _("赞成票须多于反对票方可通过")
    minutes = _text(data, "minutes", errors)
    return {
        "date": held_on.isoformat() if held_on else "",
        "representatives": representatives,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "minutes": minutes,
    }


def _record_notice(case: Case, data: dict, errors: dict) -> dict:
    today = timezone.localdate()
    days = _policy_int("monitoring.notice_days", case.village_id, today)
    ends = case.notice_started_on + dt.timedelta(days=days)
    if today < ends:
        raise Refused(
            "notice_not_elapsed",
            _("公示期未满 %(days)s 天，%(date)s 起方可通过")
            % {"days": days, "date": ends.isoformat()},
            {
                "notice_started_on": case.notice_started_on.isoformat(),
                "notice_days": days,
                "earliest": ends.isoformat(),
            },
        )
    unanswered = case.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise Refused(
            "objection_unanswered",
            _("还有 %(n)s 条公示异议未答复") % {"n": unanswered},
            {"unanswered": unanswered},
        )
    return {
        "started_on": case.notice_started_on.isoformat(),
        "ended_on": today.isoformat(),
        "objections": case.objections.count(),
    }


def _record_town_review(case: Case, data: dict, errors: dict) -> dict:
    return {"opinion": _text(data, "opinion", errors)}


def _record_county_decide(case: Case, data: dict, errors: dict) -> dict:
    if case.kind == c.CaseKind.EXIT:
        reason = data.get("exit_reason") or case.exit_reason
        if reason not in c.ExitReason.values:
            errors["exit_reason"] = _("退出原因无效")
        return {"exit_reason": reason}
    monitoring_type = data.get("monitoring_type")
    if monitoring_type not in rc.MonitoringType.values:
        errors["monitoring_type"] = _("监测类型无效")
    risk_types = data.get("risk_types")
    if (
        not isinstance(risk_types, list)
        or not risk_types
        or not set(risk_types) <= set(rc.RiskType.values)
    ):
        errors["risk_types"] = _("请选择至少一项有效的风险类型")
        risk_types = []
    return {"monitoring_type": monitoring_type, "risk_types": sorted(set(risk_types))}


STAGE_RECORDS = {
    c.Stage.VERIFY: _record_verify,
    c.Stage.COMPARE: _record_compare,
    c.Stage.APPRAISE: _record_appraise,
    c.Stage.NOTICE: _record_notice,
    c.Stage.TOWN_REVIEW: _record_town_review,
    c.Stage.COUNTY_DECIDE: _record_county_decide,
}


def _include(case: Case, record: dict, actor, today: dt.date) -> None:
    # Kept so that a wrong mark can be undone (标识错误); a household made here had no standing.
    case.standing_before = household_standing(case.household) if case.household_id else None
    household = case.household or _household_from_declarant(case, actor)
    household.monitoring_type = record["monitoring_type"]
    household.risk_types = record["risk_types"]
    household_risk_check(household=household, to=rc.RiskState.OPEN, actor=actor)
    household.risk_state = rc.RiskState.OPEN
    household.monitored_on = today
    household.risk_eliminated_on = None
    history_attribute(household, actor, _("监测识别案件 #%(id)s 县级审定纳入") % {"id": case.pk})
    household.save()
    case.household = household
    case.plan_due_date = today + dt.timedelta(
        days=_policy_int("monitoring.plan_days", household.village_id, today)
    )
    plan_require(household=household, due_date=case.plan_due_date, actor=actor)
    # A newly monitored household gets a cadre at once (no one has to press a button for it).
    pairing_allocate(region_code=_county_of(household), households=[household.pk], actor=actor)
    event_record(
        actor=actor,
        verb="household.monitoring_included",
        obj=household,
        data={
            "case": case.pk,
            "monitoring_type": household.monitoring_type,
            "risk_types": household.risk_types,
            "plan_due_date": case.plan_due_date.isoformat(),
        },
    )


def _household_from_declarant(case: Case, actor) -> Household:
    """Create the household of a declarant not yet in the registry, the declarant as its head."""
    head = Member(
        id_number=case.declarant_id_number,
        name=case.declarant_name,
        relation=rc.Relation.HEAD,
        phone=case.declarant_phone,
    )
    return household_from_case(
        case_id=case.pk, village_code=case.village_id, members=[head], actor=actor
    )


def _stale(case: Case, *, seen_version: int | None, seen_stage: str) -> FupinError:
    """Return the conflict of a decision made on a page the case has moved on from."""
    now = (
        _("该案件已由他人办理，当前环节为“%(stage)s”，请核对后再办理")
        % {"stage": c.Stage(case.stage).label}
        if case.status == c.CaseStatus.OPEN
        else _("该案件已由他人办结")
    )
    return Conflict(
        "stale_stage",
        now,
        {
            "stage": case.stage,
            "version": case.version,
            "seen_stage": seen_stage,
            "seen_version": seen_version,
        },
    )


@transaction.atomic
def case_advance(
    *,
    case_id: int,
    actor,
    decision: str,
    seen_version: int | None = None,
    seen_stage: str = "",
    note: str = "",
    data: dict | None = None,
) -> Case:
    """Record the actor's decision on the case as they saw it: pass, return one stage, or reject.

    `seen_version` is the case's version on the actor's page (every move adds one), so a page
    loaded before a move is refused even when a return has brought the case back to the same
    stage. `seen_stage` alone is the older, weaker check, kept for callers that only know the stage.
    """
    if seen_version is None and not seen_stage:
        raise InvalidInput({"version": _("缺少页面所见的案件版本，请刷新后再办理")})
    case = Case.objects.select_for_update().get_restricted(actor, "advance", pk=case_id)
    if (
        case.status != c.CaseStatus.OPEN
        or (seen_version is not None and case.version != seen_version)
        or (seen_stage and case.stage != seen_stage)
    ):
        raise _stale(case, seen_version=seen_version, seen_stage=seen_stage)
    owner = c.STAGE_ROLE[c.Stage(case.stage)]
    if actor.role != owner:
        raise Refused(
            "wrong_role",
            _("“%(stage)s”环节应由%(role)s办理")
            % {"stage": c.Stage(case.stage).label, "role": owner.label},
            {"stage": case.stage, "role": owner.value},
        )
    target = decision_target(c.DECISIONS, case.stage, decision)
    transition_check(c.TRANSITIONS, case.stage, target, role=role_of(actor))
    today, now = timezone.localdate(), timezone.now()
    record: dict = {}
    if decision == c.Decision.REJECT and not note.strip():
        raise InvalidInput({"note": _("不予通过须说明原因")})
    if decision == c.Decision.PASS:
        errors: dict[str, str] = {}
        record = STAGE_RECORDS[c.Stage(case.stage)](case, data or {}, errors)
        if errors:
            raise InvalidInput(errors)
        case.records = {**case.records, case.stage: record}
        if case.stage == c.Stage.VERIFY:
            case.verified_on = today
        if case.stage == c.Stage.COUNTY_DECIDE:
            (_include if case.kind == c.CaseKind.IDENTIFICATION else _exit)(
                case, record, actor, today
            )
    from_stage = case.stage
    case.stage = target
    case.stage_entered_at = now
    if target == c.Stage.NOTICE:
        case.notice_started_on = today
    if target == c.Stage.CLOSED:
        closed = c.CLOSED_BY[c.Decision(decision)]
        transition_check(c.STATUS_TRANSITIONS, case.status, closed, role=role_of(actor))
        case.status = closed
        case.reject_reason = note.strip() if decision == c.Decision.REJECT else ""
        case.decided_at = now
        case.days_to_decision = (
            today - case.opened_at.astimezone(timezone.get_current_timezone()).date()
        ).days
        case.due_date = None
    else:
        case.due_date = _due_date(case, today)
    # The row lock serialises PostgreSQL; the version check also catches a lost race on SQLite.
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1)
    if not updated:
        raise _stale(Case.objects.get(pk=case.pk), seen_version=seen_version, seen_stage=seen_stage)
    case.version += 1
    # The field history keeps the note's first 100 characters; the step and the event keep it whole.
    history_attribute(case, actor, note)
    case.save()
    CaseStep.objects.create(
        case=case,
        actor=actor,
        from_stage=from_stage,
        to_stage=target,
        decision=decision,
        note=note,
        data=record,
    )
    event_record(
        actor=actor,
        verb=f"case.{decision}",
        obj=case,
        reason=note,
        data={"from": from_stage, "to": target},
    )
    return case
