"""API of funds (`/funds`): sources, allocations to projects, disbursements, balances, microcredit.

Reads are scoped by region (default: the user's own; out of scope is a 404). Writes name the object
they act on in the path (a source, an allocation, a loan) or, for a new source or loan, the
region or household in the body; amounts are yuan with two decimals.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.api.pagination import page_of
from fupin.api.types import Year
from fupin.core.inputs import cents
from fupin.funds import selectors as s
from fupin.funds import services

router = Router(tags=["funds"])


class SourceOut(Schema):
    id: int
    kind: str
    level: str
    year: int
    region: str
    amount: Decimal
    allocated: Decimal
    disbursed: Decimal
    unallocated: Decimal
    balance: Decimal
    document_no: str
    note: str


class AllocationOut(Schema):
    id: int
    source_id: int
    project_id: int
    project_code: str
    project_name: str
    region: str
    amount: Decimal
    disbursed: Decimal
    undisbursed: Decimal
    allocated_on: dt.date
    document_no: str
    note: str


class DisbursementOut(Schema):
    id: int
    amount: Decimal
    voucher_no: str
    paid_on: dt.date
    note: str


class SourceDetailOut(SourceOut):
    allocations: list[AllocationOut]


class AllocationDetailOut(AllocationOut):
    disbursements: list[DisbursementOut]


class RepaymentOut(Schema):
    id: int
    paid_on: dt.date
    principal: Decimal
    interest: Decimal
    voucher_no: str


class LoanOut(Schema):
    id: int
    household_no: str
    village_code: str
    bank: str
    contract_no: str
    amount: Decimal
    start_date: dt.date
    term_months: int
    due_date: dt.date
    rate: Decimal
    subsidy_rate: Decimal | None
    subsidy_amount: Decimal | None
    status: str
    repaid_on: dt.date | None
    principal_repaid: Decimal
    interest_paid: Decimal
    outstanding: Decimal
    overdue: bool


class LoanDetailOut(LoanOut):
    repayments: list[RepaymentOut]


class Figures(Schema):
    amount: Decimal
    allocated: Decimal
    disbursed: Decimal
    unallocated: Decimal
    undisbursed: Decimal
    balance: Decimal


class RegionFigures(Figures):
    region: str
    name: str


class YearFigures(Figures):
    year: int


class KindFigures(Figures):
    kind: str


class BalancesOut(Figures):
    region: str
    name: str
    year: int | None
    own: Figures | None
    children: list[RegionFigures]
    years: list[YearFigures]
    kinds: list[KindFigures]


class SourcePage(Schema):
    count: int
    page: int
    pages: int
    results: list[SourceOut]


class AllocationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AllocationOut]


class LoanPage(Schema):
    count: int
    page: int
    pages: int
    results: list[LoanOut]


class SourceQuery(Schema):
    region: str | None = None
    year: Year | None = None
    kind: str | None = None
    page: int = 1


class SourceIn(Schema):
    kind: str
    level: str = ""
    year: Year
    region: str
    amount: Decimal
    document_no: str = ""
    note: str = ""


class AllocationQuery(Schema):
    region: str | None = None
    project_id: int | None = None
    year: Year | None = None
    page: int = 1


class AllocationIn(Schema):
    project_id: int
    amount: Decimal
    allocated_on: dt.date
    document_no: str = ""
    note: str = ""


class DisbursementIn(Schema):
    amount: Decimal
    voucher_no: str
    paid_on: dt.date
    note: str = ""


class BalanceQuery(Schema):
    region: str | None = None
    year: Year | None = None


class LoanQuery(Schema):
    region: str | None = None
    status: str | None = None
    overdue: bool = False
    on: dt.date | None = None
    page: int = 1


class LoanIn(Schema):
    household_no: str
    bank: str
    amount: Decimal
    start_date: dt.date
    term_months: int
    rate: Decimal
    subsidy_rate: Decimal | None = None
    subsidy_amount: Decimal | None = None
    contract_no: str = ""
    note: str = ""


class RepaymentIn(Schema):
    paid_on: dt.date
    principal: Decimal = Decimal("0")
    interest: Decimal = Decimal("0")
    voucher_no: str


def _source(x) -> dict:
    return {
        "id": x.pk,
        "kind": x.kind,
        "level": x.level,
        "year": x.year,
        "region": x.region_id,
        "amount": x.amount,
        "allocated": cents(x.allocated),
        "disbursed": cents(x.disbursed),
        "unallocated": x.amount - cents(x.allocated),
        "balance": x.amount - cents(x.disbursed),
        "document_no": x.document_no,
        "note": x.note,
    }


def _allocation(x) -> dict:
    return {
        "id": x.pk,
        "source_id": x.source_id,
        "project_id": x.project_id,
        "project_code": x.project.code,
        "project_name": x.project.name,
        "region": x.project.region_id,
        "amount": x.amount,
        "disbursed": cents(x.disbursed),
        "undisbursed": x.amount - cents(x.disbursed),
        "allocated_on": x.allocated_on,
        "document_no": x.document_no,
        "note": x.note,
    }


def _disbursement(x) -> dict:
    return {
        "id": x.pk,
        "amount": x.amount,
        "voucher_no": x.voucher_no,
        "paid_on": x.paid_on,
        "note": x.note,
    }


def _loan(x, on: dt.date) -> dict:
    return {
        "id": x.pk,
        "household_no": x.household.household_no,
        "village_code": x.household.village_id,
        "bank": x.bank,
        "contract_no": x.contract_no,
        "amount": x.amount,
        "start_date": x.start_date,
        "term_months": x.term_months,
        "due_date": x.due_date,
        "rate": x.rate,
        "subsidy_rate": x.subsidy_rate,
        "subsidy_amount": x.subsidy_amount,
        "status": x.status,
        "repaid_on": x.repaid_on,
        "principal_repaid": cents(x.principal_repaid),
        "interest_paid": cents(x.interest_paid),
        "outstanding": cents(x.outstanding),
        "overdue": s.loan_is_overdue(loan=x, on=on),
    }


def _paged(rows, page: int, convert) -> dict:
    result = page_of(rows, page)
    return {
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "results": [convert(row) for row in result.rows],
    }


@router.get("/sources", response=SourcePage, summary="资金来源（含已下达、已拨付）")
def source_list(request, query: Query[SourceQuery]):
    """List a region's fund sources with what was allocated and paid out of each."""
    rows = s.source_list(
        user=request.user, region_code=query.region, year=query.year, kind=query.kind
    )
    return _paged(rows, query.page, _source)


