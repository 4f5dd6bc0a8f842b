"""Writes of projects: proposal, state moves with their records, operators, contracts,
beneficiaries and rectification / revival plans."""

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as NumberError

from fupin.core.dates import add_months
from fupin.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.projects import choices as c
from fupin.projects.models import (
    OperatingContract,
    Operator,
    ProgressEntry,
    Project,
    ProjectBeneficiary,
    ProjectMove,
    RectificationPlan,
)
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.regions.selectors import region_get
from fupin.registry.models import Household, Person

S = c.ProjectStatus
CENT = Decimal("0.01")


def _allowed(actor, roles, perm: str, obj=None) -> bool:
    """Tell whether the actor holds one of the roles and the permission (None = a system run)."""
    if actor is None:
        return True
    return actor.role in roles and actor.has_perm(perm, obj)


def _require(actor, roles, perm: str, obj=None) -> None:
    if not _allowed(actor, roles, perm, obj):
        from fupin.accounts.choices import Role

        raise Forbidden(
            _("此操作应由%(roles)s办理") % {"roles": "、".join(str(Role(r).label) for r in roles)},
            {"roles": list(roles)},
        )


def _scoped(model, actor):
    return model.objects.all() if actor is None else model.objects.restrict(actor)


def _region(code: str, actor) -> Region:
    if actor is not None:
        return region_get(user=actor, code=code)
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound("region", {"code": code}) from None


def _locked(project: Project | int, actor) -> Project:
    pk = project.pk if isinstance(project, Project) else project
    try:
        return _scoped(Project, actor).select_for_update().select_related("region").get(pk=pk)
    except Project.DoesNotExist:
        raise NotFound("project", {"id": pk}) from None


def _text(data: dict, name: str, errors: dict, message=None) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        errors[name] = message or _("必填")
    return value


def _date(data: dict, name: str, errors: dict, default: dt.date | None = None) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if default is None:
            errors[name] = _("必填")
        return default
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("日期格式应为 YYYY-MM-DD")
        return default


def _money(data: dict, name: str, errors: dict, *, required: bool = True) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors[name] = _("必填")
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = _("应为金额（元，两位小数）")
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        errors[name] = _("应为不小于 0 的金额（元，两位小数）")
        return None
    return amount


# -- proposal --------------------------------------------------------------------------------


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


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# -- the records each move needs --------------------------------------------------------------


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


# -- operators and contracts -----------------------------------------------------------------


def licence_validate(value: str) -> str:
    """Return the unified social credit code in its compact form, or refuse it."""
    try:
        return uscc.validate(value)
    except NumberError:
        raise InvalidInput(
            {"licence_no": _("统一社会信用代码不正确")}, {"licence_no": "invalid_licence_no"}
        ) from None


@transaction.atomic
def operator_add(
    *,
    name: str,
    kind: str,
    licence_no: str,
    region_code: str,
    actor,
    registered_capital: Decimal | str | int = 0,
    credit_clean: bool = True,
    credit_record: str = "",
    legal_person: str = "",
) -> Operator:
    """Register an operator (经营主体); its licence number must be a valid credit code."""
    region = _region(region_code, actor)
    _require(actor, c.OPERATOR_ROLES, "projects.add_operator", region)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("必填")
    if kind not in c.OperatorKind.values:
        errors["kind"] = _("类型不正确")
    capital = _money({"registered_capital": registered_capital}, "registered_capital", errors)
    if errors:
        raise InvalidInput(errors)
    number = licence_validate(licence_no)
    if Operator.objects.filter(licence_no=number).exists():
        raise Conflict("operator_exists", _("该统一社会信用代码已登记"), {"licence_no": number})
    operator = Operator(
        name=name.strip(),
        kind=kind,
        licence_no=number,
        region=region,
        registered_capital=capital,
        credit_clean=credit_clean,
        credit_record=credit_record.strip(),
        legal_person=legal_person.strip(),
    )
    history_attribute(operator, actor)
    operator.save()
    event_record(actor=actor, verb="project.operator_added", obj=operator)
    return operator


