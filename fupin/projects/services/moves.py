"""Writes of a project's life: its proposal, its moves with the record each needs, its
construction progress."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import Conflict, InvalidInput, Refused
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.projects import choices as c
from fupin.projects.models import ProgressEntry, Project, ProjectMove
from fupin.projects.services.common import (
    S,
    _date,
    _locked,
    _money,
    _region,
    _require,
    _text,
    _user,
)
from fupin.projects.services.operators import current_contract
from fupin.regions.choices import Level


@transaction.atomic
def project_propose(
    *,
    region_code: str,
    name: str,
    category: str,
    year: int,
    actor,
    total_investment: Decimal | str | int = 0,
    description: str = "",
    code: str = "",
) -> Project:
    """Propose (申报) a project of a village or town; its number is year-region-serial."""
    region = _region(region_code, actor)
    _require(actor, c.PROPOSE_ROLES, "projects.add_project", region)
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    if region.level not in (Level.VILLAGE, Level.TOWN):
        errors["region_code"] = _("项目应由村或乡镇实施")
        codes["region_code"] = "invalid_region_level"
    if not name.strip():
        errors["name"] = _("必填")
    if category not in c.ProjectCategory.values:
        errors["category"] = _("项目类别不正确")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("年度不正确")
    investment = _money({"total_investment": total_investment}, "total_investment", errors)
    if errors:
        raise InvalidInput(errors, codes)
    if not code:
        serial = Project.objects.filter(region=region, year=year).count() + 1
        code = f"{year}-{region.code}-{serial:03d}"
        while Project.objects.filter(code=code).exists():
            serial += 1
            code = f"{year}-{region.code}-{serial:03d}"
    elif Project.objects.filter(code=code).exists():
        raise Conflict("project_exists", _("项目编号已存在"), {"code": code})
    project = Project(
        name=name.strip(),
        code=code,
        region=region,
        year=year,
        category=category,
        total_investment=investment,
        description=description.strip(),
        status=S.PROPOSED,
        status_changed_at=timezone.now(),
    )
    history_attribute(project, actor)
    project.save()
    ProjectMove.objects.create(
        project=project, from_status="", to_status=S.PROPOSED, actor=_user(actor)
    )
    event_record(actor=actor, verb="project.proposed", obj=project)
    return project


def _record_opinion(project, data, errors, today):
    return {"opinion": _text(data, "opinion", errors)}


def _record_approved(project, data, errors, today):
    expected = _money(data, "expected_annual_return", errors)
    investment = _money(data, "total_investment", errors, required=False)
    return {
        "document_no": _text(data, "document_no", errors),
        "approved_on": (_date(data, "approved_on", errors, today) or today).isoformat(),
        "expected_annual_return": str(expected) if expected is not None else None,
        "total_investment": str(investment) if investment is not None else None,
    }


def _record_building(project, data, errors, today):
    started = _date(data, "started_on", errors, today) or today
    return {"started_on": started.isoformat()}


def _record_accepted(project, data, errors, today):
    last = project.progress.order_by("-on", "-id").first()
    if last is None or last.percent < 100:
        raise Refused(
            "construction_unfinished",
            _("建设进度尚未达到 100%，不能验收"),
            {"percent": last.percent if last else 0},
        )
    accepted_on = _date(data, "accepted_on", errors, today) or today
    return {
        "accepted_on": accepted_on.isoformat(),
        "report_no": _text(data, "report_no", errors),
        "findings": _text(data, "findings", errors),
    }


def _record_operating(project, data, errors, today):
    contract = current_contract(project=project, on=today)
    if contract is None:
        raise Refused(
            "contract_required",
            _("投入运营前须签订经营合同"),
            {"project": project.code},
        )
    if not contract.operator.qualified:
        raise Refused(
            "operator_not_qualified",
            _("经营主体尚未通过资格审核"),
            {"operator": contract.operator_id},
        )
    return {"contract": contract.pk, "operator": contract.operator.name}


def _record_flagged(project, data, errors, today):
    record = {}
    if data.get("review"):
        record["review"] = data["review"]
    return record


def _record_plan_started(project, data, errors, today):
    kind = c.PlanKind.RECTIFICATION if project.status == S.WEAK else c.PlanKind.REVIVAL
    plans = project.plans.filter(kind=kind, status=c.PlanStatus.APPROVED)
    if data.get("plan_id"):
        plans = plans.filter(pk=data["plan_id"])
    plan = plans.order_by("-approved_at", "-id").first()
    if plan is None:
        raise Refused(
            "plan_required",
            _("须先有经理事会决议通过的%(kind)s方案") % {"kind": c.PlanKind(kind).label},
            {"kind": kind},
        )
    return {"plan": plan.pk, "deadline": plan.deadline.isoformat()}


def _record_disposed(project, data, errors, today):
    return {
        "document_no": _text(data, "document_no", errors),
        "method": str(data.get("method") or "").strip(),
    }


def _record_rejected(project, data, errors, today):
    return {}


RECORDS = {
    S.SCREENED: _record_opinion,
    S.APPRAISED: _record_opinion,
    S.APPROVED: _record_approved,
    S.BUILDING: _record_building,
    S.ACCEPTED: _record_accepted,
    S.OPERATING: _record_operating,
    S.WEAK: _record_flagged,
    S.IDLE: _record_flagged,
    S.RECTIFYING: _record_plan_started,
    S.REVIVING: _record_plan_started,
    S.DISPOSED: _record_disposed,
    S.REJECTED: _record_rejected,
}


def resolution_for(*, project: Project, resolution_id: int | None, kinds: set[str]):
    """Return the adopted council resolution a decision on the project needs, or refuse.

    A village project needs its own village's council; a town project one of a village of
    that town.
    """
    from fupin.councils.models import Resolution
    from fupin.councils.selectors import resolution_require

    village = project.region_id
    if project.region.level != Level.VILLAGE and resolution_id is not None:
        found = (
            Resolution.objects.filter(pk=resolution_id)
            .values_list("meeting__council__village_id", flat=True)
            .first()
        )
        if found and found.startswith(project.region.prefix):
            village = found
    return resolution_require(resolution_id=resolution_id, village_code=village, kinds=kinds)


@transaction.atomic
def project_move(
    *,
    project: Project | int,
    to: str,
    actor,
    note: str = "",
    data: dict | None = None,
    resolution_id: int | None = None,
) -> Project:
    """Move a project to the next state of its life, by the role that owns the move, with its record."""
    project = _locked(project, actor)
    transition_check(
        c.TRANSITIONS,
        project.status,
        to,
        role=role_of(actor),
        message=_("项目当前为“%(status)s”，不能转为该状态")
        % {"status": project.get_status_display()},
    )
    _require(actor, c.TRANSITIONS[project.status][to], "projects.move_project", project)
    today = timezone.localdate()
    data = data or {}
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if to in (S.REJECTED, S.DISPOSED) and not note:
        errors["note"] = _("请说明原因")
    record = RECORDS[S(to)](project, data, errors, today)
    if errors:
        raise InvalidInput(errors)
    resolution = None
    if to == S.DISPOSED:
        resolution = resolution_for(
            project=project, resolution_id=resolution_id, kinds={c.DISPOSAL_RESOLUTION_KIND}
        )
        record["resolution"] = resolution.pk
    from_status = project.status
    if to == S.APPROVED:
        project.expected_annual_return = Decimal(record["expected_annual_return"])
        if record["total_investment"] is not None:
            project.total_investment = Decimal(record["total_investment"])
    if to == S.OPERATING:
        project.operating_since = project.operating_since or today
        # Back in operation: the plan that brought it back is done.
        for plan in project.plans.filter(status=c.PlanStatus.APPROVED):
            transition_check(
                c.PLAN_TRANSITIONS, plan.status, c.PlanStatus.DONE, role=role_of(actor)
            )
            plan.status = c.PlanStatus.DONE
            plan.completed_on = today
            history_attribute(plan, actor)
            plan.save(update_fields=["status", "completed_on"])
    project.status = to
    project.status_changed_at = timezone.now()
    history_attribute(project, actor, note)
    project.save()
    ProjectMove.objects.create(
        project=project,
        from_status=from_status,
        to_status=to,
        actor=_user(actor),
        note=note,
        record=record,
        resolution=resolution,
    )
    event_record(
        actor=actor,
        verb=f"project.{to}",
        obj=project,
        reason=note,
        data={"from": from_status, "to": to, **record},
    )
    return project


# -- construction ----------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *, project: Project | int, percent: int, actor, on: dt.date | None = None, note: str = ""
) -> ProgressEntry:
    """Record the construction progress (建设进度) of a project being built."""
    project = _locked(project, actor)
    _require(actor, c.PROGRESS_ROLES, "projects.change_project_records", project)
    if project.status != S.BUILDING:
        raise Conflict("not_building", _("项目不在建设阶段"), {"status": project.status})
    today = timezone.localdate()
    on = on or today
    last = project.progress.order_by("-on", "-id").first()
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = _("进度应为 0 到 100 之间的整数")
    elif last is not None and percent < last.percent:
        errors["percent"] = _("进度不能低于上次登记的 %(p)s%%") % {"p": last.percent}
        codes["percent"] = "progress_backwards"
    if on > today:
        errors["on"] = _("日期不能晚于今天")
    elif last is not None and on < last.on:
        errors["on"] = _("日期不能早于上次登记的日期")
    if errors:
        raise InvalidInput(errors, codes)
    entry = ProgressEntry(project=project, percent=percent, on=on, note=note.strip())
    entry.actor = _user(actor)
    history_attribute(entry, actor)
    entry.save()
    event_record(
        actor=actor,
        verb="project.progress",
        obj=project,
        data={"percent": percent, "on": on.isoformat()},
    )
    return entry
