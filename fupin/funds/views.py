"""Pages of funds: balances, sources, allocations and disbursements, microcredit loans."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.masking import mask_id_number
from fupin.funds import choices as c
from fupin.funds import selectors as s
from fupin.funds import services
from fupin.funds.exporting import balances_workbook
from fupin.web.access import page_permission_required
from fupin.web.pages import (
    PAGE_SIZE,
    attempt,
    int_or_none,
    region_asked,
    scoped_path,
    xlsx_response,
)


@page_permission_required(s.VIEW_SOURCE)
def balances_page(request):
    """Show amount, allocated, disbursed and balances of a region: by child region, year and kind."""
    region = region_asked(request, s.VIEW_SOURCE)
    year = int_or_none(request.GET.get("year"))
    figures = s.fund_balances(user=request.user, region_code=region.code, year=year)
    if request.GET.get("format") == "xlsx":
        sources = s.source_list(user=request.user, region_code=region.code, year=year)
        return xlsx_response(
            balances_workbook(figures, sources), f"fund-balances-{region.code}.xlsx"
        )
    return render(
        request,
        "funds/balances.html",
        {
            "figures": figures,
            "region": region,
            "path": scoped_path(request.user, region),
            "year": year,
            "tab": "balances",
        },
    )


@page_permission_required(s.VIEW_SOURCE)
def source_list_page(request):
    """List a region's fund sources; the county records new ones."""
    region = region_asked(request, s.VIEW_SOURCE)
    errors, posted = {}, {}
    can_add = request.user.has_perm("funds.add_fundsource", region)
    if request.method == "POST" and can_add:
        posted = request.POST
        source, errors = attempt(
            request,
            lambda: services.source_add(
                kind=posted.get("kind", ""),
                level=posted.get("level", ""),
                year=int_or_none(posted.get("year")),
                region_code=posted.get("region") or region.code,
                amount=posted.get("amount"),
                document_no=posted.get("document_no", ""),
                note=posted.get("note", ""),
                actor=request.user,
            ),
            _("已登记资金来源"),
        )
        if source is not None:
            return redirect("funds:source_detail", source_id=source.pk)
    year = int_or_none(request.GET.get("year"))
    kind = request.GET.get("kind") or None
    rows = s.source_list(user=request.user, region_code=region.code, year=year, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/sources.html",
        {
            "page": page,
            "region": region,
            "path": scoped_path(request.user, region),
            "year": year,
            "kind": kind,
            "kinds": c.FundKind.choices,
            "levels": c.FundLevel.choices,
            "can_add": can_add,
            "errors": errors,
            "posted": posted,
            "today": timezone.localdate(),
            "tab": "sources",
        },
    )


@login_required
def source_detail_page(request, source_id: int):
    """Show a fund source with its allocations; the county allocates it to projects."""
    source = s.source_get(user=request.user, source_id=source_id)
    can_allocate = request.user.has_perm("funds.add_allocation", source)
    errors, posted = {}, {}
    if request.method == "POST" and can_allocate:
        posted = request.POST
        allocation, errors = attempt(
            request,
            lambda: services.allocation_add(
                source_id=source.pk,
                project_id=int_or_none(posted.get("project_id")) or 0,
                amount=posted.get("amount"),
                allocated_on=posted.get("allocated_on"),
                document_no=posted.get("document_no", ""),
                note=posted.get("note", ""),
                actor=request.user,
            ),
            _("已下达资金"),
            not_found_field="project_id",
        )
        if allocation is not None:
            return redirect("funds:source_detail", source_id=source.pk)
    allocations = s.allocation_list(
        user=request.user, region_code=source.region_id, source_id=source.pk
    )
    projects = []
    if can_allocate:
        from fupin.projects.choices import FUNDABLE
        from fupin.projects.models import Project

        projects = (
            Project.objects.restrict(request.user)
            .filter(region__code__startswith=source.region.prefix)
            .filter(status__in=FUNDABLE)
            .order_by("-year", "code")[:500]
        )
    return render(
        request,
        "funds/source_detail.html",
        {
            "source": source,
            "allocations": allocations,
            "can_allocate": can_allocate,
            "projects": projects,
            "errors": errors,
            "posted": posted,
            "today": timezone.localdate(),
            "tab": "sources",
        },
    )


@page_permission_required(s.VIEW_ALLOCATION)
def allocation_list_page(request):
    """List the allocations to a region's projects with what was paid out of each."""
    region = region_asked(request, s.VIEW_ALLOCATION)
    year = int_or_none(request.GET.get("year"))
    rows = s.allocation_list(user=request.user, region_code=region.code, year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/allocations.html",
        {
            "page": page,
            "region": region,
            "path": scoped_path(request.user, region),
            "year": year,
            "tab": "allocations",
        },
    )


