"""API of pairing: coverage, visits (走访) and leaders' rounds (遍访) under `/pairing`."""

import datetime as dt

from django.utils import timezone
from ninja import File, Query, Router, Schema, Status, UploadedFile

from fupin.api.openapi import idempotency_key
from fupin.api.pagination import page_of
from fupin.pairing.selectors import (
    coverage,
    my_households,
    overdue_households,
    round_targets,
    rounds_progress,
    visit_compliance,
    visit_get,
    visit_list,
)
from fupin.pairing.services import round_visit_record, visit_photo_add, visit_record
from fupin.regions.selectors import region_get
from fupin.registry.selectors import household_get

router = Router(tags=["pairing"])


class CoverageFigures(Schema):
    region: str
    needing: int
    covered: int
    uncovered: int
    cadres_active: int
    cadres_over_capacity: int


class CoverageOut(CoverageFigures):
    children: list[CoverageFigures]


class CoverageQuery(Schema):
    region: str | None = None


@router.get("/coverage", response=CoverageOut, summary="结对帮扶覆盖情况（本级及下级）")
def coverage_get(request, query: Query[CoverageQuery]):
    """Return needing / covered / uncovered households and active / over-capacity cadres.

    `region` defaults to the user's own region; a region outside the scope is a 404.
    """
    return coverage(user=request.user, region_code=query.region)


# -- visits (走访) ------------------------------------------------------------------------------


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """Return the period asked, this calendar year to date by default."""
    today = timezone.localdate()
    end = end or today
    return start or dt.date(end.year, 1, 1), end


class ComplianceFigures(Schema):
    region: str
    name: str
    needing: int
    on_time: int
    overdue: int


class ComplianceOut(ComplianceFigures):
    on: dt.date
    children: list[ComplianceFigures]


class RegionDateQuery(Schema):
    region: str | None = None
    on: dt.date | None = None


@router.get(
    "/visit-compliance", response=ComplianceOut, summary="走访情况：需帮扶户数、按期走访、逾期未访"
)
def visit_compliance_get(request, query: Query[RegionDateQuery]):
    """Return households needing a cadre, visited on time and overdue, for a region and its children.

    `region` defaults to the user's own region (out of scope: 404); `on` defaults to today.
    """
    return visit_compliance(user=request.user, region_code=query.region, on=query.on)


class VisitOverdueOut(Schema):
    household_no: str
    village_code: str
    village_name: str
    support_category: str
    last_visit: dt.date | None


class VisitOverduePage(Schema):
    count: int
    page: int
    pages: int
    results: list[VisitOverdueOut]


class VisitOverdueQuery(RegionDateQuery):
    page: int = 1


@router.get("/overdue", response=VisitOverduePage, summary="逾期未走访的农户")
def overdue_list(request, query: Query[VisitOverdueQuery]):
    """List the households of a region overdue for a visit on a date, longest unvisited first."""
    rows = overdue_households(user=request.user, region_code=query.region, on=query.on)
    page = page_of(rows, query.page)
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "results": [
            {
                "household_no": h.household_no,
                "village_code": h.village_id,
                "village_name": h.village.name,
                "support_category": h.support_category,
                "last_visit": h.last_visit,
            }
            for h in page.rows
        ],
    }


class MyHouseholdOut(Schema):
    household_no: str
    head_name: str
    village_name: str
    support_category: str
    last_visit: dt.date | None
    overdue: bool


@router.get("/my-households", response=list[MyHouseholdOut], summary="我的结对户（帮扶责任人）")
def my_households_list(request):
    """List the households paired with the logged-in cadre, overdue first (others: empty)."""
    return [
        {
            "household_no": item.household.household_no,
            "head_name": item.head_name,
            "village_name": item.household.village.name,
            "support_category": item.household.support_category,
            "last_visit": item.last_visit,
            "overdue": item.overdue,
        }
        for item in my_households(user=request.user)
    ]


class VisitIn(Schema):
    household_no: str
    visited_at: dt.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    found: str = ""
    done: str = ""
    problems: str = ""
    problems_solved: bool = False
    cadre_id: int | None = None


class VisitOut(Schema):
    id: int
    household_no: str
    cadre_id: int
    cadre_name: str
    visited_at: dt.datetime
    latitude: float | None
    longitude: float | None
    found: str
    done: str
    problems: str
    problems_solved: bool
    photos: int