@transaction.atomic
def operator_qualify(*, operator: Operator | int, actor, note: str = "") -> Operator:
    """Approve an operator's qualification: valid licence, clean credit, capital registered."""
    pk = operator.pk if isinstance(operator, Operator) else operator
    try:
        operator = _scoped(Operator, actor).select_for_update().get(pk=pk)
    except Operator.DoesNotExist:
        raise NotFound("operator", {"id": pk}) from None
    _require(actor, c.QUALIFY_ROLES, "projects.qualify_operator", operator)
    if operator.qualified:
        raise Conflict("operator_qualified", _("该经营主体已通过资格审核"), {})
    licence_validate(operator.licence_no)
    if not operator.credit_clean:
        raise Refused(
            "operator_credit_bad",
            _("经营主体有不良信用记录，不能通过资格审核"),
            {"credit_record": operator.credit_record},
        )
    if operator.registered_capital <= 0:
        raise Refused("operator_capital_missing", _("经营主体未登记注册资本"), {})
    operator.qualified_by = _user(actor)
    operator.qualified_at = timezone.now()
    history_attribute(operator, actor, note)
    operator.save(update_fields=["qualified_by", "qualified_at"])
    event_record(actor=actor, verb="project.operator_qualified", obj=operator, reason=note)
    return operator


