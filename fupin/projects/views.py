"""Pages of projects: the list, a project's file with its next moves, operators, plans,
beneficiary counts and the look-back review (table, chart, Excel)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.errors import FupinError, InvalidInput, NotFound
from fupin.projects import choices as c
from fupin.projects import selectors as sel
from fupin.projects import services as svc
from fupin.projects.forms import (
    MOVE_FIELDS,
    NOTE_REQUIRED,
    RECORD_LABELS,
    BeneficiariesForm,
    ContractForm,
    OperatorForm,
    PlanForm,
    ProjectForm,
    ReviewForm,
)
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text

PAGE_SIZE = 50
CHART_ROWS = 40


def _need_view(user) -> None:
    # A page the role may not open is 403 (docs/decisions/0045).
    if not user.has_perm(sel.VIEW):
        raise PermissionDenied


def _error_message(error: FupinError) -> str:
    fields = (error.details or {}).get("fields") or {}
    if fields:
        return error_text(error, "；".join(str(message) for message in fields.values()))
    return error_text(error)


def _proposal_regions(user):
    region = getattr(user, "region", None)
    if region is None or user.role not in c.PROPOSE_ROLES:
        return []
    return list(
        Region.objects.filter(
            code__startswith=region.prefix, level__in=(Level.TOWN, Level.VILLAGE)
        ).order_by("code")[:500]
    )


@page_permission_required(sel.VIEW)
def project_list_page(request):
    """List the projects of the user's scope with filters by state, year, region and category."""
    get = request.GET
    year = get.get("year", "")
    rows = sel.project_list(
        user=request.user,
        status=get.get("status") or None,
        year=int(year) if year.isdigit() else None,
        region_code=get.get("region") or None,
        category=get.get("category") or None,
        q=get.get("q") or None,
    )
    counts = sel.status_counts(user=request.user, region_code=get.get("region") or None)
    if get.get("format") == "xlsx":
        from fupin.projects.exporting import project_list_workbook

        response = HttpResponse(
            project_list_workbook(
                projects=rows, user=request.user, region_code=get.get("region") or ""
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(get.get("page"))
    query = get.copy()
    query.pop("page", None)
    totals = rows.aggregate(
        investment=Sum("total_investment"), expected=Sum("expected_annual_return")
    )
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "totals": totals,
            "export_query": (query.urlencode() + "&" if query else "") + "format=xlsx",
            "query": query.urlencode(),
            "filters": get,
            "statuses": [
                {"value": s.value, "label": s.label, "n": counts.get(s.value, 0)}
                for s in c.ProjectStatus
            ],
            "categories": c.ProjectCategory.choices,
            "can_propose": bool(_proposal_regions(request.user))
            and request.user.has_perm("projects.add_project"),
        },
    )


