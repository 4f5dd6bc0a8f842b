"""Pages of monitoring: the case list, the case page with its stage form, the notice sheet, exit
cases, cadre findings, and the residents' self-declaration app (/declare, /track)."""

import datetime as dt
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from fupin.assistance.selectors import plan_for_household, plan_overdue
from fupin.core.errors import FupinError, InvalidInput, NotFound
from fupin.core.masking import mask_id_number, mask_phone
from fupin.monitoring import choices as c
from fupin.monitoring.forms import (
    CadreFindingForm,
    CaseFilterForm,
    ExitCaseForm,
    ObjectionAnswerForm,
    ObjectionRecordForm,
    PublicObjectionForm,
    screening_summary,
    stage_form_class,
)
from fupin.monitoring.labels import FieldLine, evidence_lines
from fupin.monitoring.models import Attachment, Case
from fupin.monitoring.notice import (
    HOTLINE,
    notice_contact,
    notice_is_open,
    notice_period,
    notice_public_url,
    notice_token_valid,
)
from fupin.monitoring.selectors import (
    case_get,
    case_list,
    case_rows,
    case_steps,
    declaration_status,
)
from fupin.monitoring.services import (
    OBJECTION_MAX_CHARS,
    attachment_add,
    case_advance,
    case_open,
    declaration_track,
    exit_case_open,
    exit_conditions,
    objection_answer,
    objection_lodge,
)
from fupin.monitoring.tracking import tracking_code_grouped
from fupin.policy.selectors import policy_get
from fupin.regions.selectors import region_get, region_path
from fupin.registry import choices as rc
from fupin.registry.selectors import household_get
from fupin.web.access import page_permission_required
from fupin.web.pwa import service_worker_response
from fupin.web.qr import qr_svg

PAGE_SIZE = 50

DECISION_LABELS = {
    **dict(c.Decision.choices),
    "open": gettext_lazy("发起"),
    "join": gettext_lazy("并入"),
}
DECISION_BUTTONS = {
    c.Decision.PASS: "btn-success",
    c.Decision.RETURN: "btn-outline-secondary",
    c.Decision.REJECT: "btn-outline-danger",
}
STATUS_BADGES = {
    c.CaseStatus.OPEN: "text-bg-primary",
    c.CaseStatus.APPROVED: "text-bg-success",
    c.CaseStatus.REJECTED: "text-bg-secondary",
}
# Labels of what the stages record (keys of Case.records[stage]).
RECORD_LABELS = {
    "verifiers": gettext_lazy("核查人"),
    "findings": gettext_lazy("情况"),
    "commitment_signed": gettext_lazy("承诺授权书"),
    "members": gettext_lazy("核查时家庭成员"),
    "income": gettext_lazy("核查时收入"),
    "screening": gettext_lazy("部门筛查数据"),
    "date": gettext_lazy("评议日期"),
    "representatives": gettext_lazy("参会代表人数"),
    "votes_for": gettext_lazy("赞成票"),
    "votes_against": gettext_lazy("反对票"),
    "minutes": gettext_lazy("评议记录"),
    "started_on": gettext_lazy("公示开始"),
    "ended_on": gettext_lazy("公示结束"),
    "objections": gettext_lazy("收到异议"),
    "opinion": gettext_lazy("审核意见"),
    "monitoring_type": gettext_lazy("监测类型"),
    "risk_types": gettext_lazy("风险类型"),
    "exit_reason": gettext_lazy("退出原因"),
}
# docs/domain.md "Exit conditions", each named as met (the service names what is not).
CONDITION_LABELS = {
    "monitored_too_short": gettext_lazy("纳入监测满规定月数"),
    "income_not_stable": gettext_lazy("人均纯收入达到监测收入标准"),
    "no_assistance_measure": gettext_lazy("已落实帮扶措施"),
    "no_labor_ability": gettext_lazy("家庭有劳动能力"),
}
# Stages whose record the county's decision makes public: a notice sheet exists from the notice on.
NOTICE_ONWARDS = (c.Stage.NOTICE, c.Stage.TOWN_REVIEW, c.Stage.COUNTY_DECIDE)


