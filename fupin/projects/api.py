"""API of projects (/projects): the list and file of a project, its moves and records,
beneficiaries, operators, rectification / revival plans and the look-back review."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.api.pagination import page_of
from fupin.api.types import Year
from fupin.projects import selectors as sel
from fupin.projects import services as svc
from fupin.projects.models import Operator, Project, ProjectReview, RectificationPlan

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    region_code: str
    region_name: str
    year: int
    category: str
    status: str
    expected_annual_return: Decimal | None
    total_investment: Decimal
    description: str
    operating_since: dt.date | None
    created_at: dt.datetime
    allowed_moves: list[str]


class ProjectPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ProjectOut]


class ProjectQuery(Schema):
    status: str | None = None
    year: Year | None = None
    region: str | None = None
    category: str | None = None
    q: str | None = None
    page: int = 1


class ProjectIn(Schema):
    region_code: str
    name: str
    category: str
    year: Year
    total_investment: Decimal = Decimal("0")
    description: str = ""


class ProjectMoveIn(Schema):
    to: str
    note: str = ""
    data: dict[str, Any] = {}
    resolution_id: int | None = None


class ProjectMoveOut(Schema):
    id: int
    from_status: str
    to_status: str
    actor: str | None
    created_at: dt.datetime
    note: str
    record: dict[str, Any]
    resolution_id: int | None


class ProgressIn(Schema):
    percent: int
    on: dt.date | None = None
    note: str = ""


class ProgressOut(Schema):
    id: int
    percent: int
    on: dt.date
    note: str


class ContractIn(Schema):
    operator_id: int
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    annual_amount: Decimal
    contract_no: str = ""


class ContractOut(Schema):
    id: int
    operator_id: int
    operator_name: str
    kind: str
    contract_no: str
    start_date: dt.date
    end_date: dt.date | None
    annual_amount: Decimal


class ProjectPlanIn(Schema):
    kind: str
    measures: list[str]
    deadline: dt.date
    responsible_name: str
    description: str = ""


class ProjectPlanOut(Schema):
    id: int
    project_id: int
    project_code: str
    kind: str
    measures: list[str]
    description: str
    deadline: dt.date
    responsible_name: str
    status: str
    resolution_id: int | None
    completed_on: dt.date | None
    overdue: bool


class ApproveIn(Schema):
    resolution_id: int


class RecordsOut(Schema):
    moves: list[ProjectMoveOut]
    progress: list[ProgressOut]
    contracts: list[ContractOut]
    plans: list[ProjectPlanOut]


class BeneficiaryOut(Schema):
    household_no: str
    village_code: str
    year: int
    persons: int


class BeneficiaryQuery(Schema):
    year: Year | None = None


class BeneficiaryRow(Schema):
    household_no: str
    persons: int | None = None


class BeneficiariesIn(Schema):
    year: Year
    households: list[BeneficiaryRow]


class BeneficiariesResult(Schema):
    added: int
    updated: int
    unchanged: int


class CountsFigures(Schema):
    region: str
    name: str
    projects: int
    households: int
    persons: int


class CountsOut(CountsFigures):
    year: int
    children: list[CountsFigures]


class CountsQuery(Schema):
    year: Year | None = None
    region: str | None = None


class OperatorIn(Schema):
    name: str
    kind: str
    licence_no: str
    region_code: str
    registered_capital: Decimal = Decimal("0")
    credit_clean: bool = True
    credit_record: str = ""
    legal_person: str = ""


class OperatorOut(Schema):
    id: int
    name: str
    kind: str
    licence_no: str
    region_code: str
    registered_capital: Decimal
    credit_clean: bool
    credit_record: str
    legal_person: str
    qualified: bool
    qualified_by: str | None
    qualified_at: dt.datetime | None


class QualifyIn(Schema):
    note: str = ""


class RegionQuery(Schema):
    region: str | None = None


class ReviewIn(Schema):
    region: str
    year: Year


class ReviewResultOut(Schema):
    project_id: int
    project_code: str
    project_name: str
    region_code: str
    verdict: str
    expected: Decimal
    actual: Decimal
    last_income_on: dt.date | None
    status_before: str
    moved: bool


class ReviewOut(Schema):
    id: int
    region_code: str
    year: int
    period_end: dt.date
    weak_ratio: Decimal
    idle_months: int
    run_by: str | None
    created_at: dt.datetime
    reviewed: int
    healthy: int
    weak: int
    idle: int
    moved: int


class ReviewDetailOut(ReviewOut):
    results: list[ReviewResultOut]


def _project(p: Project, user) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "region_code": p.region_id,
        "region_name": p.region.name,
        "year": p.year,
        "category": p.category,
        "status": p.status,
        "expected_annual_return": p.expected_annual_return,
        "total_investment": p.total_investment,
        "description": p.description,
        "operating_since": p.operating_since,
        "created_at": p.created_at,
        "allowed_moves": sel.moves_allowed(project=p, user=user),
    }


def _plan(plan: RectificationPlan, today: dt.date) -> dict:
    return {
        "id": plan.pk,
        "project_id": plan.project_id,
        "project_code": plan.project.code,
        "kind": plan.kind,
        "measures": plan.measures,
        "description": plan.description,
        "deadline": plan.deadline,
        "responsible_name": plan.responsible_name,
        "status": plan.status,
        "resolution_id": plan.resolution_id,
        "completed_on": plan.completed_on,
        "overdue": plan.status != "done" and plan.deadline < today,
    }


def _operator(o: Operator) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "licence_no": o.licence_no,
        "region_code": o.region_id,
        "registered_capital": o.registered_capital,
        "credit_clean": o.credit_clean,
        "credit_record": o.credit_record,
        "legal_person": o.legal_person,
        "qualified": o.qualified,
        "qualified_by": str(o.qualified_by) if o.qualified_by_id else None,
        "qualified_at": o.qualified_at,
    }


def _review(r: ProjectReview) -> dict:
    return {
        "id": r.pk,
        "region_code": r.region_id,
        "year": r.year,
        "period_end": r.period_end,
        "weak_ratio": r.weak_ratio,
        "idle_months": r.idle_months,
        "run_by": str(r.run_by) if r.run_by_id else None,
        "created_at": r.created_at,
        "reviewed": r.reviewed,
        "healthy": r.healthy,
        "weak": r.weak,
        "idle": r.idle,
        "moved": r.moved,
    }


@router.get(
    "",
    response=ProjectPageOut,
    summary="项目列表",
    description="用户所属区划内的项目，可按状态、年度、区划（本级及下级）、类别筛选；"
    "区划不在权限范围内时为 404。",
)
def project_index(request, query: Query[ProjectQuery]):
    rows = sel.project_list(
        user=request.user,
        status=query.status,
        year=query.year,
        region_code=query.region,
        category=query.category,
        q=query.q,
    )
    page = page_of(rows, query.page)
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "results": [_project(p, request.user) for p in page.rows],
    }


@router.post(
    "",
    response={201: ProjectOut},
    summary="申报项目",
    description="村级扶贫专干（或乡镇）申报本村（本镇）项目，状态为 proposed；"
    "项目编号为“年度-区划代码-序号”。",
)
def project_create(request, payload: ProjectIn):
    project = svc.project_propose(actor=request.user, **payload.model_dump())
    return Status(201, _project(project, request.user))


@router.get(
    "/beneficiary-counts",
    response=CountsOut,
    summary="项目受益户次、人次（本级及下级）",
    description="某年度（默认今年）各项目登记的受益户：户次（一户受益于两个项目计两户次）与人次，按项目所在区划汇总。",
)
def beneficiary_counts(request, query: Query[CountsQuery]):
    year = query.year or timezone.localdate().year
    return sel.beneficiary_counts(user=request.user, year=year, region_code=query.region)


@router.get(
    "/operators",
    response=list[OperatorOut],
    summary="经营主体",
)
def operator_index(request):
    return [_operator(o) for o in sel.operator_list(user=request.user)]


@router.post(
    "/operators",
    response={201: OperatorOut},
    summary="登记经营主体",
    description="licence_no 为统一社会信用代码（校验位检查）；注册资本为元、两位小数。",
)
def operator_create(request, payload: OperatorIn):
    operator = svc.operator_add(actor=request.user, **payload.model_dump())
    return Status(201, _operator(operator))


@router.post(
    "/operators/{operator_id}/qualify",
    response=OperatorOut,
    summary="审核经营主体资格（县级）",
    description="信用记录良好、已登记注册资本方可通过（operator_credit_bad / operator_capital_missing）。",
)
def operator_qualify(request, operator_id: int, payload: QualifyIn):
    operator = sel.operator_get(user=request.user, operator_id=operator_id)
    return _operator(svc.operator_qualify(operator=operator, actor=request.user, note=payload.note))


@router.get(
    "/plans/overdue",
    response=list[ProjectPlanOut],
    summary="逾期的整改、盘活方案",
    description="已过完成期限而项目尚未恢复运营的方案，期限最早的在前。",
)
def plans_overdue(request, query: Query[RegionQuery]):
    today = timezone.localdate()
    rows = sel.plans_overdue(user=request.user, today=today, region_code=query.region)
    return [_plan(p, today) for p in rows]


@router.post(
    "/plans/{plan_id}/approve",
    response=ProjectPlanOut,
    summary="登记理事会决议，方案生效",
    description="resolution_id 须为本村理事会就该事项（整改方案 / 盘活方案）通过的决议。",
)
def plan_approve(request, plan_id: int, payload: ApproveIn):
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    plan = svc.plan_approve(plan=plan, resolution_id=payload.resolution_id, actor=request.user)
    return _plan(plan, timezone.localdate())


@router.get("/reviews", response=list[ReviewOut], summary="项目回头看记录")
def review_index(request, query: Query[RegionQuery]):
    return [_review(r) for r in sel.review_list(user=request.user, region_code=query.region)[:100]]


@router.post(
    "/reviews",
    response={201: ReviewDetailOut},
    summary="开展项目回头看（县级）",
    description="对区划内运营中的项目评定正常、弱质、闲置；运营中的弱质、闲置项目转入相应状态。",
)
def review_create(request, payload: ReviewIn):
    review = svc.review_run(region_code=payload.region, year=payload.year, actor=request.user)
    return Status(201, review_detail(request, review.pk))


@router.get("/reviews/{review_id}", response=ReviewDetailOut, summary="一次回头看的结果")
def review_detail(request, review_id: int):
    review = sel.review_get(user=request.user, review_id=review_id)
    return {
        **_review(review),
        "results": [
            {
                "project_id": r.project_id,
                "project_code": r.project.code,
                "project_name": r.project.name,
                "region_code": r.project.region_id,
                "verdict": r.verdict,
                "expected": r.expected,
                "actual": r.actual,
                "last_income_on": r.last_income_on,
                "status_before": r.status_before,
                "moved": r.moved,
            }
            for r in sel.review_results(review=review)
        ],
    }


@router.get("/{project_id}", response=ProjectOut, summary="一个项目")
def project_detail(request, project_id: int):
    return _project(sel.project_get(user=request.user, project_id=project_id), request.user)


@router.post(
    "/{project_id}/move",
    response=ProjectOut,
    summary="推进项目状态",
    description="to 为目标状态；每一步由其角色办理并附记录（data）：screened/appraised 需 opinion；"
    "approved 需 document_no 与 expected_annual_return；accepted 需 report_no、findings"
    "（建设进度须达 100%）；operating 需有效经营合同；rectifying/reviving 需经理事会决议的方案；"
    "disposed 需 resolution_id（资产处置决议）、document_no 与 note；rejected 需 note。"
    "不在状态表中的变更为 409 invalid_transition，角色不符为 403 forbidden。",
)
def project_move(request, project_id: int, payload: ProjectMoveIn):
    project = sel.project_get(user=request.user, project_id=project_id)
    project = svc.project_move(
        project=project,
        to=payload.to,
        actor=request.user,
        note=payload.note,
        data=payload.data,
        resolution_id=payload.resolution_id,
    )
    return _project(project, request.user)


@router.get(
    "/{project_id}/records",
    response=RecordsOut,
    summary="项目的办理记录",
    description="状态变更（含各步记录）、建设进度、经营合同、整改盘活方案。",
)
def project_records(request, project_id: int):
    project = sel.project_get(user=request.user, project_id=project_id)
    today = timezone.localdate()
    return {
        "moves": [
            {
                "id": m.pk,
                "from_status": m.from_status,
                "to_status": m.to_status,
                "actor": str(m.actor) if m.actor_id else None,
                "created_at": m.created_at,
                "note": m.note,
                "record": m.record,
                "resolution_id": m.resolution_id,
            }
            for m in sel.project_moves(project=project)
        ],
        "progress": [
            {"id": e.pk, "percent": e.percent, "on": e.on, "note": e.note}
            for e in sel.project_progress(project=project)
        ],
        "contracts": [
            {
                "id": k.pk,
                "operator_id": k.operator_id,
                "operator_name": k.operator.name,
                "kind": k.kind,
                "contract_no": k.contract_no,
                "start_date": k.start_date,
                "end_date": k.end_date,
                "annual_amount": k.annual_amount,
            }
            for k in sel.project_contracts(project=project)
        ],
        "plans": [_plan(p, today) for p in sel.project_plans(project=project)],
    }


@router.post(
    "/{project_id}/progress",
    response={201: ProgressOut},
    operation_id="project_progress_create",
    summary="登记建设进度（乡镇）",
    description="percent 为 0–100 的整数，不得低于上次登记（progress_backwards）。",
)
def progress_create(request, project_id: int, payload: ProgressIn):
    project = sel.project_get(user=request.user, project_id=project_id)
    entry = svc.progress_record(project=project, actor=request.user, **payload.model_dump())
    return Status(
        201, {"id": entry.pk, "percent": entry.percent, "on": entry.on, "note": entry.note}
    )


@router.post(
    "/{project_id}/contracts",
    response={201: ContractOut},
    summary="签订经营合同",
    description="项目验收后，与已通过资格审核的经营主体签订（租赁 lease、入股 shares、合作 cooperative）。",
)
def contract_create(request, project_id: int, payload: ContractIn):
    project = sel.project_get(user=request.user, project_id=project_id)
    values = payload.model_dump()
    contract = svc.contract_add(
        project=project, operator=values.pop("operator_id"), actor=request.user, **values
    )
    return Status(
        201,
        {
            "id": contract.pk,
            "operator_id": contract.operator_id,
            "operator_name": contract.operator.name,
            "kind": contract.kind,
            "contract_no": contract.contract_no,
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "annual_amount": contract.annual_amount,
        },
    )


@router.get(
    "/{project_id}/beneficiaries",
    response=list[BeneficiaryOut],
    summary="项目受益户",
)
def beneficiary_index(request, project_id: int, query: Query[BeneficiaryQuery]):
    project = sel.project_get(user=request.user, project_id=project_id)
    return [
        {
            "household_no": b.household.household_no,
            "village_code": b.household.village_id,
            "year": b.year,
            "persons": b.persons,
        }
        for b in sel.project_beneficiaries(project=project, year=query.year)
    ]


@router.post(
    "/{project_id}/beneficiaries",
    response=BeneficiariesResult,
    summary="登记项目受益户",
    description="按年度登记；persons 省略时按该户在册人数计。已登记的户只更新人数，不删除。",
)
def beneficiary_create(request, project_id: int, payload: BeneficiariesIn):
    project = sel.project_get(user=request.user, project_id=project_id)
    return svc.beneficiaries_add(
        project=project,
        year=payload.year,
        households=[(row.household_no, row.persons) for row in payload.households],
        actor=request.user,
    )


@router.post(
    "/{project_id}/plans",
    response={201: ProjectPlanOut},
    summary="制定整改（弱质项目）或盘活（闲置项目）方案",
    description="measures 取自 capital_injection、assets_as_shares、cooperative、change_operator；"
    "须经理事会决议（/plans/{plan_id}/approve）后方可开始整改或盘活。",
)
def plan_create(request, project_id: int, payload: ProjectPlanIn):
    project = sel.project_get(user=request.user, project_id=project_id)
    plan = svc.plan_add(project=project, actor=request.user, **payload.model_dump())
    return Status(201, _plan(plan, timezone.localdate()))