@login_required
def allocation_detail_page(request, allocation_id: int):
    """Show an allocation with its disbursements; the town finance office records payments."""
    allocation = s.allocation_get(user=request.user, allocation_id=allocation_id)
    can_pay = request.user.has_perm("funds.add_disbursement", allocation)
    errors, posted = {}, {}
    if request.method == "POST" and can_pay:
        posted = request.POST
        paid, errors = attempt(
            request,
            lambda: services.disbursement_add(
                allocation_id=allocation.pk,
                amount=posted.get("amount"),
                voucher_no=posted.get("voucher_no", ""),
                paid_on=posted.get("paid_on"),
                note=posted.get("note", ""),
                actor=request.user,
            ),
            _("已登记拨付"),
        )
        if paid is not None:
            return redirect("funds:allocation_detail", allocation_id=allocation.pk)
    return render(
        request,
        "funds/allocation_detail.html",
        {
            "allocation": allocation,
            "disbursements": s.allocation_disbursements(allocation=allocation),
            "can_pay": can_pay,
            "errors": errors,
            "posted": posted,
            "today": timezone.localdate(),
            "tab": "allocations",
        },
    )


@page_permission_required(s.VIEW_LOAN)
def loan_list_page(request):
    """List a region's microcredit loans (or only the overdue ones); the town records new loans."""
    region = region_asked(request, s.VIEW_LOAN)
    today = timezone.localdate()
    can_add = request.user.has_perm("funds.add_loan", region)
    errors, posted = {}, {}
    if request.method == "POST" and can_add:
        posted = request.POST
        loan, errors = attempt(
            request,
            lambda: services.loan_add(
                household_no=posted.get("household_no", "").strip(),
                bank=posted.get("bank", ""),
                contract_no=posted.get("contract_no", ""),
                amount=posted.get("amount"),
                start_date=posted.get("start_date"),
                term_months=int_or_none(posted.get("term_months")) or 0,
                rate=posted.get("rate"),
                subsidy_rate=posted.get("subsidy_rate") or None,
                subsidy_amount=posted.get("subsidy_amount") or None,
                note=posted.get("note", ""),
                actor=request.user,
            ),
            _("已登记贷款"),
            not_found_field="household_no",
        )
        if loan is not None:
            return redirect("funds:loan_detail", loan_id=loan.pk)
    overdue = request.GET.get("overdue") == "1"
    rows = s.loan_list(
        user=request.user,
        region_code=region.code,
        status=request.GET.get("status") or None,
        overdue_on=today if overdue else None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_ids = set(
        s.loan_list(user=request.user, region_code=region.code, overdue_on=today)
        .filter(pk__in=[loan.pk for loan in page.object_list])
        .values_list("pk", flat=True)
    )
    for loan in page.object_list:
        loan.is_overdue = loan.pk in overdue_ids
    return render(
        request,
        "funds/loans.html",
        {
            "page": page,
            "region": region,
            "path": scoped_path(request.user, region),
            "overdue": overdue,
            "can_add": can_add,
            "errors": errors,
            "posted": posted,
            "today": today,
            "tab": "overdue" if overdue else "loans",
        },
    )


@login_required
def loan_detail_page(request, loan_id: int):
    """Show a loan with its repayments; the town records repayments."""
    loan = s.loan_get(user=request.user, loan_id=loan_id)
    can_repay = request.user.has_perm("funds.add_repayment", loan)
    errors, posted = {}, {}
    if request.method == "POST" and can_repay:
        posted = request.POST
        repayment, errors = attempt(
            request,
            lambda: services.repayment_add(
                loan_id=loan.pk,
                paid_on=posted.get("paid_on"),
                principal=posted.get("principal") or "0",
                interest=posted.get("interest") or "0",
                voucher_no=posted.get("voucher_no", ""),
                actor=request.user,
            ),
            _("已登记还款"),
        )
        if repayment is not None:
            return redirect("funds:loan_detail", loan_id=loan.pk)
    today = timezone.localdate()
    head = loan.household.members.filter(relation="head", left_on__isnull=True).first()
    return render(
        request,
        "funds/loan_detail.html",
        {
            "loan": loan,
            "head": head,
            "head_id": mask_id_number(head.id_number) if head else "",
            "overdue": s.loan_is_overdue(loan=loan, on=today),
            "repayments": loan.repayments.order_by("paid_on", "id"),
            "can_repay": can_repay,
            "errors": errors,
            "posted": posted,
            "today": today,
            "tab": "loans",
        },
    )
