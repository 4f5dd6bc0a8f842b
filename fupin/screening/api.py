"""API of department screening: departments' systems send feeds; county officers run screenings.

`/screening/feeds` (list, upload), `/screening/runs` (list, start), `/screening/runs/{run_id}`
(status, phase, summary) and `/screening/runs/{run_id}/flags` (the flagged households, filtered).
A user without the permission sees empty lists; objects outside the scope are 404.
"""

import datetime as dt
from decimal import Decimal

from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from fupin.api.pagination import page_of
from fupin.api.types import Year
from fupin.regions.selectors import region_get
from fupin.screening.selectors import flag_list, run_get, run_list, upload_list
from fupin.screening.services import feed_upload, run_start

router = Router(tags=["screening"])


class FeedOut(Schema):
    id: int
    region: str
    feed: str
    original_name: str
    size: int
    uploaded_at: dt.datetime


class RunIn(Schema):
    region: str
    year: Year
    create_cases: bool = False


class RunOut(Schema):
    id: int
    region: str
    year: int
    status: str
    phase: str
    create_cases: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
    summary: dict
    cases: dict
    error: str


class FlagOut(Schema):
    household_no: str
    village_code: str
    size: int
    per_capita_income: Decimal | None
    rules: list[str]
    registry_category: str
    case_id: int | None
    figures: dict


class FlagPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[FlagOut]


class FlagQuery(Schema):
    rule: str = ""
    town: str = ""
    village: str = ""
    page: int = 1


def _feed_out(row) -> dict:
    return {
        "id": row.pk,
        "region": row.region_id,
        "feed": row.feed,
        "original_name": row.original_name,
        "size": row.size,
        "uploaded_at": row.uploaded_at,
    }


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "region": run.region_id,
        "year": run.year,
        "status": run.status,
        "phase": run.phase,
        "create_cases": run.create_cases,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "summary": run.summary,
        "cases": run.cases,
        "error": run.error,
    }


def _run(request, run_id: int):
    return run_get(user=request.user, run_id=run_id)


@router.get("/feeds", response=list[FeedOut], summary="已报送的部门数据")
def feeds(request):
    return [_feed_out(row) for row in upload_list(user=request.user)[:200]]


@router.post("/feeds", response={201: FeedOut}, summary="报送一类部门数据（CSV 或 Parquet）")
def feed_create(request, region: Form[str], feed: Form[str], file: File[UploadedFile]):
    row = feed_upload(
        actor=request.user,
        region=region_get(user=request.user, code=region),
        feed=feed,
        upload=file,
    )
    return Status(201, _feed_out(row))


@router.get("/runs", response=list[RunOut], summary="筛查批次")
def runs(request):
    return [_run_out(run) for run in run_list(user=request.user)[:200]]


@router.post("/runs", response={202: RunOut}, summary="开始一次筛查（后台运行）")
def run_create(request, payload: RunIn):
    run = run_start(
        actor=request.user,
        region=region_get(user=request.user, code=payload.region),
        year=payload.year,
        create_cases=payload.create_cases,
    )
    return Status(202, _run_out(run))


@router.get("/runs/{run_id}", response=RunOut, summary="筛查批次的进度与结果摘要")
def run_detail(request, run_id: int):
    return _run_out(_run(request, run_id))


@router.get("/runs/{run_id}/flags", response=FlagPageOut, summary="预警农户")
def run_flags(request, run_id: int, query: Query[FlagQuery]):
    run = _run(request, run_id)
    page = page_of(
        flag_list(
            user=request.user, run=run, rule=query.rule, town=query.town, village=query.village
        ),
        query.page,
    )
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "results": [
            {
                "household_no": f.household_no,
                "village_code": f.village_code,
                "size": f.size,
                "per_capita_income": f.per_capita_income,
                "rules": f.rule_list,
                "registry_category": f.registry_category,
                "case_id": f.case_id,
                "figures": f.figures,
            }
            for f in page.rows
        ],
    }