@router.post(
    "/sources",
    response={201: SourceOut},
    summary="登记资金来源",
    description="kind：special（财政专项扶贫资金，须填 level：central/provincial/city/county）、"
    "integrated、microcredit、donation、other。县级扶贫办（及市级）可登记。",
)
def source_create(request, payload: SourceIn):
    data = payload.model_dump()
    source = services.source_add(actor=request.user, region_code=data.pop("region"), **data)
    return Status(201, _source(s.source_get(user=request.user, source_id=source.pk)))


@router.get("/sources/{source_id}", response=SourceDetailOut, summary="一项资金来源及其下达")
def source_detail(request, source_id: int):
    source = s.source_get(user=request.user, source_id=source_id)
    allocations = s.allocation_list(
        user=request.user, region_code=source.region_id, source_id=source.pk
    )
    return {**_source(source), "allocations": [_allocation(a) for a in allocations]}


@router.post(
    "/sources/{source_id}/allocations",
    response={201: AllocationOut},
    summary="下达资金到项目",
    description="下达合计不得超过资金来源金额（409 fund_overspent）；项目须已审批且在资金所属区划内。",
)
def allocation_create(request, source_id: int, payload: AllocationIn):
    allocation = services.allocation_add(
        source_id=source_id, actor=request.user, **payload.model_dump()
    )
    return Status(
        201, _allocation(s.allocation_get(user=request.user, allocation_id=allocation.pk))
    )


