"""API of assets (`/assets`): the asset register, the income ledger and the three-assets ledger.

Reads are scoped by region (default: the user's own; out of scope is a 404); amounts are yuan with
two decimals.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.api.pagination import page_of
from fupin.assets import selectors as s
from fupin.assets import services
from fupin.core.inputs import cents

router = Router(tags=["assets"])


class AssetOut(Schema):
    id: int
    name: str
    category: str
    owner_kind: str
    village_code: str
    household_no: str | None
    project_id: int | None
    project_code: str | None
    value: Decimal
    funded: Decimal
    own_part: Decimal
    formed_on: dt.date
    location: str
    income: Decimal
    last_received: dt.date | None


class FundingOut(Schema):
    source_id: int
    amount: Decimal


class AssetIncomeOut(Schema):
    id: int
    asset_id: int
    asset_name: str
    village_code: str
    kind: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    received_on: dt.date
    voucher_no: str
    note: str


class AssetDetailOut(AssetOut):
    fundings: list[FundingOut]
    income_entries: list[AssetIncomeOut]


class AssetPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AssetOut]


class KindTotal(Schema):
    kind: str
    amount: Decimal


class AssetIncomePage(Schema):
    count: int
    page: int
    pages: int
    total: Decimal
    kinds: list[KindTotal]
    results: list[AssetIncomeOut]


class LedgerFigures(Schema):
    funds_opening: Decimal
    funds_in: Decimal
    funds_out: Decimal
    funds_balance: Decimal
    assets_formed: Decimal
    assets_funded: Decimal
    assets_own: Decimal
    assets_total: Decimal
    work_in_progress: Decimal
    income_opening: Decimal
    income_earned: Decimal
    income_distributed: Decimal
    distributed_households: Decimal
    distributed_welfare: Decimal
    distributed_village_fund: Decimal
    income_undistributed: Decimal
    village_fund_balance: Decimal


class LedgerRow(LedgerFigures):
    region: str
    name: str


class LedgerOut(LedgerRow):
    start: dt.date
    end: dt.date
    own: LedgerFigures | None
    children: list[LedgerRow]


class AssetQuery(Schema):
    region: str | None = None
    category: str | None = None
    project_id: int | None = None
    page: int = 1


class FundingIn(Schema):
    source_id: int
    amount: Decimal


class AssetIn(Schema):
    name: str
    category: str
    owner_kind: str
    village_code: str
    value: Decimal
    formed_on: dt.date
    project_id: int | None = None
    household_no: str | None = None
    location: str = ""
    note: str = ""
    fundings: list[FundingIn] = []


class AssetIncomeIn(Schema):
    kind: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    received_on: dt.date
    voucher_no: str
    note: str = ""


class AssetIncomeQuery(Schema):
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str | None = None
    page: int = 1


class LedgerQuery(Schema):
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


def _asset(x) -> dict:
    return {
        "id": x.pk,
        "name": x.name,
        "category": x.category,
        "owner_kind": x.owner_kind,
        "village_code": x.village_id,
        "household_no": x.household.household_no if x.household_id else None,
        "project_id": x.project_id,
        "project_code": x.project.code if x.project_id else None,
        "value": x.value,
        "funded": cents(x.funded),
        "own_part": x.value - cents(x.funded),
        "formed_on": x.formed_on,
        "location": x.location,
        "income": cents(x.income),
        "last_received": x.last_received,
    }


def _income(x) -> dict:
    return {
        "id": x.pk,
        "asset_id": x.asset_id,
        "asset_name": x.asset.name,
        "village_code": x.asset.village_id,
        "kind": x.kind,
        "period_start": x.period_start,
        "period_end": x.period_end,
        "amount": x.amount,
        "received_on": x.received_on,
        "voucher_no": x.voucher_no,
        "note": x.note,
    }


@router.get(
    "/income",
    response=AssetIncomePage,
    summary="资产收益台账",
    description="start、end 为到账日期区间（含两端）；total 与 kinds 为全部符合条件的收益合计。",
)
def income_list(request, query: Query[AssetIncomeQuery]):
    rows = s.income_list(
        user=request.user,
        region_code=query.region,
        start=query.start,
        end=query.end,
        kind=query.kind,
    )
    totals = s.income_totals(entries=rows)
    result = page_of(rows, query.page)
    return {
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "total": cents(totals["total"]),
        "kinds": [{"kind": k["kind"], "amount": cents(k["amount"])} for k in totals["kinds"]],
        "results": [_income(x) for x in result.rows],
    }


@router.get(
    "/ledger",
    response=LedgerOut,
    summary="三资台账（本级及下级）",
    description="资金：期初结余 + 本期下达 − 本期拨付 = 期末结余；资产：本期形成（资金部分与自筹部分）、"
    "累计资产、在建（已拨付未形成资产）；收益：期初未分配 + 本期收益 − 本期分配 = 期末未分配。"
    "默认本年 1 月 1 日至今天。",
)
def ledger(request, query: Query[LedgerQuery]):
    today = timezone.localdate()
    return s.three_assets_ledger(
        user=request.user,
        region_code=query.region,
        start=query.start or dt.date(today.year, 1, 1),
        end=query.end or today,
    )


@router.get("", response=AssetPage, summary="扶贫资产登记")
def asset_list(request, query: Query[AssetQuery]):
    rows = s.asset_list(
        user=request.user,
        region_code=query.region,
        category=query.category,
        project_id=query.project_id,
    )
    result = page_of(rows, query.page)
    return {
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "results": [_asset(x) for x in result.rows],
    }


@router.post(
    "",
    response={201: AssetOut},
    summary="登记扶贫资产",
    description="category：operating / public_welfare / household；owner_kind：village / household"
    "（household 须填本村 household_no）。fundings 合计不得超过 value，且每项不超过该资金拨付给项目"
    "而尚未形成资产的金额（409 funding_exceeds_disbursed）。",
)
def asset_create(request, payload: AssetIn):
    data = payload.model_dump()
    asset = services.asset_add(actor=request.user, **data)
    row = s.asset_list(user=request.user, region_code=asset.village_id).get(pk=asset.pk)
    return Status(201, _asset(row))


@router.get("/{asset_id}", response=AssetDetailOut, summary="一项资产及其资金来源、收益")
def asset_detail(request, asset_id: int):
    asset = s.asset_get(user=request.user, asset_id=asset_id)
    row = s.asset_list(user=request.user, region_code=asset.village_id).get(pk=asset.pk)
    return {
        **_asset(row),
        "fundings": [
            {"source_id": f.source_id, "amount": f.amount} for f in s.asset_fundings(asset=asset)
        ],
        "income_entries": [
            _income(x)
            for x in asset.income_entries.select_related("asset").order_by("-received_on")
        ],
    }


@router.post(
    "/{asset_id}/fundings",
    response={201: FundingOut},
    summary="补登资产的资金来源",
)
def funding_create(request, asset_id: int, payload: FundingIn):
    funding = services.asset_funding_add(
        asset_id=asset_id, actor=request.user, **payload.model_dump()
    )
    return Status(201, {"source_id": funding.source_id, "amount": funding.amount})


@router.post(
    "/{asset_id}/income",
    response={201: AssetIncomeOut},
    operation_id="asset_income_create",
    summary="登记资产收益",
    description="kind：rent / dividend / sales / other；每笔须有凭证号（同一资产不重复）和到账日期。",
)
def income_create(request, asset_id: int, payload: AssetIncomeIn):
    entry = services.income_add(asset_id=asset_id, actor=request.user, **payload.model_dump())
    return Status(201, _income(entry))
