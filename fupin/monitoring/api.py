"""API of monitoring: self-declarations (no login), cases, their advance, objections, exit cases."""

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from fupin.api.openapi import idempotency_key
from fupin.api.pagination import page_of
from fupin.core.errors import InvalidInput, NotFound
from fupin.monitoring import choices as c
from fupin.monitoring.models import Case
from fupin.monitoring.selectors import (
    CaseFilters,
    CaseRow,
    case_get,
    case_list,
    case_rows,
    case_steps,
    declaration_regions,
    declaration_status,
)
from fupin.monitoring.services import (
    attachment_add,
    case_advance,
    declaration_photo_add,
    declaration_submit,
    declaration_track,
    exit_case_open,
    objection_answer,
    objection_lodge,
)
from fupin.monitoring.tracking import tracking_code_grouped, tracking_link
from fupin.registry.selectors import household_get
from fupin.web.qr import qr_svg

declarations_router = Router(tags=["declarations"])
cases_router = Router(tags=["cases"])
household_cases_router = Router(tags=["cases"])


class DeclarationIn(Schema):
    name: str
    id_number: str
    phone: str
    village_code: str
    household_size: int
    risk_types: list[str]
    description: str = ""


class DeclarationOut(Schema):
    tracking_code: str
    tracking_code_display: str
    case_id: int
    stage: str
    stage_label: str
    status: str
    reason: str
    due_date: dt.date | None
    submitted_at: dt.datetime
    village_name: str


class DeclarationCreatedOut(DeclarationOut):
    tracking_url: str
    tracking_qr_svg: str


def _declaration_out(declaration) -> dict:
    case = declaration.case
    return {
        "tracking_code": declaration.tracking_code,
        "tracking_code_display": tracking_code_grouped(declaration.tracking_code),
        "case_id": case.pk,
        "stage": case.stage,
        "stage_label": str(c.Stage(case.stage).label),
        "status": declaration_status(case),
        "reason": case.reject_reason,
        "due_date": case.due_date,
        "submitted_at": declaration.created_at,
        "village_name": declaration.village.name,
    }


def _client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@declarations_router.post(
    "",
    auth=None,
    response={200: DeclarationCreatedOut, 201: DeclarationCreatedOut},
    openapi_extra=idempotency_key(required=True),
    summary="农户自主申报",
    description="重试请带同一个 Idempotency-Key：同一份申报返回原查询码（200）；"
    "同一个 Idempotency-Key 用于另一份内容不同的申报时返回 409 idempotency_key_reused。",
)
def declaration_create(request, payload: DeclarationIn):
    declaration, created = declaration_submit(
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        client_address=_client_address(request),
        **payload.dict(),
    )
    link = tracking_link(request, declaration.tracking_code)
    return Status(
        201 if created else 200,
        {
            **_declaration_out(declaration),
            "tracking_url": link,
            "tracking_qr_svg": str(qr_svg(link, size="160", title=_("查询办理进度的二维码"))),
        },
    )


class RegionChoiceOut(Schema):
    code: str
    name: str
    level: int


# Before "/{tracking_code}": the first matching path wins.
@declarations_router.get(
    "/villages", auth=None, response=list[RegionChoiceOut], summary="申报用区划（县、乡镇、村）"
)
def declaration_villages(request, response: HttpResponse, parent: str = ""):
    """List the children of a region (the top regions without `parent`): codes and names only."""
    response["Cache-Control"] = "public, max-age=3600"
    return [
        {"code": r.code, "name": r.name, "level": r.level}
        for r in declaration_regions(parent_code=parent)
    ]


class DeclarationPhotoOut(Schema):
    id: int
    uploaded_at: dt.datetime


