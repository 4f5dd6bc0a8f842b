"""API of the income distribution: `/distribution` plans, payments, village funds and totals."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.api.types import Year
from fupin.core.errors import NotFound
from fupin.distribution.selectors import (
    VIEW,
    distributed_by_region,
    fund_entries,
    household_received,
    plan_get,
    plan_lines,
    plan_list,
    village_fund_balance,
)
from fupin.distribution.services import (
    fund_entry_add,
    plan_cancel,
    plan_draft,
    plan_notice,
    plan_pay,
    plan_resolve,
    plan_take_effect,
)
from fupin.regions.selectors import region_get
from fupin.registry.selectors import household_get

router = Router(tags=["distribution"])


class DistributionPlanOut(Schema):
    id: int
    village_code: str
    village_name: str
    year: int
    amount: Decimal
    welfare_pool: Decimal
    fund_direct: Decimal
    village_fund: Decimal
    households_total: Decimal
    households: int
    status: str
    resolution_id: int | None
    notice_started_on: dt.date | None
    notice_ends_on: dt.date | None
    effective_on: dt.date | None
    paid_on: dt.date | None
    cancel_reason: str


class LineOut(Schema):
    household_no: str
    category: str
    size: int
    per_capita_income: Decimal
    amount: Decimal
    paid: bool
    paid_on: dt.date | None
    voucher_no: str


class DistributionPlanDetailOut(DistributionPlanOut):
    parameters: dict
    lines: list[LineOut]


class DistributionPlanQuery(Schema):
    region: str = ""
    year: Year | None = None


class DistributionPlanIn(Schema):
    village_code: str
    year: Year
    amount: Decimal | str  # a JSON number or a string of yuan with at most two decimals


class ResolveIn(Schema):
    resolution_id: int | None = None


class NoticeIn(Schema):
    started_on: dt.date


class EffectIn(Schema):
    on: dt.date
    voucher_no: str = ""


class CancelIn(Schema):
    reason: str


class PaymentIn(Schema):
    paid_on: dt.date
    voucher_no: str
    household_nos: list[str] | None = None


class PaymentOut(Schema):
    lines_paid: int
    plan: DistributionPlanOut


class FundEntryOut(Schema):
    id: int
    date: dt.date
    kind: str
    amount: Decimal
    reason: str
    voucher_no: str
    plan_id: int | None
    balance: Decimal


class FundOut(Schema):
    village_code: str
    balance: Decimal
    entries: list[FundEntryOut]


class FundEntryIn(Schema):
    date: dt.date
    kind: str
    amount: Decimal | str
    reason: str
    voucher_no: str = ""


class ReceivedOut(Schema):
    year: int
    plan_id: int
    amount: Decimal
    paid: bool
    paid_on: dt.date | None
    voucher_no: str


class TotalsQuery(Schema):
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class TotalsOut(Schema):
    region: str
    start: dt.date
    end: dt.date
    households: Decimal
    welfare: Decimal
    village_fund: Decimal
    village_fund_balance: Decimal


def _plan(plan) -> dict:
    return {
        "id": plan.pk,
        "village_code": plan.village_id,
        "village_name": plan.village.name,
        **{
            name: getattr(plan, name)
            for name in (
                "year",
                "amount",
                "welfare_pool",
                "fund_direct",
                "village_fund",
                "households_total",
                "households",
                "status",
                "resolution_id",
                "notice_started_on",
                "notice_ends_on",
                "effective_on",
                "paid_on",
                "cancel_reason",
            )
        },
    }


def _detail(plan) -> dict:
    return {
        **_plan(plan),
        "parameters": plan.parameters,
        "lines": [
            {
                "household_no": line.household.household_no,
                "category": line.category,
                "size": line.size,
                "per_capita_income": line.per_capita_income,
                "amount": line.amount,
                "paid": line.paid,
                "paid_on": line.paid_on,
                "voucher_no": line.voucher_no,
            }
            for line in plan_lines(plan=plan)
        ],
    }


@router.get("/plans", response=list[DistributionPlanOut], summary="收益分配方案列表")
def plans_get(request, query: Query[DistributionPlanQuery]):
    """Return the plans in scope, optionally under `region` (out of scope: 404) and of `year`."""
    return [
        _plan(p) for p in plan_list(user=request.user, region_code=query.region, year=query.year)
    ]


@router.post(
    "/plans", response={201: DistributionPlanDetailOut}, summary="按登记数据与政策制定分配方案草案"
)
def plan_post(request, payload: DistributionPlanIn):
    plan, _result = plan_draft(
        village_code=payload.village_code,
        year=payload.year,
        amount=payload.amount,
        actor=request.user,
    )
    return Status(201, _detail(plan_get(user=request.user, plan_id=plan.pk)))


@router.get(
    "/plans/{distribution_plan_id}",
    response=DistributionPlanDetailOut,
    summary="分配方案详情与到户明细",
)
def plan_detail(request, distribution_plan_id: int):
    return _detail(plan_get(user=request.user, plan_id=distribution_plan_id))


@router.post(
    "/plans/{distribution_plan_id}/resolve", response=DistributionPlanOut, summary="登记理事会决议"
)
def plan_resolve_post(request, distribution_plan_id: int, payload: ResolveIn):
    plan = plan_get(user=request.user, plan_id=distribution_plan_id)
    return _plan(plan_resolve(plan=plan, resolution_id=payload.resolution_id, actor=request.user))


@router.post(
    "/plans/{distribution_plan_id}/notice", response=DistributionPlanOut, summary="张榜公示"
)
def plan_notice_post(request, distribution_plan_id: int, payload: NoticeIn):
    plan = plan_get(user=request.user, plan_id=distribution_plan_id)
    return _plan(plan_notice(plan=plan, started_on=payload.started_on, actor=request.user))


@router.post(
    "/plans/{distribution_plan_id}/effect",
    response=DistributionPlanOut,
    summary="公示期满，方案生效",
)
def plan_effect_post(request, distribution_plan_id: int, payload: EffectIn):
    plan = plan_get(user=request.user, plan_id=distribution_plan_id)
    return _plan(
        plan_take_effect(
            plan=plan, on=payload.on, voucher_no=payload.voucher_no, actor=request.user
        )
    )


@router.post(
    "/plans/{distribution_plan_id}/cancel", response=DistributionPlanOut, summary="作废未生效的方案"
)
def plan_cancel_post(request, distribution_plan_id: int, payload: CancelIn):
    plan = plan_get(user=request.user, plan_id=distribution_plan_id)
    return _plan(plan_cancel(plan=plan, reason=payload.reason, actor=request.user))


@router.post(
    "/plans/{distribution_plan_id}/payments",
    response=PaymentOut,
    summary="登记发放（日期与凭证号）",
)
def plan_payments_post(request, distribution_plan_id: int, payload: PaymentIn):
    plan = plan_get(user=request.user, plan_id=distribution_plan_id)
    count = plan_pay(
        plan=plan,
        paid_on=payload.paid_on,
        voucher_no=payload.voucher_no,
        household_nos=payload.household_nos,
        actor=request.user,
    )
    return {
        "lines_paid": count,
        "plan": _plan(plan_get(user=request.user, plan_id=distribution_plan_id)),
    }


def _fund(user, village_code: str) -> dict:
    rows, balance = fund_entries(user=user, village_code=village_code)
    return {
        "village_code": village_code,
        "balance": balance,
        "entries": [
            {
                "id": row["entry"].pk,
                "date": row["entry"].date,
                "kind": row["entry"].kind,
                "amount": row["entry"].amount,
                "reason": row["entry"].reason,
                "voucher_no": row["entry"].voucher_no,
                "plan_id": row["entry"].plan_id,
                "balance": row["balance"],
            }
            for row in rows
        ],
    }


@router.get(
    "/funds/{fund_village_code}", response=FundOut, summary="村扶贫基金台账（收、支、余额）"
)
def fund_get(request, fund_village_code: str):
    return _fund(request.user, fund_village_code)


@router.post(
    "/funds/{fund_village_code}/entries", response={201: FundOut}, summary="登记村扶贫基金收支"
)
def fund_entry_post(request, fund_village_code: str, payload: FundEntryIn):
    fund_entries(user=request.user, village_code=fund_village_code)  # 404 outside the scope first
    fund_entry_add(village_code=fund_village_code, actor=request.user, **payload.dict())
    return Status(201, _fund(request.user, fund_village_code))


@router.get(
    "/households/{household_no}", response=list[ReceivedOut], summary="农户历年收益分配所得"
)
def household_received_get(request, household_no: str):
    """Return what the household was allotted by plans in effect, newest year first."""
    household = household_get(user=request.user, household_no=household_no)
    if not request.user.has_perm(VIEW):
        raise NotFound("household", {"household_no": household_no})
    return [
        {
            "year": line.plan.year,
            "plan_id": line.plan_id,
            "amount": line.amount,
            "paid": line.paid,
            "paid_on": line.paid_on,
            "voucher_no": line.voucher_no,
        }
        for line in household_received(household=household)
    ]


@router.get("/totals", response=TotalsOut, summary="区域分配合计与村扶贫基金余额")
def totals_get(request, query: Query[TotalsQuery]):
    """Return what plans in effect under `region` paid in the period, and the funds' balance.

    `region` defaults to the user's own region, `end` to today and `start` to 1 January of its
    year; a region outside the scope is a 404.
    """
    plan_list(user=request.user)  # the role must see plans
    code = query.region or getattr(request.user.region, "code", "")
    region = region_get(user=request.user, code=code)
    end = query.end or timezone.localdate()
    start = query.start or end.replace(month=1, day=1)
    return {
        "region": region.code,
        "start": start,
        "end": end,
        **distributed_by_region(region_code=region.code, start=start, end=end),
        "village_fund_balance": village_fund_balance(region_code=region.code, on=end),
    }