def _visit_out(visit, photos: int | None = None) -> dict:
    return {
        "id": visit.pk,
        "household_no": visit.household.household_no,
        "cadre_id": visit.cadre_id,
        "cadre_name": visit.cadre.name,
        "visited_at": visit.visited_at,
        "latitude": float(visit.latitude) if visit.latitude is not None else None,
        "longitude": float(visit.longitude) if visit.longitude is not None else None,
        "found": visit.found,
        "done": visit.done,
        "problems": visit.problems,
        "problems_solved": visit.problems_solved,
        "photos": visit.photos.count() if photos is None else photos,
    }


@router.post(
    "/visits",
    response={200: VisitOut, 201: VisitOut},
    openapi_extra=idempotency_key(required=True),
    summary="登记走访",
    description="帮扶责任人只能登记与本人结对的农户；带手机生成的 Idempotency-Key，重试不会重复登记。",
)
def visit_create(request, payload: VisitIn):
    household = household_get(user=request.user, household_no=payload.household_no)
    visit, created = visit_record(
        household=household,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        actor=request.user,
        **payload.dict(exclude={"household_no"}),
    )
    return Status(201 if created else 200, _visit_out(visit))


class VisitPhotoOut(Schema):
    id: int
    uploaded_at: dt.datetime


@router.post(
    "/visits/{visit_id}/photos",
    response={200: VisitPhotoOut, 201: VisitPhotoOut},
    openapi_extra=idempotency_key(required=True, max_length=120),
    summary="为走访补充照片",
    description="multipart 表单字段 file（JPEG 或 PNG）；每张照片带手机生成的 Idempotency-Key。",
)
def visit_photo_create(request, visit_id: int, file: File[UploadedFile]):
    visit = visit_get(user=request.user, visit_id=visit_id)
    photo, created = visit_photo_add(
        visit=visit,
        upload=file,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        actor=request.user,
    )
    return Status(201 if created else 200, {"id": photo.pk, "uploaded_at": photo.uploaded_at})


@router.get("/households/{household_no}/visits", response=list[VisitOut], summary="农户的走访记录")
def household_visits(request, household_no: str):
    household = household_get(user=request.user, household_no=household_no)
    return [
        _visit_out(v, v.photo_count) for v in visit_list(user=request.user, household=household)
    ]


# -- leaders' rounds (遍访) ---------------------------------------------------------------------


class RoundVisitIn(Schema):
    region_code: str | None = None
    household_no: str | None = None
    visited_at: dt.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    notes: str = ""


class RoundVisitOut(Schema):
    id: int
    region_code: str
    household_no: str | None
    visited_at: dt.datetime
    notes: str


@router.post(
    "/rounds",
    response={200: RoundVisitOut, 201: RoundVisitOut},
    openapi_extra=idempotency_key(required=True),
    summary="登记遍访（书记）",
    description="region_code（重点镇、重点村）或 household_no 二选一；带 Idempotency-Key。",
)
def round_visit_create(request, payload: RoundVisitIn):
    region = household = None
    if payload.household_no:
        household = household_get(user=request.user, household_no=payload.household_no)
    elif payload.region_code:
        region = region_get(user=request.user, code=payload.region_code)
    visit, created = round_visit_record(
        leader=request.user,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        region=region,
        household=household,
        **payload.dict(exclude={"region_code", "household_no"}),
    )
    return Status(
        201 if created else 200,
        {
            "id": visit.pk,
            "region_code": visit.region_id,
            "household_no": household.household_no if household else None,
            "visited_at": visit.visited_at,
            "notes": visit.notes,
        },
    )


class PeriodQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class RoundTargetOut(Schema):
    kind: str
    code: str
    name: str
    village_code: str
    last_visit: dt.date | None


@router.get("/rounds/mine", response=list[RoundTargetOut], summary="我的遍访对象（书记）")
def round_targets_mine(request, query: Query[PeriodQuery]):
    """List the logged-in leader's round targets and their last visit in the period (others: empty)."""
    start, end = _period(query.start, query.end)
    return [vars(t) for t in round_targets(user=request.user, start=start, end=end)]


class LeaderProgressOut(Schema):
    leader_id: int
    name: str
    position: str
    region_code: str
    targets: int
    visited: int
    share: float


class ProgressQuery(PeriodQuery):
    region: str | None = None


@router.get("/rounds/progress", response=list[LeaderProgressOut], summary="书记遍访进度")
def rounds_progress_list(request, query: Query[ProgressQuery]):
    """List the leaders of a region with targets, visited and share in the period (this year by default)."""
    start, end = _period(query.start, query.end)
    rows = rounds_progress(user=request.user, region_code=query.region, start=start, end=end)
    return [{**vars(row), "share": round(row.share, 4)} for row in rows]
