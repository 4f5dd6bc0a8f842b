"""Pages of assets: the asset register, an asset with its funds and income, the income ledger and
the three-assets ledger (三资台账)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assets import choices as c
from fupin.assets import selectors as s
from fupin.assets import services
from fupin.assets.exporting import income_workbook, ledger_workbook
from fupin.core.errors import FupinError, NotFound
from fupin.funds.models import Allocation, FundSource
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.web.access import page_permission_required
from fupin.web.pages import (
    PAGE_SIZE,
    attempt,
    date_or_none,
    int_or_none,
    region_asked,
    scoped_path,
    xlsx_response,
)


def _fundings(posted) -> list[dict]:
    rows = []
    for i in range(3):
        source_id = int_or_none(posted.get(f"funding_source_{i}"))
        amount = (posted.get(f"funding_amount_{i}") or "").strip()
        if source_id and amount:
            rows.append({"source_id": source_id, "amount": amount})
    return rows


@page_permission_required(s.VIEW_ASSET)
def asset_list_page(request):
    """List a region's assets with their fund part and income; the town registers new ones."""
    region = region_asked(request, s.VIEW_ASSET)
    can_add = request.user.has_perm("assets.add_asset", region)
    errors, posted = {}, {}
    if request.method == "POST" and can_add:
        posted = request.POST
        asset, errors = attempt(
            request,
            lambda: services.asset_add(
                name=posted.get("name", ""),
                category=posted.get("category", ""),
                owner_kind=posted.get("owner_kind", ""),
                village_code=posted.get("village_code", ""),
                household_no=posted.get("household_no", "").strip() or None,
                project_id=int_or_none(posted.get("project_id")),
                value=posted.get("value"),
                formed_on=posted.get("formed_on"),
                location=posted.get("location", ""),
                note=posted.get("note", ""),
                fundings=_fundings(posted),
                actor=request.user,
            ),
            _("已登记资产"),
            not_found_field="form",
        )
        if asset is not None:
            return redirect("assets:asset_detail", asset_id=asset.pk)
    category = request.GET.get("category") or None
    rows = s.asset_list(user=request.user, region_code=region.code, category=category)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "region": region,
        "path": scoped_path(request.user, region),
        "category": category,
        "categories": c.AssetCategory.choices,
        "owner_kinds": c.OwnerKind.choices,
        "can_add": can_add,
        "errors": errors,
        "posted": posted,
        "today": timezone.localdate(),
        "tab": "assets",
    }
    if can_add:
        from fupin.projects.choices import FORMED_ASSETS
        from fupin.projects.models import Project

        context["villages"] = Region.objects.filter(
            code__startswith=region.prefix, level=Level.VILLAGE
        ).order_by("code")[:1000]
        context["projects"] = (
            Project.objects.restrict(request.user)
            .filter(
                region__code__startswith=region.prefix,
                status__in=FORMED_ASSETS,
            )
            .order_by("-year", "code")[:500]
        )
        context["sources"] = FundSource.objects.filter(
            pk__in=Allocation.objects.restrict(request.user)
            .filter(project__region__code__startswith=region.prefix)
            .values("source_id")
        ).order_by("-year", "kind")[:200]
    return render(request, "assets/assets.html", context)