@declarations_router.post(
    "/{tracking_code}/photos",
    auth=None,
    response={200: DeclarationPhotoOut, 201: DeclarationPhotoOut},
    openapi_extra=idempotency_key(required=True, max_length=120),
    summary="为申报补充照片",
    description="multipart 表单字段 file（JPEG 或 PNG）；每张照片带手机生成的 Idempotency-Key，重试不会重复保存。",
)
def declaration_photo_create(request, tracking_code: str, file: File[UploadedFile]):
    declaration = declaration_track(
        tracking_code=tracking_code, client_address=_client_address(request)
    )
    photo, created = declaration_photo_add(
        declaration=declaration,
        upload=file,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201 if created else 200, {"id": photo.pk, "uploaded_at": photo.uploaded_at})


@declarations_router.get(
    "/{tracking_code}", auth=None, response=DeclarationOut, summary="申报进度查询"
)
def declaration_detail(request, tracking_code: str):
    """Find a code in any case, with or without its dash; misses per address are limited (429)."""
    return _declaration_out(
        declaration_track(tracking_code=tracking_code, client_address=_client_address(request))
    )


class StepOut(Schema):
    at: dt.datetime
    actor: str | None
    from_stage: str
    to_stage: str
    decision: str
    note: str
    data: dict[str, Any]


class ObjectionOut(Schema):
    id: int
    lodged_at: dt.datetime
    text: str
    answer: str
    answered_at: dt.datetime | None


class CaseSummaryOut(Schema):
    id: int
    kind: str
    route: str
    routes: list[str]
    stage: str
    status: str
    version: int
    village_code: str
    village_name: str
    household_no: str | None
    subject_name: str
    opened_at: dt.datetime
    due_date: dt.date | None
    overdue: bool


class AttachmentOut(Schema):
    id: int
    kind: str
    content_type: str
    uploaded_at: dt.datetime


class CaseOut(CaseSummaryOut):
    risk_types: list[str]
    description: str
    exit_reason: str
    reject_reason: str
    notice_started_on: dt.date | None
    decided_at: dt.datetime | None
    days_to_decision: int | None
    plan_due_date: dt.date | None
    records: dict[str, Any]
    objections: list[ObjectionOut]
    attachments: list[AttachmentOut]
    history: list[StepOut]


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseSummaryOut]


class CaseQuery(Schema):
    stage: str = ""
    status: str = ""
    kind: str = ""
    region: str = ""
    overdue: bool = False
    page: int = 1


def _summary(row: CaseRow) -> dict:
    case = row.case
    return {
        "id": case.pk,
        "kind": case.kind,
        "route": case.route,
        "routes": case.routes,
        "stage": case.stage,
        "status": case.status,
        "version": case.version,
        "village_code": case.village_id,
        "village_name": case.village.name,
        "household_no": case.household.household_no if case.household_id else None,
        "subject_name": row.subject_name,
        "opened_at": case.opened_at,
        "due_date": case.due_date,
        "overdue": row.overdue,
    }


def _case_out(case: Case) -> dict:
    return {
        **_summary(case_rows(cases=[case])[0]),
        "risk_types": case.risk_types,
        "description": case.description,
        "exit_reason": case.exit_reason,
        "reject_reason": case.reject_reason,
        "notice_started_on": case.notice_started_on,
        "decided_at": case.decided_at,
        "days_to_decision": case.days_to_decision,
        "plan_due_date": case.plan_due_date,
        "records": case.records,
        "objections": [
            {
                "id": o.pk,
                "lodged_at": o.lodged_at,
                "text": o.text,
                "answer": o.answer,
                "answered_at": o.answered_at,
            }
            for o in case.objections.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "content_type": a.content_type,
                "uploaded_at": a.uploaded_at,
            }
            for a in case.attachments.order_by("uploaded_at", "id")
        ],
        "history": [
            {
                "at": s.at,
                "actor": str(s.actor) if s.actor else None,
                "from_stage": s.from_stage,
                "to_stage": s.to_stage,
                "decision": s.decision,
                "note": s.note,
                "data": s.data,
            }
            for s in case_steps(case=case)
        ],
    }


