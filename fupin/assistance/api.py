"""API of assistance plans: a household's plan (one per household) and its measures.

The plan is a sub-resource of the household: `/households/{household_no}/plan`; its measures
are `/households/{household_no}/plan/measures[/{measure_id}]`. Overdue plans of the user's
scope are listed at `/plans/overdue`.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from fupin.api.pagination import page_of
from fupin.assistance.models import AssistancePlan, Measure
from fupin.assistance.selectors import (
    measure_get,
    plan_for_household,
    plan_measures,
    plan_overdue,
    plans_overdue,
)
from fupin.assistance.services import (
    measure_add,
    measure_move,
    measure_update,
    plan_update,
)
from fupin.core.errors import Conflict, InvalidInput
from fupin.registry.selectors import household_get

router = Router(tags=["assistance"])
plans_router = Router(tags=["assistance"])


class MeasureOut(Schema):
    id: int
    category: str
    description: str
    trade: str
    amount: Decimal | None
    start_date: dt.date | None
    end_date: dt.date | None
    responsible_name: str
    status: str
    allowed_moves: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class AssistancePlanOut(Schema):
    household_no: str
    exists: bool
    due_date: dt.date | None
    overdue: bool
    responsible_name: str
    responsible_user: str | None
    note: str
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    measures: list[MeasureOut]


class AssistancePlanIn(Schema):
    responsible_name: str = ""
    responsible_user: str | None = None
    note: str = ""


class AssistancePlanPatch(Schema):
    responsible_name: str | None = None
    responsible_user: str | None = None
    note: str | None = None


class MeasureIn(Schema):
    category: str
    description: str = ""
    trade: str = ""
    amount: Decimal | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    responsible_name: str = ""


class MeasurePatch(Schema):
    category: str | None = None
    description: str | None = None
    trade: str | None = None
    amount: Decimal | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    responsible_name: str | None = None


class MeasureMoveIn(Schema):
    status: str
    note: str = ""


class AssistancePlanOverdueOut(Schema):
    household_no: str
    village_code: str
    village_name: str
    due_date: dt.date
    responsible_name: str


class AssistancePlanOverduePage(Schema):
    count: int
    page: int
    pages: int
    results: list[AssistancePlanOverdueOut]


class AssistancePlanOverdueQuery(Schema):
    page: int = 1


def _measure(m: Measure) -> dict:
    return {
        "id": m.pk,
        "category": m.category,
        "description": m.description,
        "trade": m.trade,
        "amount": m.amount,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "responsible_name": m.responsible_name,
        "status": m.status,
        "allowed_moves": list(m.allowed_moves),
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def _plan(household, plan: AssistancePlan | None) -> dict:
    if plan is None:
        return {
            "household_no": household.household_no,
            "exists": False,
            "due_date": None,
            "overdue": False,
            "responsible_name": "",
            "responsible_user": None,
            "note": "",
            "created_at": None,
            "updated_at": None,
            "measures": [],
        }
    return {
        "household_no": household.household_no,
        "exists": True,
        "due_date": plan.due_date,
        "overdue": plan_overdue(plan=plan, today=timezone.localdate()),
        "responsible_name": plan.responsible_name,
        "responsible_user": plan.responsible_user.username if plan.responsible_user else None,
        "note": plan.note,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "measures": [_measure(m) for m in plan_measures(plan=plan)],
    }


def _responsible_user(username: str | None):
    """Return the account named in a request (None clears it), or refuse an unknown name."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(
            {"responsible_user": _("没有这个账号")}, {"responsible_user": "unknown_user"}
        )
    return user


@router.get(
    "/{household_no}/plan",
    response=AssistancePlanOut,
    summary="帮扶计划（含措施）",
    description="一户一个帮扶计划。尚未建立时返回 exists=false 与空的措施列表；"
    "overdue 表示已过措施落实期限而仍无有效（未取消）措施。",
)
def plan_detail(request, household_no: str):
    household = household_get(user=request.user, household_no=household_no)
    return _plan(household, plan_for_household(household=household))