@page_permission_required("projects.add_project")
def project_new(request):
    """Propose a project (申报) of the officer's village or a village of the officer's town."""
    regions = _proposal_regions(request.user)
    if not regions:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            project = svc.project_propose(actor=request.user, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已申报项目 %(code)s") % {"code": project.code})
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/new.html", {"form": form}, status=422 if form.errors else 200)


def _moves_with_labels(project) -> list:
    moves = list(sel.project_moves(project=project))
    for move in moves:
        move.items = [
            (RECORD_LABELS.get(key, key), value)
            for key, value in (move.record or {}).items()
            if value not in (None, "") and key != "resolution"
        ]
    return moves


def _move_forms(project, user, today) -> list[dict]:
    forms = []
    for to in sel.moves_allowed(project=project, user=user):
        forms.append(
            {
                "to": to,
                "label": c.ProjectStatus(to).label,
                "fields": [
                    {"name": n, "label": label, "type": kind, "required": required}
                    for n, label, kind, required in MOVE_FIELDS.get(to, [])
                ],
                "note_required": to in NOTE_REQUIRED,
                "resolutions": list(
                    sel.resolutions_for(project=project, kind=c.DISPOSAL_RESOLUTION_KIND)
                )
                if to == c.ProjectStatus.DISPOSED
                else None,
                "danger": to in (c.ProjectStatus.REJECTED, c.ProjectStatus.DISPOSED),
            }
        )
    return forms


@login_required
def project_detail(request, project_id: int):
    """Show a project: its state, records, history, contract, beneficiaries, plans, next moves."""
    project = sel.project_get(user=request.user, project_id=project_id)
    user = request.user
    today = timezone.localdate()
    contract = svc.current_contract(project=project, on=today)
    records_perm = user.has_perm("projects.change_project_records", project)
    plans = list(sel.project_plans(project=project))
    for plan in plans:
        plan.overdue = plan.status in c.OPEN_PLAN_STATUSES and plan.deadline < today
        plan.resolutions = (
            list(
                sel.resolutions_for(
                    project=project, kind=c.PLAN_RESOLUTION_KIND[c.PlanKind(plan.kind)]
                )
            )
            if plan.status == c.PlanStatus.DRAFT
            else []
        )
    plan_kind = next((kind for kind, state in c.PLAN_FOR.items() if state == project.status), None)
    can_plan = (
        plan_kind is not None
        and user.role in c.PLAN_ROLES
        and user.has_perm("projects.add_rectificationplan", project)
        and not any(p.kind == plan_kind and p.status in c.OPEN_PLAN_STATUSES for p in plans)
    )
    beneficiary_year = request.GET.get("year", "")
    years = sel.beneficiary_years(project=project)
    shown_year = (
        int(beneficiary_year)
        if beneficiary_year.isdigit()
        else (years[0]["year"] if years else None)
    )
    progress = list(sel.project_progress(project=project))
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "moves": _moves_with_labels(project),
            "move_forms": _move_forms(project, user, today),
            "progress": progress,
            "last_progress": progress[-1].percent if progress else 0,
            "can_progress": project.status == c.ProjectStatus.BUILDING
            and user.role in c.PROGRESS_ROLES
            and records_perm,
            "contract": contract,
            "contracts": sel.project_contracts(project=project),
            "can_contract": project.status in c.CONTRACTABLE
            and user.role in c.CONTRACT_ROLES
            and records_perm,
            "contract_form": ContractForm(operators=sel.operators_for_contract(user=user)),
            "years": years,
            "shown_year": shown_year,
            "beneficiaries": sel.project_beneficiaries(project=project, year=shown_year)
            if shown_year
            else [],
            "can_beneficiaries": project.status != c.ProjectStatus.REJECTED
            and user.role in c.RECORD_ROLES
            and records_perm,
            "beneficiaries_form": BeneficiariesForm(),
            "plans": plans,
            "plan_kind": plan_kind,
            "plan_kind_label": c.PlanKind(plan_kind).label if plan_kind else "",
            "can_plan": can_plan,
            "can_approve_plan": user.role in c.PLAN_ROLES
            and user.has_perm("projects.change_rectificationplan", project),
            "plan_form": PlanForm(),
            "today": today,
        },
    )


def _back(project_id: int):
    return redirect("projects:detail", project_id=project_id)


def _run(request, project_id: int, action, success: str):
    """Run a service on a posted form of the project page and come back to it."""
    try:
        action()
    except FupinError as error:
        if isinstance(error, NotFound):
            raise
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, _error_message(error))
    else:
        messages.success(request, success)
    return _back(project_id)


@login_required
@require_POST
def project_move_view(request, project_id: int):
    """Move the project to the posted state with the posted record."""
    project = sel.project_get(user=request.user, project_id=project_id)
    to = request.POST.get("to", "")
    data = {
        name: request.POST.get(name, "")
        for name, _label, _kind, _required in MOVE_FIELDS.get(to, [])
    }
    resolution = request.POST.get("resolution_id", "")
    label = c.ProjectStatus(to).label if to in c.ProjectStatus.values else to
    return _run(
        request,
        project.pk,
        lambda: svc.project_move(
            project=project,
            to=to,
            actor=request.user,
            note=request.POST.get("note", ""),
            data=data,
            resolution_id=int(resolution) if resolution.isdigit() else None,
        ),
        _("项目已转为“%(status)s”") % {"status": label},
    )


@login_required
@require_POST
def progress_view(request, project_id: int):
    """Record construction progress from the project page."""
    project = sel.project_get(user=request.user, project_id=project_id)
    percent = request.POST.get("percent", "")
    on = request.POST.get("on", "")

    def act():
        import datetime as dt

        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise InvalidInput({"on": _("日期格式应为 YYYY-MM-DD")}) from None
        svc.progress_record(
            project=project,
            percent=int(percent) if percent.isdigit() else -1,
            on=day,
            note=request.POST.get("note", ""),
            actor=request.user,
        )

    return _run(request, project.pk, act, _("已登记建设进度"))