@cases_router.get("", response=CasePageOut, summary="监测案件列表")
def cases(request, query: Query[CaseQuery]):
    rows = case_list(
        user=request.user,
        filters=CaseFilters(
            stage=query.stage,
            status=query.status,
            kind=query.kind,
            region=query.region,
            overdue=query.overdue,
        ),
    )
    page = page_of(rows, query.page)
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "results": [_summary(row) for row in case_rows(cases=page.rows)],
    }


@cases_router.get("/{case_id}", response=CaseOut, summary="监测案件详情")
def case_detail(request, case_id: int):
    return _case_out(case_get(user=request.user, case_id=case_id))


class AdvanceIn(Schema):
    # The case's `version` as read (every move adds one); a move since is 409 `stale_stage`.
    version: int | None = None
    # The stage as read: the older, weaker check, still accepted without a version.
    stage: str = ""
    decision: str
    note: str = ""
    data: dict[str, Any] = {}


@cases_router.post(
    "/{case_id}/advance", response=CaseOut, summary="办理当前环节（通过、退回、不予通过）"
)
def case_advance_endpoint(request, case_id: int, payload: AdvanceIn):
    if payload.decision not in c.Decision.values:
        raise InvalidInput(
            {"decision": _("办理意见应为 pass、return 或 reject")}, {"decision": "invalid_choice"}
        )
    case = case_advance(
        case_id=case_id,
        actor=request.user,
        seen_version=payload.version,
        seen_stage=payload.stage,
        decision=payload.decision,
        note=payload.note,
        data=payload.data,
    )
    return _case_out(case)


class ObjectionIn(Schema):
    text: str
    name: str = ""
    contact: str = ""


class ObjectionCreatedOut(Schema):
    id: int
    lodged_at: dt.datetime


@cases_router.post(
    "/{case_id}/objections",
    auth=None,
    response={201: ObjectionCreatedOut},
    openapi_extra=idempotency_key(required=False),
    summary="对公示提出异议",
)
def objection_create(request, case_id: int, payload: ObjectionIn):
    objection = objection_lodge(
        case_id=case_id,
        text=payload.text,
        name=payload.name,
        contact=payload.contact,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        client_address=_client_address(request),
    )
    return Status(201, {"id": objection.pk, "lodged_at": objection.lodged_at})


class AnswerIn(Schema):
    answer: str


@cases_router.post(
    "/{case_id}/objections/{objection_id}/answer", response=CaseOut, summary="答复公示异议"
)
def objection_answer_endpoint(request, case_id: int, objection_id: int, payload: AnswerIn):
    case = case_get(user=request.user, case_id=case_id)
    objection = case.objections.filter(pk=objection_id).first()
    if objection is None:
        raise NotFound("objection", {"id": objection_id})
    objection_answer(objection=objection, actor=request.user, answer=payload.answer)
    return _case_out(case)


class ExitCaseIn(Schema):
    reason: str
    note: str = ""


@household_cases_router.post(
    "/{household_no}/exit-cases", response={201: CaseOut}, summary="发起退出（风险消除）"
)
def exit_case_create(request, household_no: str, payload: ExitCaseIn):
    household = household_get(user=request.user, household_no=household_no)
    case = exit_case_open(
        household=household, actor=request.user, reason=payload.reason, note=payload.note
    )
    return Status(201, _case_out(case))


@cases_router.post(
    "/{case_id}/attachments",
    response={201: AttachmentOut},
    summary="上传附件（承诺授权书扫描件或照片）",
)
def attachment_create(request, case_id: int, kind: Form[str], file: File[UploadedFile]):
    case = case_get(user=request.user, case_id=case_id)
    attachment = attachment_add(case=case, kind=kind, upload=file, actor=request.user)
    return Status(
        201,
        {
            "id": attachment.pk,
            "kind": attachment.kind,
            "content_type": attachment.content_type,
            "uploaded_at": attachment.uploaded_at,
        },
    )


@cases_router.get("/{case_id}/attachments/{attachment_id}", summary="下载附件")
def attachment_download(request, case_id: int, attachment_id: int):
    case = case_get(user=request.user, case_id=case_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("attachment", {"id": attachment_id})
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