@router.put(
    "/{household_no}/plan",
    response={200: AssistancePlanOut, 201: AssistancePlanOut},
    summary="建立或整体修改帮扶计划",
    description="不存在时建立（201），存在时以请求内容替换责任人与备注（200）。"
    "responsible_user 为账号用户名，须能管理本户计划。措施落实期限由县级纳入监测时设定，此处不可改。",
)
def plan_put(request, household_no: str, payload: AssistancePlanIn):
    household = household_get(user=request.user, household_no=household_no)
    existed = plan_for_household(household=household) is not None
    plan = plan_update(
        household=household,
        actor=request.user,
        responsible_name=payload.responsible_name,
        responsible_user=_responsible_user(payload.responsible_user),
        note=payload.note,
    )
    return Status(200 if existed else 201, _plan(household, plan))


@router.patch(
    "/{household_no}/plan",
    response=AssistancePlanOut,
    summary="修改帮扶计划的部分内容",
    description="只修改请求中给出的字段；计划不存在时为 404。",
)
def plan_patch(request, household_no: str, payload: AssistancePlanPatch):
    household = household_get(user=request.user, household_no=household_no)
    given = payload.model_dump(exclude_unset=True)
    if "responsible_user" in given:
        given["responsible_user"] = _responsible_user(given["responsible_user"])
    plan = plan_update(household=household, actor=request.user, create=False, **given)
    return _plan(household, plan)


@router.post(
    "/{household_no}/plan/measures",
    response={201: MeasureOut},
    summary="添加帮扶措施",
    description="措施状态为 planned（计划）。category 取自措施目录；技能培训须填 trade（工种）；"
    "amount 为元、两位小数、不得为负；end_date 不得早于 start_date。"
    "尚未建立计划时为 409 plan_missing（先 PUT 计划）。",
)
def measure_create(request, household_no: str, payload: MeasureIn):
    household = household_get(user=request.user, household_no=household_no)
    plan = plan_for_household(household=household)
    if plan is None:
        raise Conflict(
            "plan_missing",
            _("请先建立帮扶计划"),
            {"household_no": household_no},
        )
    measure = measure_add(plan=plan, actor=request.user, **payload.model_dump())
    return Status(201, _measure(measure))


@router.get(
    "/{household_no}/plan/measures/{measure_id}",
    response=MeasureOut,
    summary="一项帮扶措施",
)
def measure_detail(request, household_no: str, measure_id: int):
    return _measure(
        measure_get(user=request.user, household_no=household_no, measure_id=measure_id)
    )


@router.patch(
    "/{household_no}/plan/measures/{measure_id}",
    response=MeasureOut,
    summary="修改帮扶措施",
    description="只修改请求中给出的字段；已完成或已取消的措施不能修改（409 measure_closed）。",
)
def measure_patch(request, household_no: str, measure_id: int, payload: MeasurePatch):
    measure = measure_get(user=request.user, household_no=household_no, measure_id=measure_id)
    measure = measure_update(
        measure=measure, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return _measure(measure)


@router.post(
    "/{household_no}/plan/measures/{measure_id}/move",
    response=MeasureOut,
    summary="变更帮扶措施状态",
    description="planned→in_progress/cancelled，in_progress→done/cancelled；"
    "其他变更为 409 invalid_transition。取消须在 note 中说明原因。",
)
def measure_status_move(request, household_no: str, measure_id: int, payload: MeasureMoveIn):
    measure = measure_get(user=request.user, household_no=household_no, measure_id=measure_id)
    measure = measure_move(
        measure=measure, actor=request.user, status=payload.status, note=payload.note
    )
    return _measure(measure)


@plans_router.get(
    "/overdue",
    response=AssistancePlanOverduePage,
    summary="逾期未落实措施的帮扶计划",
    description="用户所属区划内已过措施落实期限、仍无有效措施的计划，逾期最久的在前。",
)
def overdue_plans(request, query: Query[AssistancePlanOverdueQuery]):
    rows = plans_overdue(user=request.user)
    page = page_of(rows, query.page)
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "results": [
            {
                "household_no": p.household.household_no,
                "village_code": p.household.village_id,
                "village_name": p.household.village.name,
                "due_date": p.due_date,
                "responsible_name": p.responsible_name,
            }
            for p in page.rows
        ],
    }