@login_required
@require_POST
def contract_view(request, project_id: int):
    """Sign an operating contract from the project page."""
    project = sel.project_get(user=request.user, project_id=project_id)
    form = ContractForm(request.POST, operators=sel.operators_for_contract(user=request.user))

    def act():
        if not form.is_valid():
            raise InvalidInput({k: "；".join(v) for k, v in form.errors.items()})
        values = dict(form.cleaned_data)
        svc.contract_add(
            project=project, operator=int(values.pop("operator")), actor=request.user, **values
        )

    return _run(request, project.pk, act, _("已登记经营合同"))


@login_required
@require_POST
def beneficiaries_view(request, project_id: int):
    """Add beneficiary households of a year from the project page."""
    project = sel.project_get(user=request.user, project_id=project_id)
    form = BeneficiariesForm(request.POST)
    result = {}

    def act():
        if not form.is_valid():
            raise InvalidInput({k: "；".join(v) for k, v in form.errors.items()})
        result.update(
            svc.beneficiaries_add(
                project=project,
                year=form.cleaned_data["year"],
                households=form.households(),
                actor=request.user,
            )
        )

    response = _run(request, project.pk, act, _("已登记受益户"))
    if result:
        messages.info(
            request,
            _("新增 %(added)s 户，更新人数 %(updated)s 户，未变 %(unchanged)s 户") % result,
        )
    return response


@login_required
@require_POST
def plan_add_view(request, project_id: int):
    """Draw up a rectification or revival plan from the project page."""
    project = sel.project_get(user=request.user, project_id=project_id)
    form = PlanForm(request.POST)
    kind = next((k for k, state in c.PLAN_FOR.items() if state == project.status), "")

    def act():
        if not form.is_valid():
            raise InvalidInput({k: "；".join(v) for k, v in form.errors.items()})
        svc.plan_add(project=project, kind=kind, actor=request.user, **form.cleaned_data)

    return _run(request, project.pk, act, _("已制定方案，待理事会决议"))


@login_required
@require_POST
def plan_approve_view(request, plan_id: int):
    """Record the council resolution of a plan from the project page."""
    _need_view(request.user)
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    resolution = request.POST.get("resolution_id", "")
    return _run(
        request,
        plan.project_id,
        lambda: svc.plan_approve(
            plan=plan,
            resolution_id=int(resolution) if resolution.isdigit() else None,
            actor=request.user,
        ),
        _("方案已经理事会决议生效"),
    )