def _is_partial(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _labels(keys, choices) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(key, key)) for key in keys or [])


def _shown(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return (
            _("已签署") if key == "commitment_signed" and value else (_("是") if value else _("否"))
        )
    if key == "verifiers" and isinstance(value, list):
        return "、".join(value)
    if key == "risk_types":
        return _labels(value, rc.RiskType.choices)
    if key == "monitoring_type":
        return str(dict(rc.MonitoringType.choices).get(value, value))
    if key == "exit_reason":
        return str(dict(c.ExitReason.choices).get(value, value))
    if key == "screening":
        return screening_summary(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _records(case: Case) -> list[dict]:
    """Return what each passed stage recorded, in the order of the procedure."""
    shown = []
    screening = case.records.get("screening")
    if screening:
        shown.append(
            {"stage": "screening", "label": _("部门筛查预警"), "items": evidence_lines(screening)}
        )
    for stage in c.ORDER:
        record = case.records.get(stage)
        if not record:
            continue
        items = [
            FieldLine(str(RECORD_LABELS.get(key, key)), _shown(key, value))
            for key, value in record.items()
            if not (stage == c.Stage.COMPARE and key == "screening")
        ]
        shown.append({"stage": stage, "label": c.Stage(stage).label, "items": items})
    return shown


def _progress(case: Case) -> list[dict]:
    """Return the stages with their state: done, current or to come."""
    current = c.ORDER.index(case.stage) if case.stage in c.ORDER else len(c.ORDER)
    return [
        {
            "stage": stage,
            "label": stage.label,
            "role": c.STAGE_ROLE[stage].label,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, stage in enumerate(c.ORDER)
    ]


def _subject(case: Case) -> dict:
    """Return who the case is about: the household's head, else the declarant."""
    head = (
        case.household.members.active().filter(relation=rc.Relation.HEAD).first()
        if case.household_id
        else None
    )
    if head is not None:
        name, id_number, phone = head.name, head.id_number, head.phone
    else:
        name, id_number, phone = (
            case.declarant_name,
            case.declarant_id_number,
            case.declarant_phone,
        )
    size = case.household_size
    if size is None and case.household_id:
        size = case.household.members.active().count()
    return {
        "name": name,
        "masked_id": mask_id_number(id_number),
        "masked_phone": mask_phone(phone),
        "household_size": size,
    }


def _notice_dates(case: Case) -> tuple[dt.date | None, int | None]:
    """Return the end of the case's public notice and its number of days (None before it started)."""
    if case.notice_started_on is None:
        return None, None
    days = int(
        policy_get("monitoring.notice_days", region_code=case.village_id, on=case.notice_started_on)
    )
    return case.notice_started_on + dt.timedelta(days=days), days


def _has_notice(case: Case) -> bool:
    """Tell whether the case has a public notice to print: at the notice stage or later."""
    return case.notice_started_on is not None and (
        case.stage in NOTICE_ONWARDS or case.status != c.CaseStatus.OPEN
    )


def _can_act(user, case: Case) -> bool:
    """Tell whether the user owns the case's current stage (the service decides in the end)."""
    if case.status != c.CaseStatus.OPEN:
        return False
    owner = c.STAGE_ROLE.get(c.Stage(case.stage))
    return user.role == owner and user.has_perm("monitoring.advance_case", case)


def _plan_state(case: Case) -> dict | None:
    if case.plan_due_date is None or not case.household_id:
        return None
    plan = plan_for_household(household=case.household)
    today = timezone.localdate()
    return {
        "due_date": case.plan_due_date,
        "overdue": plan_overdue(plan=plan, today=today)
        if plan is not None
        else case.plan_due_date < today,
    }


def _render_case(
    request,
    case: Case,
    *,
    stage_form=None,
    stage_error: FupinError | None = None,
    answer_forms: dict | None = None,
    record_form=None,
    upload_error: str = "",
    status: int = 200,
):
    """Render the case page: the whole record and, for the stage's owner, the stage's form."""
    user = request.user
    can_act = _can_act(user, case)
    form_class = stage_form_class(stage=case.stage, kind=case.kind)
    if can_act and form_class is not None:
        if stage_form is None or stage_form.case.stage != case.stage:
            stage_form = form_class(case=case)
    else:
        stage_form = None
    decisions = [
        {"value": d.value, "label": d.label, "button": DECISION_BUTTONS[d]}
        for d in c.Decision
        if d.value in c.DECISIONS.get(case.stage, {})
    ]
    notice_ends, notice_days = _notice_dates(case)
    objections = list(case.objections.select_related("answered_by"))
    answering = can_act and case.stage == c.Stage.NOTICE
    answer_forms = answer_forms or {}
    conditions = None
    if (
        can_act
        and case.kind == c.CaseKind.EXIT
        and case.stage == c.Stage.COUNTY_DECIDE
        and case.exit_reason in (c.ExitReason.RISK_ELIMINATED, c.ExitReason.INCOME_STABLE)
    ):
        conditions = [
            {
                "code": cond.code,
                "label": CONDITION_LABELS.get(cond.code, cond.code),
                "met": cond.met,
                "message": cond.message,
            }
            for cond in exit_conditions(household=case.household, on=timezone.localdate())
        ]
    today = timezone.localdate()
    context = {
        "case": case,
        "subject": _subject(case),
        "region_path": [r for r in region_path(region=case.village) if r.level >= 6],
        "routes": _labels(case.routes or [case.route], c.Route.choices),
        "risk_types": _labels(case.risk_types, rc.RiskType.choices),
        "status_badge": STATUS_BADGES.get(case.status, "text-bg-light"),
        "overdue": case.status == c.CaseStatus.OPEN
        and case.due_date is not None
        and case.due_date < today,
        "progress": _progress(case),
        "records": _records(case),
        "steps": [
            {"step": s, "decision": DECISION_LABELS.get(s.decision, s.decision)}
            for s in case_steps(case=case)
        ],
        "objections": [
            {
                "objection": o,
                "form": answer_forms.get(o.pk) or (ObjectionAnswerForm() if answering else None),
            }
            for o in objections
        ],
        "attachments": list(case.attachments.order_by("uploaded_at", "id")),
        "can_upload": case.status == c.CaseStatus.OPEN
        and user.has_perm("monitoring.add_case", case),
        "upload_error": upload_error,
        "attachment_kinds": Attachment.Kind.choices,
        "can_act": can_act,
        "owner_role": c.STAGE_ROLE[c.Stage(case.stage)].label if case.stage in c.ORDER else "",
        "stage_form": stage_form,
        "stage_error": stage_error,
        "decisions": decisions,
        "notice_ends": notice_ends,
        "notice_days": notice_days,
        "notice_sheet": _has_notice(case),
        "answering": answering,
        "record_form": record_form or (ObjectionRecordForm() if answering else None),
        "conditions": conditions,
        "plan": _plan_state(case),
        "can_view_household": case.household_id
        and user.has_perm("registry.view_household", case.household),
    }
    return render(request, "monitoring/case_detail.html", context, status=status)


@page_permission_required("monitoring.view_case")
def case_list_page(request):
    """Show the cases in the user's scope matching the filters, overdue and oldest due first."""
    form = CaseFilterForm(request.GET, user=request.user)
    if form.is_valid():
        cases = case_list(user=request.user, filters=form.to_filters())
        page = Paginator(cases, PAGE_SIZE).get_page(form.cleaned_data.get("page"))
        rows = case_rows(cases=page.object_list)
    else:
        page, rows = None, []
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_open": request.user.has_perm("monitoring.add_case"),
    }
    template = (
        "monitoring/_case_results.html" if _is_partial(request) else "monitoring/case_list.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@permission_required("monitoring.view_case", raise_exception=True)
def case_detail(request, case_id: int):
    """Show a case; a POST is the stage owner's decision on the stage the page showed."""
    case = case_get(user=request.user, case_id=case_id)
    if request.method != "POST":
        return _render_case(request, case)
    seen_stage = request.POST.get("stage", "")
    decision = request.POST.get("decision", "")
    form_class = stage_form_class(stage=seen_stage, kind=case.kind)
    if form_class is None or decision not in c.Decision.values:
        return _render_case(
            request,
            case,
            stage_error=InvalidInput({}, message=_("请从页面上的按钮办理")),
            status=InvalidInput.status,
        )
    # The form is bound to the case as the page showed it, so that its errors stay on its fields.
    shown = Case(pk=case.pk, kind=case.kind, stage=seen_stage, records=case.records)
    shown.exit_reason, shown.risk_types = case.exit_reason, case.risk_types
    form = form_class(request.POST, case=shown)
    if form.is_valid() and form.cleaned_data.get("version") is None:
        return _render_case(
            request,
            case,
            stage_error=InvalidInput({}, message=_("请从页面上的按钮办理")),
            status=InvalidInput.status,
        )
    if form.is_valid():
        try:
            moved = case_advance(
                case_id=case.pk,
                actor=request.user,
                seen_version=form.cleaned_data["version"],
                seen_stage=seen_stage,
                decision=decision,
                note=form.cleaned_data.get("note") or "",
                data=form.data_for_service() if decision == c.Decision.PASS else {},
            )
        except FupinError as error:
            if isinstance(error, NotFound):
                raise
            fresh = case_get(user=request.user, case_id=case_id)
            # A stale page gets the case as it is now, with a new form: what was typed was
            # decided on a case that has changed.
            if error.code == "stale_stage" or not _can_act(request.user, fresh):
                return _render_case(request, fresh, stage_error=error, status=error.status)
            form.add_service_error(error)
            return _render_case(request, fresh, stage_form=form, status=error.status)
        messages.success(
            request,
            _("已办理：%(stage)s — %(decision)s")
            % {"stage": c.Stage(seen_stage).label, "decision": c.Decision(decision).label},
        )
        return redirect("monitoring:case_detail", case_id=moved.pk)
    return _render_case(request, case, stage_form=form, status=422)


@require_POST
@login_required
@permission_required("monitoring.view_case", raise_exception=True)
def objection_answer_page(request, case_id: int, objection_id: int):
    """Record the village officer's answer to an objection of the notice."""
    case = case_get(user=request.user, case_id=case_id)
    objection = case.objections.filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    form = ObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            objection_answer(
                objection=objection, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except FupinError as error:
            if error.code == "forbidden":
                raise PermissionDenied(str(error.message)) from None
            form.add_service_error(error)
        else:
            messages.success(request, _("已答复异议"))
            return redirect("monitoring:case_detail", case_id=case.pk)
    return _render_case(request, case, answer_forms={objection.pk: form}, status=422)


@require_POST
@login_required
@permission_required("monitoring.view_case", raise_exception=True)
def objection_record(request, case_id: int):
    """Write down an objection a resident raised in person during the notice."""
    case = case_get(user=request.user, case_id=case_id)
    if not _can_act(request.user, case):
        raise PermissionDenied
    form = ObjectionRecordForm(request.POST)
    if form.is_valid():
        try:
            objection_lodge(case_id=case.pk, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已登记异议，请在公示期内答复"))
            return redirect("monitoring:case_detail", case_id=case.pk)
    return _render_case(request, case, record_form=form, status=422)


@require_POST
@login_required
@permission_required("monitoring.add_case", raise_exception=True)
def attachment_upload(request, case_id: int):
    """Keep the scanned commitment or a photo with the case."""
    case = case_get(user=request.user, case_id=case_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _render_case(request, case, upload_error=_("请选择文件"), status=422)
    try:
        attachment_add(
            case=case, kind=request.POST.get("kind", ""), upload=upload, actor=request.user
        )
    except FupinError as error:
        if isinstance(error, NotFound):
            raise
        fields = error.details.get("fields") or {}
        message = "；".join(fields.values()) or str(error.message)
        return _render_case(request, case, upload_error=message, status=error.status)
    messages.success(request, _("附件已上传"))
    return redirect("monitoring:case_detail", case_id=case.pk)


def _notice_context(request, case: Case) -> dict:
    """Return what a public notice shows: the row, the period, whom to contact, the QR code."""
    path = region_path(region=case.village)
    public_url = notice_public_url(request, case)
    return {
        "case": case,
        "subject": _subject(case),
        "town": next((r for r in path if r.level == 9), None),
        "village": case.village,
        "risk_types": _labels(case.risk_types, rc.RiskType.choices),
        "period": notice_period(case),
        "contact": notice_contact(case),
        "hotline": HOTLINE,
        "public_url": public_url,
        "public_qr": qr_svg(public_url, size="32mm", title=_("扫码提出异议")),
    }


@login_required
@permission_required("monitoring.view_case", raise_exception=True)
def notice_sheet(request, case_id: int):
    """Show the printable public notice (公示) of a case at the notice stage or later."""
    case = case_get(user=request.user, case_id=case_id)
    if not _has_notice(case):
        messages.warning(request, _("该案件尚未进入村级公示环节"))
        return redirect("monitoring:case_detail", case_id=case.pk)
    return render(
        request,
        "monitoring/notice_sheet.html",
        {**_notice_context(request, case), "today": timezone.localdate()},
    )


def notice_public(request, case_id: int, token: str):
    """Show a case's public notice to anyone with its address (the QR code on the sheet), and
    take an objection while the notice runs; a resend of the same form adds nothing."""
    if not notice_token_valid(case_id, token):
        raise Http404
    case = Case.objects.select_related("village", "household").filter(pk=case_id).first()
    if case is None or case.notice_started_on is None:
        raise Http404
    is_open = notice_is_open(case)
    form, status, error = None, 200, ""
    if is_open:
        form = PublicObjectionForm(
            request.POST if request.method == "POST" else None,
            initial={"key": uuid.uuid4().hex},
        )
        if request.method == "POST":
            status = 422
            if form.is_valid():
                data = form.cleaned_data
                try:
                    objection_lodge(
                        case_id=case.pk,
                        text=data["text"],
                        name=data["name"],
                        contact=data["contact"],
                        idempotency_key=data["key"],
                        client_address=request.META.get("REMOTE_ADDR") or None,
                    )
                except FupinError as failure:
                    status = failure.status
                    fields = failure.details.get("fields") or {}
                    if failure.code == "idempotency_key_reused":
                        # The form was sent before with another text: a new key for this one.
                        error = _("这张表已经提交过一次异议。如需补充，请核对后再提交一次。")
                        form = PublicObjectionForm(
                            initial={**data, "key": uuid.uuid4().hex},
                        )
                    elif fields:
                        for name, message in fields.items():
                            form.add_error(name if name in form.fields else None, message)
                    else:
                        error = str(failure.message)
                else:
                    return redirect(f"{request.path}?sent=1")
    elif request.method == "POST":
        status = 422
        error = _("公示期已结束，不能再在线提出异议。")
    context = {
        "is_open": is_open,
        "form": form,
        "error": error,
        "sent": request.GET.get("sent") == "1" and is_open,
        "max_chars": OBJECTION_MAX_CHARS,
    }
    if is_open:
        # Only what the printed notice shows, and only while it runs.
        context.update(_notice_context(request, case))
    else:
        context.update({"case": case, "hotline": HOTLINE})
    response = render(request, "monitoring/notice_public.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@permission_required("monitoring.add_case", raise_exception=True)
def exit_case_new(request, household_no: str):
    """Open an exit (risk elimination) case for a household: the reason and a note."""
    household = household_get(user=request.user, household_no=household_no)
    if not request.user.has_perm("monitoring.add_case", household):
        raise PermissionDenied
    form = ExitCaseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = exit_case_open(
                household=household,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except FupinError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(request, _("已发起退出案件 #%(id)s") % {"id": case.pk})
            return redirect("monitoring:case_detail", case_id=case.pk)
    elif request.method == "POST":
        status = 422
    open_case = household.monitoring_cases.filter(
        kind=c.CaseKind.EXIT, status=c.CaseStatus.OPEN
    ).first()
    return render(
        request,
        "monitoring/exit_case_new.html",
        {"household": household, "form": form, "open_case": open_case},
        status=status,
    )


@page_permission_required("monitoring.add_case")
def case_new(request):
    """Record a cadre's finding: open (or join) an identification case at the home check."""
    household = None
    household_no = request.GET.get("household") or request.POST.get("household") or ""
    if household_no:
        household = household_get(user=request.user, household_no=household_no)
    form = CadreFindingForm(request.POST or None, user=request.user, household=household)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            village = (
                household.village
                if household
                else region_get(user=request.user, code=data["village"])
            )
            case, opened = case_open(
                kind=c.CaseKind.IDENTIFICATION,
                route=c.Route.CADRE,
                village=village,
                actor=request.user,
                household=household,
                declarant_name=data.get("name") or "",
                declarant_id_number=data.get("id_number") or "",
                declarant_phone=data.get("phone") or "",
                household_size=data.get("household_size"),
                risk_types=data["risk_types"],
                description=data["description"],
            )
        except FupinError as error:
            form.add_service_error(error)
            status = error.status
        else:
            message = (
                _("已发起监测识别案件 #%(id)s，等待入户核查")
                if opened
                else _("该户已有办理中的监测识别案件 #%(id)s，本次发现已并入")
            )
            messages.success(request, message % {"id": case.pk})
            return redirect("monitoring:case_detail", case_id=case.pk)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "monitoring/case_new.html",
        {"form": form, "household": household},
        status=status,
    )


# The self-declaration app (no login) ---------------------------------------------------------------

# What the service worker keeps on the phone besides the two pages and their manifest.
APP_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "monitoring/declare.css",
    "web/offline.js",
    "monitoring/declare.js",
    "monitoring/icons/icon-192.png",
    "monitoring/icons/icon-512.png",
)


APP_TEMPLATES = (
    "monitoring/_app_head.html",
    "monitoring/declare.html",
    "monitoring/track.html",
    "monitoring/_track_result.html",
)


@require_GET
def declare(request):
    """Show the self-declaration form; it works offline once opened (see monitoring/declare.js)."""
    level_labels = {
        "2": _("省"),
        "4": _("市"),
        "6": _("县（市、区）"),
        "9": _("乡镇（街道）"),
        "12": _("村（社区）"),
    }
    return render(
        request,
        "monitoring/declare.html",
        {
            "risk_types": rc.RiskType.choices,
            "level_labels": level_labels,
            # The page is cached on the phone before a village is chosen: the national limit is shown,
            # and the server applies the village's own when the photos arrive.
            "photo_limit": policy_get(
                "monitoring.declaration_photos", region_code=None, on=timezone.localdate()
            ),
        },
    )


@require_GET
def track(request):
    """Show a declaration's progress by its tracking code, and the codes kept on the phone."""
    code = (request.GET.get("code") or "").strip()
    result, not_found, refused = None, False, None
    if code:
        try:
            declaration = declaration_track(
                tracking_code=code, client_address=request.META.get("REMOTE_ADDR") or None
            )
        except NotFound:
            not_found = True
        except FupinError as failure:
            refused = failure
        else:
            case = declaration.case
            result = {
                "tracking_code": tracking_code_grouped(declaration.tracking_code),
                "stage_label": c.Stage(case.stage).label,
                "status": declaration_status(case),
                "due_date": case.due_date,
                "reason": case.reject_reason,
                "submitted_at": declaration.created_at,
                "village_name": declaration.village.name,
            }
    return render(
        request,
        "monitoring/track.html",
        {"code": code, "result": result, "not_found": not_found, "refused": refused},
        status=refused.status if refused else 404 if not_found else 200,
    )


@require_GET
def manifest(request):
    """Return the web app manifest of the declaration app."""
    data = {
        "name": _("农户自主申报"),
        "short_name": _("自主申报"),
        "description": _("家里遇到困难，可以在这里申报，村里会上门核实。"),
        "lang": "zh-CN",
        "start_url": reverse("monitoring:declare"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {
                "src": static("monitoring/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("monitoring/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("monitoring/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def service_worker(request):
    """Return the service worker of the declaration app (allowed to control /declare/ and /track/)."""
    return service_worker_response(
        cache_prefix="fupin-declare-",
        pages=[
            reverse("monitoring:declare"),
            reverse("monitoring:track"),
            reverse("monitoring:manifest"),
        ],
        static_paths=APP_STATIC,
        templates=APP_TEMPLATES,
        list_api="/api/v1/declarations/villages",
        allowed_scope="/",
    )