@router.get("/allocations", response=AllocationPage, summary="资金下达（含已拨付）")
def allocation_list(request, query: Query[AllocationQuery]):
    rows = s.allocation_list(
        user=request.user,
        region_code=query.region,
        project_id=query.project_id,
        year=query.year,
    )
    return _paged(rows, query.page, _allocation)


@router.get(
    "/allocations/{allocation_id}", response=AllocationDetailOut, summary="一项资金下达及其拨付"
)
def allocation_detail(request, allocation_id: int):
    allocation = s.allocation_get(user=request.user, allocation_id=allocation_id)
    return {
        **_allocation(allocation),
        "disbursements": [
            _disbursement(d) for d in s.allocation_disbursements(allocation=allocation)
        ],
    }


@router.post(
    "/allocations/{allocation_id}/disbursements",
    response={201: DisbursementOut},
    summary="登记资金拨付",
    description="每笔拨付须有凭证号和日期；拨付合计不得超过下达金额"
    "（409 disbursement_exceeds_allocation）。乡镇财政所（乡镇扶贫办）登记。",
)
def disbursement_create(request, allocation_id: int, payload: DisbursementIn):
    disbursement = services.disbursement_add(
        allocation_id=allocation_id, actor=request.user, **payload.model_dump()
    )
    return Status(201, _disbursement(disbursement))


@router.get("/balances", response=BalancesOut, summary="资金结余（按区划、年度、资金类型）")
def balances(request, query: Query[BalanceQuery]):
    return s.fund_balances(user=request.user, region_code=query.region, year=query.year)


@router.get(
    "/loans",
    response=LoanPage,
    summary="扶贫小额贷款",
    description="overdue=true 只列逾期贷款（到期日加宽限天数已过、本金未还清），on 为判断日（默认今天）。",
)
def loan_list(request, query: Query[LoanQuery]):
    on = query.on or timezone.localdate()
    rows = s.loan_list(
        user=request.user,
        region_code=query.region,
        status=query.status,
        overdue_on=on if query.overdue else None,
    )
    return _paged(rows, query.page, lambda x: _loan(x, on))


@router.post(
    "/loans",
    response={201: LoanOut},
    summary="登记扶贫小额贷款",
    description="到期一次还本（到期日 = 放款日 + 期限月数）；金额和期限不超过政策上限。"
    "贴息按利率（subsidy_rate）或按金额（subsidy_amount），只填一项。",
)
def loan_create(request, payload: LoanIn):
    loan = services.loan_add(actor=request.user, **payload.model_dump())
    return Status(201, _loan(s.loan_get(user=request.user, loan_id=loan.pk), timezone.localdate()))


@router.get("/loans/{loan_id}", response=LoanDetailOut, summary="一笔贷款及其还款")
def loan_detail(request, loan_id: int):
    loan = s.loan_get(user=request.user, loan_id=loan_id)
    return {
        **_loan(loan, timezone.localdate()),
        "repayments": [
            {
                "id": r.pk,
                "paid_on": r.paid_on,
                "principal": r.principal,
                "interest": r.interest,
                "voucher_no": r.voucher_no,
            }
            for r in loan.repayments.order_by("paid_on", "id")
        ],
    }


@router.post(
    "/loans/{loan_id}/repayments",
    response={201: RepaymentOut},
    summary="登记还款",
    description="还款本金合计不得超过贷款金额（409 repayment_exceeds_principal）；本金还清即结清。",
)
def repayment_create(request, loan_id: int, payload: RepaymentIn):
    repayment = services.repayment_add(loan_id=loan_id, actor=request.user, **payload.model_dump())
    return Status(
        201,
        {
            "id": repayment.pk,
            "paid_on": repayment.paid_on,
            "principal": repayment.principal,
            "interest": repayment.interest,
            "voucher_no": repayment.voucher_no,
        },
    )