@page_permission_required(sel.VIEW)
def plans_overdue_page(request):
    """List the rectification and revival plans past their deadline."""
    today = timezone.localdate()
    rows = sel.plans_overdue(user=request.user, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for plan in page.object_list:
        plan.days_over = (today - plan.deadline).days
    return render(request, "projects/plans_overdue.html", {"page": page})


@page_permission_required("projects.view_operator")
def operator_list_page(request):
    """List the operators of the user's scope; register one; qualify one (county)."""
    form = OperatorForm(request.POST or None)
    user = request.user
    can_add = user.role in c.OPERATOR_ROLES and user.has_perm("projects.add_operator")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                operator = svc.operator_add(
                    actor=user, region_code=user.region_id, **form.cleaned_data
                )
            except FupinError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("已登记经营主体 %(name)s") % {"name": operator.name})
                return redirect("projects:operators")
    page = Paginator(sel.operator_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/operators.html",
        {
            "page": page,
            "form": form,
            "can_add": can_add,
            "can_qualify": user.role in c.QUALIFY_ROLES
            and user.has_perm("projects.qualify_operator"),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def operator_qualify_view(request, operator_id: int):
    """Approve an operator's qualification (county)."""
    try:
        operator = sel.operator_get(user=request.user, operator_id=operator_id)
        svc.operator_qualify(operator=operator, actor=request.user)
    except FupinError as error:
        if isinstance(error, NotFound):
            raise
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("%(name)s 已通过资格审核") % {"name": operator.name})
    return redirect("projects:operators")


@page_permission_required(sel.VIEW)
def beneficiary_counts_page(request):
    """Show household-times and person-times of a year for a region and each child region."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    figures = sel.beneficiary_counts(
        user=request.user, year=year, region_code=request.GET.get("region") or None
    )
    return render(request, "projects/beneficiaries.html", {"figures": figures, "year": year})


def _review_regions(user):
    region = getattr(user, "region", None)
    if region is None or user.role not in c.REVIEW_ROLES:
        return []
    return list(
        Region.objects.filter(code__startswith=region.prefix, level__lte=Level.TOWN).order_by(
            "code"
        )[:200]
    )


@page_permission_required(sel.VIEW_REVIEWS)
def review_list_page(request):
    """List the review runs of the user's scope; the county runs a new one."""
    regions = _review_regions(request.user)
    can_run = bool(regions) and request.user.has_perm("projects.add_projectreview")
    form = ReviewForm(request.POST or None, regions=regions)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if form.is_valid():
            try:
                review = svc.review_run(
                    region_code=form.cleaned_data["region"],
                    year=form.cleaned_data["year"],
                    actor=request.user,
                )
            except FupinError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("回头看完成：参评 %(n)s 个，弱质 %(weak)s 个，闲置 %(idle)s 个")
                    % {"n": review.reviewed, "weak": review.weak, "idle": review.idle},
                )
                return redirect("projects:review_detail", review_id=review.pk)
    page = Paginator(sel.review_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/reviews.html",
        {"page": page, "form": form, "can_run": can_run},
        status=422 if form.errors else 200,
    )


def review_chart(*, results, ratio: Decimal, rows: int = CHART_ROWS) -> dict:
    """Return the geometry of a horizontal bar chart of actual ÷ expected return per project.

    Bars are capped at 150 %; a dashed line marks the weak ratio and one marks 100 %.
    """
    width, label_w, row_h, top = 640, 190, 18, 24
    plot_w = width - label_w - 60
    cap = Decimal("1.5")
    bars = []
    for index, r in enumerate(results[:rows]):
        share = (r.actual / r.expected) if r.expected else Decimal(0)
        shown = min(share, cap)
        bars.append(
            {
                "y": top + index * row_h,
                "text_y": top + index * row_h + row_h - 6,
                "w": round(float(shown / cap) * plot_w, 1),
                "label": r.project.name[:14],
                "code": r.project.code,
                "percent": f"{share * 100:.0f}%",
                "text_x": label_w + round(float(shown / cap) * plot_w, 1) + 4,
                "verdict": r.verdict,
            }
        )
    height = top + max(1, len(bars)) * row_h + 10
    return {
        "width": width,
        "height": height,
        "label_w": label_w,
        "bar_h": row_h - 4,
        "bars": bars,
        "ratio_x": label_w + round(float(ratio / cap) * plot_w, 1),
        "full_x": label_w + round(float(1 / cap) * plot_w, 1),
        "ratio_label": f"{ratio * 100:.0f}%",
        "bottom": height - 6,
    }


@login_required
def review_detail_page(request, review_id: int):
    """Show a review: counts, a chart of actual against expected return, results, overdue plans."""
    review = sel.review_get(user=request.user, review_id=review_id)
    results = list(sel.review_results(review=review))
    today = timezone.localdate()
    overdue = list(sel.plans_overdue(user=request.user, today=today, region_code=review.region_id))
    for plan in overdue:
        plan.days_over = (today - plan.deadline).days
    return render(
        request,
        "projects/review.html",
        {
            "review": review,
            "results": results,
            "chart": review_chart(results=results, ratio=review.weak_ratio),
            "chart_more": max(0, len(results) - CHART_ROWS),
            "ratio": format(review.weak_ratio.normalize(), "f"),
            "overdue": overdue,
        },
    )


@login_required
def review_export(request, review_id: int):
    """Download a review as an Excel file."""
    from fupin.projects.exporting import review_workbook

    review = sel.review_get(user=request.user, review_id=review_id)
    overdue = sel.plans_overdue(
        user=request.user, today=timezone.localdate(), region_code=review.region_id
    )
    content = review_workbook(review=review, overdue=overdue, user=request.user)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review.region_id}-{review.year}-{review.pk}.xlsx"'
    )
    return response