def current_contract(*, project: Project, on: dt.date) -> OperatingContract | None:
    """Return the project's contract in force on the date (the latest one that started)."""
    return (
        project.contracts.filter(start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("operator")
        .order_by("-start_date", "-id")
        .first()
    )


@transaction.atomic
def contract_add(
    *,
    project: Project | int,
    operator: Operator | int,
    kind: str,
    start_date: dt.date,
    annual_amount: Decimal | str,
    actor,
    end_date: dt.date | None = None,
    contract_no: str = "",
) -> OperatingContract:
    """Sign an operating contract (lease, shares or cooperative) with a qualified operator."""
    project = _locked(project, actor)
    _require(actor, c.CONTRACT_ROLES, "projects.change_project_records", project)
    if project.status not in c.CONTRACTABLE:
        raise Conflict(
            "project_not_accepted",
            _("项目验收后方可签订经营合同"),
            {"status": project.status},
        )
    operator_pk = operator.pk if isinstance(operator, Operator) else operator
    operator = _scoped(Operator, actor).filter(pk=operator_pk).first()
    if operator is None:
        raise NotFound("operator", {"id": operator_pk})
    errors: dict[str, str] = {}
    if kind not in c.ContractKind.values:
        errors["kind"] = _("经营方式不正确")
    amount = _money({"annual_amount": annual_amount}, "annual_amount", errors)
    if start_date is None:
        errors["start_date"] = _("必填")
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = _("结束日期不能早于开始日期")
    if errors:
        raise InvalidInput(errors)
    if not operator.qualified:
        raise Refused(
            "operator_not_qualified",
            _("经营主体尚未通过资格审核"),
            {"operator": operator.pk},
        )
    contract = OperatingContract(
        project=project,
        operator=operator,
        kind=kind,
        contract_no=contract_no.strip(),
        start_date=start_date,
        end_date=end_date,
        annual_amount=amount,
    )
    history_attribute(contract, actor)
    contract.save()
    event_record(
        actor=actor,
        verb="project.contract_added",
        obj=project,
        data={"contract": contract.pk, "operator": operator.pk, "kind": kind},
    )
    return contract


# -- beneficiaries ---------------------------------------------------------------------------


@transaction.atomic
def beneficiaries_add(
    *, project: Project | int, year: int, households: list[tuple[str, int | None]], actor
) -> dict:
    """Add (or correct the persons of) the households a project benefits in a year.

    `households` holds (household number, persons); persons None counts the household's
    members not gone. Returns {"added", "updated", "unchanged"}.
    """
    project = _locked(project, actor)
    _require(actor, c.RECORD_ROLES, "projects.change_project_records", project)
    if project.status == S.REJECTED:
        raise Conflict("project_rejected", _("项目未通过，不能登记受益户"), {})
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("年度不正确")
    wanted: dict[str, int | None] = {}
    for number, persons in households:
        number = str(number).strip()
        if persons is not None and (not isinstance(persons, int) or persons < 1):
            errors[number] = _("受益人数应为正整数")
            codes[number] = "invalid_persons"
        wanted[number] = persons
    if not wanted:
        errors["households"] = _("请至少填写一户")
    # Only households the actor may see are looked up: one outside the scope reads exactly like
    # one that does not exist (unknown_household), never "outside the project".
    households = Household.objects.all() if actor is None else Household.objects.restrict(actor)
    found = dict(
        households.filter(household_no__in=list(wanted), removed_on__isnull=True)
        .values_list("household_no", "pk")
        .order_by()
    )
    inside = set(
        Household.objects.filter(
            pk__in=list(found.values()), village__code__startswith=project.region.prefix
        ).values_list("household_no", flat=True)
    )
    for number in wanted:
        if number not in found:
            errors[number] = _("没有这个农户")
            codes[number] = "unknown_household"
        elif number not in inside:
            errors[number] = _("该户不在项目实施区划内")
            codes[number] = "household_outside_project"
    if errors:
        raise InvalidInput(errors, codes)
    sizes = dict(
        Person.objects.filter(household_id__in=list(found.values()), left_on__isnull=True)
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
        .order_by()
    )
    existing = {
        b.household_id: b
        for b in ProjectBeneficiary.objects.filter(
            project=project, year=year, household_id__in=list(found.values())
        )
    }
    new, changed = [], []
    for number, persons in wanted.items():
        household_id = found[number]
        persons = persons or max(1, sizes.get(household_id, 0))
        row = existing.get(household_id)
        if row is None:
            new.append(
                ProjectBeneficiary(
                    project=project, household_id=household_id, year=year, persons=persons
                )
            )
        elif row.persons != persons:
            row.persons = persons
            changed.append(row)
    from fupin.core.bulk import history_bulk_record, last_pk

    before = last_pk(ProjectBeneficiary)
    try:
        ProjectBeneficiary.objects.bulk_create(new, batch_size=500)
    except IntegrityError:
        raise Conflict("beneficiary_conflict", _("受益户已被他人同时登记"), {}) from None
    ProjectBeneficiary.objects.bulk_update(changed, ["persons"], batch_size=500)
    history_bulk_record(
        queryset=ProjectBeneficiary.objects.filter(project=project, pk__gt=before),
        history_type="+",
        actor=_user(actor),
    )
    if changed:
        history_bulk_record(
            queryset=ProjectBeneficiary.objects.filter(pk__in=[r.pk for r in changed]),
            history_type="~",
            actor=_user(actor),
        )
    result = {
        "added": len(new),
        "updated": len(changed),
        "unchanged": len(wanted) - len(new) - len(changed),
    }
    event_record(
        actor=actor, verb="project.beneficiaries", obj=project, data={"year": year, **result}
    )
    return result


# -- rectification and revival plans ---------------------------------------------------------


@transaction.atomic
def plan_add(
    *,
    project: Project | int,
    kind: str,
    measures: list[str],
    deadline: dt.date,
    responsible_name: str,
    actor,
    description: str = "",
) -> RectificationPlan:
    """Draw up a rectification plan for a weak project or a revival plan for an idle one."""
    project = _locked(project, actor)
    _require(actor, c.PLAN_ROLES, "projects.add_rectificationplan", project)
    if kind not in c.PlanKind.values:
        raise InvalidInput({"kind": _("方案类别不正确")})
    if project.status != c.PLAN_FOR[c.PlanKind(kind)]:
        raise Conflict(
            "plan_not_needed",
            _("%(kind)s方案只适用于%(status)s项目")
            % {
                "kind": c.PlanKind(kind).label,
                "status": S(c.PLAN_FOR[c.PlanKind(kind)]).label,
            },
            {"status": project.status, "kind": kind},
        )
    if project.plans.filter(kind=kind, status__in=c.OPEN_PLAN_STATUSES).exists():
        raise Conflict("plan_open_exists", _("该项目已有未完成的同类方案"), {"kind": kind})
    errors: dict[str, str] = {}
    measures = list(dict.fromkeys(measures or []))
    if not measures or not set(measures) <= set(c.PlanMeasure.values):
        errors["measures"] = _("请选择至少一项有效的措施")
    if deadline is None:
        errors["deadline"] = _("必填")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("完成期限不能早于今天")
    if not responsible_name.strip():
        errors["responsible_name"] = _("必填")
    if errors:
        raise InvalidInput(errors)
    plan = RectificationPlan(
        project=project,
        kind=kind,
        measures=measures,
        deadline=deadline,
        responsible_name=responsible_name.strip(),
        description=description.strip(),
        created_by=_user(actor),
    )
    history_attribute(plan, actor)
    plan.save()
    event_record(
        actor=actor, verb=f"project.{kind}_plan_added", obj=project, data={"plan": plan.pk}
    )
    return plan


@transaction.atomic
def plan_approve(*, plan: RectificationPlan | int, resolution_id: int | None, actor):
    """Record the council resolution that lets a plan take effect."""
    pk = plan.pk if isinstance(plan, RectificationPlan) else plan
    try:
        plan = (
            _scoped(RectificationPlan, actor)
            .select_for_update()
            .select_related("project__region")
            .get(pk=pk)
        )
    except RectificationPlan.DoesNotExist:
        raise NotFound("plan", {"id": pk}) from None
    _require(actor, c.PLAN_ROLES, "projects.change_rectificationplan", plan)
    transition_check(
        c.PLAN_TRANSITIONS,
        plan.status,
        c.PlanStatus.APPROVED,
        role=role_of(actor),
        message=_("该方案已决议"),
    )
    resolution = resolution_for(
        project=plan.project,
        resolution_id=resolution_id,
        kinds={c.PLAN_RESOLUTION_KIND[c.PlanKind(plan.kind)]},
    )
    plan.resolution = resolution
    plan.status = c.PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    history_attribute(plan, actor)
    plan.save(update_fields=["resolution", "status", "approved_at"])
    event_record(
        actor=actor,
        verb=f"project.{plan.kind}_plan_approved",
        obj=plan.project,
        data={"plan": plan.pk, "resolution": resolution.pk},
    )
    return plan


# -- look-back review (回头看) ----------------------------------------------------------------

WEAK_RATIO_KEY = "assets.weak_return_ratio"
IDLE_MONTHS_KEY = "assets.idle_months"
# The extension point that the app of the projects' assets fills in (spine.Extension):
# returns(projects=, start=, end=) -> {project id: {"actual", "last"}}.
RETURNS = "projects.returns"


def expected_in_window(*, expected: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """Return the part of an annual expected return due between two dates of one year (days)."""
    days_in_year = (dt.date(end.year, 12, 31) - dt.date(end.year, 1, 1)).days + 1
    days = (end - start).days + 1
    if days >= days_in_year:
        return expected
    return (expected * days / days_in_year).quantize(CENT)


def review_classify(
    *,
    expected: Decimal,
    actual: Decimal,
    last_income_on: dt.date | None,
    since: dt.date,
    end: dt.date,
    ratio: Decimal,
    idle_months: int,
) -> str:
    """Classify a project's year: idle, weak or healthy.

    Idle: nothing earned for `idle_months` whole months up to `end`, counted from the last income
    (or from the start of operation when it never earned). Weak: the year's actual return below
    `ratio` × the expected return of the period. Idle comes first: an idle project is also weak.
    """
    reference = last_income_on or since
    if add_months(reference, idle_months) <= end:
        return c.ReviewClass.IDLE
    if actual < ratio * expected:
        return c.ReviewClass.WEAK
    return c.ReviewClass.HEALTHY


@transaction.atomic
def review_run(*, region_code: str, year: int, actor, today: dt.date | None = None):
    """Review every income project of a region for a year, store the verdicts, flag the projects.

    Projects in operation (operating, weak, rectifying, idle, reviving) with an expected return
    are weighed; those still `operating` that turn out weak or idle move into that state.
    """
    from fupin.core import spine
    from fupin.core.importing import rows_insert
    from fupin.policy.selectors import policy_get
    from fupin.projects.models import ProjectReview, ReviewResult

    region = _region(region_code, actor)
    _require(actor, c.REVIEW_ROLES, "projects.add_projectreview", region)
    today = today or timezone.localdate()
    if not isinstance(year, int) or not 2000 <= year <= today.year:
        raise InvalidInput({"year": _("年度不正确（不能晚于今年）")}, {"year": "invalid_year"})
    year_start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    ratio = Decimal(str(policy_get(WEAK_RATIO_KEY, region_code=region.code, on=end)))
    idle_months = int(policy_get(IDLE_MONTHS_KEY, region_code=region.code, on=end))
    projects = Project.objects.filter(
        region__code__startswith=region.prefix,
        status__in=c.IN_OPERATION,
        expected_annual_return__gt=0,
        operating_since__lte=end,
    )
    income: dict[int, dict] = {}
    for returns in spine.extensions(RETURNS):
        income.update(returns(projects=projects, start=year_start, end=end))
    review = ProjectReview.objects.create(
        region=region,
        year=year,
        period_end=end,
        weak_ratio=ratio,
        idle_months=idle_months,
        run_by=_user(actor),
    )
    results = []  # (project, verdict, expected, actual, last income, status before, moved)
    for pk, status, expected, since in projects.values_list(
        "pk", "status", "expected_annual_return", "operating_since"
    ).order_by("pk"):
        start = max(year_start, since)
        due = expected_in_window(expected=expected, start=start, end=end)
        row = income.get(pk, {})
        actual = row.get("actual") or Decimal("0.00")
        last = row.get("last")
        verdict = review_classify(
            expected=due,
            actual=actual,
            last_income_on=last,
            since=since,
            end=end,
            ratio=ratio,
            idle_months=idle_months,
        )
        moves = status == S.OPERATING and verdict != c.ReviewClass.HEALTHY
        results.append((pk, verdict, due, actual, last, status, moves))
    # Plain tuples in one executemany (COPY on PostgreSQL): model instances and bulk_create's
    # per-value preparation cost more than the whole classification.
    rows_insert(
        ReviewResult._meta.db_table,
        [
            "review_id",
            "project_id",
            "verdict",
            "expected",
            "actual",
            "last_income_on",
            "status_before",
            "moved",
        ],
        ((review.pk, *row) for row in results),
    )
    moved = _review_moves_apply(review=review, actor=actor)
    tally = Counter(row[1] for row in results)
    counts = {v: tally[v] for v in c.ReviewClass.values}
    review.reviewed = len(results)
    review.healthy = counts[c.ReviewClass.HEALTHY]
    review.weak = counts[c.ReviewClass.WEAK]
    review.idle = counts[c.ReviewClass.IDLE]
    review.moved = moved
    review.save(update_fields=["reviewed", "healthy", "weak", "idle", "moved"])
    event_record(
        actor=actor,
        verb="project.review",
        object_type="projects.projectreview",
        object_id=str(review.pk),
        region_code=region.code,
        data={"year": year, **counts, "moved": moved},
    )
    return review


def _review_moves_apply(*, review, actor) -> int:
    """Move the review's flagged projects to their verdict set-based; return how many moved.

    The same records as one `project_move` each (the state, its field history with the actor and
    the reason, a ProjectMove and a `project.<state>` event), written in a constant number of
    statements. Only moves the TRANSITIONS table allows from a project's current state are made,
    by a role it names; a flagged project no longer in such a state keeps it and is not counted.
    """
    from django.db.models import OuterRef, Q, Subquery

    from fupin.core.bulk import history_bulk_record
    from fupin.core.models import Event
    from fupin.projects.models import ReviewResult

    note = _("回头看评定")
    flagged = ReviewResult.objects.filter(review=review, moved=True)
    allowed = Q(pk__in=[])
    for status, to in flagged.values_list("project__status", "verdict").distinct().order_by():
        roles = c.TRANSITIONS.get(status, {}).get(to)
        if roles is None:
            continue
        _require(actor, roles, "projects.move_project", review.region)
        allowed |= Q(status=status, pk__in=flagged.filter(verdict=to).values("project_id"))
    # Locked in the order of their keys, so that two reviews never wait on each other in a ring.
    rows = list(
        Project.objects.filter(allowed)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "code", "region_id", "status")
    )
    if len(rows) < flagged.count():
        flagged.exclude(project__in=Project.objects.filter(allowed)).update(moved=False)
    if not rows:
        return 0
    verdicts = dict(flagged.values_list("project_id", "verdict"))
    moving = Project.objects.filter(pk__in=flagged.values("project_id"))
    moving.update(
        status=Subquery(
            ReviewResult.objects.filter(review=review, project=OuterRef("pk")).values("verdict")[:1]
        ),
        status_changed_at=timezone.now(),
    )
    history_bulk_record(queryset=moving, history_type="~", actor=actor, reason=note)
    user = _user(actor)
    record = {"review": review.pk}
    ProjectMove.objects.bulk_create(
        ProjectMove(
            project_id=pk,
            from_status=status,
            to_status=verdicts[pk],
            actor=user,
            note=note,
            record=record,
        )
        for pk, _code, _region, status in rows
    )
    Event.objects.bulk_create(
        Event(
            actor=user,
            verb=f"project.{verdicts[pk]}",
            object_type=Project._meta.label_lower,
            object_id=code,
            region_code=region_code,
            reason=note,
            data={"from": status, "to": verdicts[pk], **record},
        )
        for pk, code, region_code, status in rows
    )
    return len(rows)