@login_required
def asset_detail_page(request, asset_id: int):
    """Show an asset with what funded it and its income; the town records income."""
    asset = s.asset_get(user=request.user, asset_id=asset_id)
    can_record = request.user.has_perm("assets.add_incomeentry", asset)
    can_fund = request.user.has_perm("assets.add_asset", asset) and asset.project_id is not None
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.POST
        if posted.get("action") == "funding" and can_fund:
            done, errors = attempt(
                request,
                lambda: services.asset_funding_add(
                    asset_id=asset.pk,
                    source_id=int_or_none(posted.get("source_id")) or 0,
                    amount=posted.get("amount"),
                    actor=request.user,
                ),
                _("已登记资金来源"),
            )
        elif can_record:
            done, errors = attempt(
                request,
                lambda: services.income_add(
                    asset_id=asset.pk,
                    kind=posted.get("kind", ""),
                    period_start=posted.get("period_start"),
                    period_end=posted.get("period_end"),
                    amount=posted.get("amount"),
                    received_on=posted.get("received_on"),
                    voucher_no=posted.get("voucher_no", ""),
                    note=posted.get("note", ""),
                    actor=request.user,
                ),
                _("已登记收益"),
            )
        else:
            done = None
        if done is not None:
            return redirect("assets:asset_detail", asset_id=asset.pk)
    row = s.asset_list(user=request.user, region_code=asset.village_id).get(pk=asset.pk)
    today = timezone.localdate()
    entries = s.income_list(user=request.user, region_code=asset.village_id, asset_id=asset.pk)
    sources = []
    if can_fund:
        sources = FundSource.objects.filter(allocations__project_id=asset.project_id).distinct()
    return render(
        request,
        "assets/asset_detail.html",
        {
            "asset": row,
            "fundings": s.asset_fundings(asset=asset),
            "entries": entries,
            "totals": s.income_totals(entries=entries),
            "can_record": can_record,
            "can_fund": can_fund,
            "sources": sources,
            "kinds": c.IncomeKind.choices,
            "errors": errors,
            "posted": posted,
            "today": today,
            "tab": "assets",
        },
    )


def _period(request, region) -> tuple[dt.date, dt.date]:
    """Return the asked period: a year, or start and end; by default the latest year with income."""
    today = timezone.localdate()
    year = int_or_none(request.GET.get("year"))
    start, end = date_or_none(request.GET.get("start")), date_or_none(request.GET.get("end"))
    if not (year or start or end):
        latest = s.latest_income_day(region=region)
        year = latest.year if latest and latest.year < today.year else None
    if year and 2000 <= year <= 2100:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start or dt.date(today.year, 1, 1), end or today


@page_permission_required(s.VIEW_INCOME)
def income_list_page(request):
    """Show a region's income ledger for a period with its totals by kind."""
    region = region_asked(request, s.VIEW_INCOME)
    start, end = _period(request, region)
    kind = request.GET.get("kind") or None
    entries = s.income_list(
        user=request.user, region_code=region.code, start=start, end=end, kind=kind
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            income_workbook(entries),
            f"income-{region.code}-{start.isoformat()}-{end.isoformat()}.xlsx",
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assets/income.html",
        {
            "page": page,
            "totals": s.income_totals(entries=entries),
            "region": region,
            "path": scoped_path(request.user, region),
            "start": start,
            "end": end,
            "kind": kind,
            "kinds": c.IncomeKind.choices,
            "keep": f"&start={start.isoformat()}&end={end.isoformat()}",
            "query": f"region={region.code}&start={start.isoformat()}&end={end.isoformat()}&",
            "tab": "income",
        },
    )


@page_permission_required(s.VIEW_ASSET)
def ledger_page(request):
    """Show the three-assets ledger of a region and of each child region for a period."""
    region = region_asked(request, s.VIEW_ASSET)
    start, end = _period(request, region)
    try:
        ledger = s.three_assets_ledger(
            user=request.user, region_code=region.code, start=start, end=end
        )
    except NotFound:
        raise
    except FupinError as exc:
        from django.contrib import messages

        messages.error(request, str(exc.message))
        start, end = end, start
        ledger = s.three_assets_ledger(
            user=request.user, region_code=region.code, start=start, end=end
        )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            ledger_workbook(ledger),
            f"three-assets-ledger-{region.code}-{start.isoformat()}-{end.isoformat()}.xlsx",
        )
    today = timezone.localdate()
    return render(
        request,
        "assets/ledger.html",
        {
            "ledger": ledger,
            "region": region,
            "path": scoped_path(request.user, region),
            "start": start,
            "end": end,
            "years": list(range(today.year, 2015, -1)),
            "keep": f"&start={start.isoformat()}&end={end.isoformat()}",
            "tab": "ledger",
        },
    )
