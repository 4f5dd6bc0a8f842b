"""Pages of the distribution: plans of a region, one plan and its steps, a village fund's ledger."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fupin.core.errors import FupinError, InvalidInput
from fupin.distribution import choices as c
from fupin.distribution.forms import (
    CancelForm,
    DraftForm,
    EffectForm,
    FundEntryForm,
    NoticeForm,
    PayForm,
    ResolveForm,
)
from fupin.distribution.selectors import (
    DRAFT,
    KEEP_FUND,
    PAY,
    VIEW,
    fund_balances,
    fund_entries,
    plan_get,
    plan_lines,
    plan_list,
)
from fupin.distribution.services import (
    fund_entry_add,
    plan_cancel,
    plan_draft,
    plan_notice,
    plan_pay,
    plan_resolve,
    plan_take_effect,
)
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.choices import SupportCategory
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text

PAGE_SIZE = 100
# Villages offered in the draft form, at most (a town has a few dozen).
VILLAGES_OFFERED = 500


def _draft_villages(user):
    prefix = user.scope_prefix
    if prefix is None or not user.has_perm(DRAFT):
        return []
    return list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=prefix).order_by("code")[
            :VILLAGES_OFFERED
        ]
    )


def _list(request, form=None, status=200):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    rows = plan_list(
        user=request.user,
        region_code=request.GET.get("region", ""),
        year=int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None,
    )
    villages = _draft_villages(request.user)
    return render(
        request,
        "distribution/list.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": form or (DraftForm(villages=villages) if villages else None),
            "funds": fund_balances(user=request.user, region_code=request.GET.get("region", "")),
            "fund_village": request.user.region
            if request.user.region and request.user.region.level == Level.VILLAGE
            else None,
        },
        status=status,
    )


@page_permission_required(VIEW)
def plan_list_page(request):
    """List the distribution plans of the user's scope, newest year first; offer a draft."""
    return _list(request)


@login_required
@require_POST
def plan_draft_view(request):
    """Draft a plan from the registry and policy."""
    villages = _draft_villages(request.user)
    if not villages:
        raise PermissionDenied
    form = DraftForm(request.POST, villages=villages)
    if form.is_valid():
        try:
            plan, _result = plan_draft(actor=request.user, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已制定分配方案草案，请提交理事会决议"))
            return redirect("distribution:detail", plan_id=plan.pk)
    return _list(request, form=form, status=422)


def _resolutions(plan):
    from fupin.councils.models import Resolution

    used = plan.__class__.objects.exclude(status=c.PlanStatus.CANCELLED).exclude(
        resolution__isnull=True
    )
    return (
        Resolution.objects.filter(
            meeting__council__village_id=plan.village_id, kind="distribution_plan", adopted=True
        )
        .exclude(pk__in=used.values("resolution_id"))
        .select_related("meeting")
        .order_by("-meeting__held_on", "-id")
    )


@login_required
def plan_detail_page(request, plan_id: int):
    """Show a plan: its parameters, pools, steps, the households' amounts and payments."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    can_draft = request.user.has_perm(DRAFT, plan)
    can_pay = request.user.has_perm(PAY, plan)
    status = plan.status
    labels = dict(SupportCategory.choices)
    lines = list(plan_lines(plan=plan))
    for line in lines:
        line.category_label = labels.get(line.category, line.category)
    forms = {}
    if can_draft and status == c.PlanStatus.DRAFT:
        forms["resolve"] = ResolveForm(resolutions=_resolutions(plan))
    if can_draft and status == c.PlanStatus.RESOLVED:
        forms["notice"] = NoticeForm()
    if can_pay and status == c.PlanStatus.NOTICED:
        forms["effect"] = EffectForm()
    if can_pay and status == c.PlanStatus.EFFECTIVE:
        forms["pay"] = PayForm()
    if can_draft and c.PlanStatus.CANCELLED in c.TRANSITIONS[status]:
        forms["cancel"] = CancelForm()
    return render(
        request,
        "distribution/detail.html",
        {
            "plan": plan,
            "lines": lines,
            "forms": forms,
            "unpaid": sum(1 for line in lines if line.amount > 0 and not line.paid),
            "weights": [
                (labels.get(key, key), value)
                for key, value in (plan.parameters.get("weights") or {}).items()
            ],
            "can_see_fund": request.user.has_perm("distribution.view_villagefundentry"),
        },
    )


@login_required
def plan_csv(request, plan_id: int):
    """Download the plan's PLAN.csv (household_no,amount), as `fupin distribute plan` writes it."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.village_id}-{plan.year}.csv"'
    )
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["household_no", "amount"])
    for household_no, amount in plan.lines.order_by("id").values_list(
        "household__household_no", "amount"
    ):
        writer.writerow([household_no, f"{amount:.2f}"])
    return response


STEPS = {
    "resolve": (DRAFT, ResolveForm),
    "notice": (DRAFT, NoticeForm),
    "effect": (PAY, EffectForm),
    "pay": (PAY, PayForm),
    "cancel": (DRAFT, CancelForm),
}
DONE = {
    "resolve": gettext_lazy("已登记理事会决议"),
    "notice": gettext_lazy("已张榜公示"),
    "effect": gettext_lazy("方案已生效，村扶贫基金已入账"),
    "pay": gettext_lazy("已登记发放"),
    "cancel": gettext_lazy("方案已作废"),
}


@login_required
@require_POST
def plan_step_view(request, plan_id: int, step: str):
    """Take one step of a plan from its page: resolution, notice, effect, payment or cancel."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    if step not in STEPS:
        raise Http404
    perm, form_class = STEPS[step]
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied
    kwargs = {"resolutions": _resolutions(plan)} if step == "resolve" else {}
    form = form_class(request.POST, **kwargs)
    try:
        if not form.is_valid():
            errors = "；".join(f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items())
            raise InvalidInput({}, message=errors)
        data = form.cleaned_data
        if step == "resolve":
            plan_resolve(plan=plan, resolution_id=data["resolution_id"], actor=request.user)
        elif step == "notice":
            plan_notice(plan=plan, started_on=data["started_on"], actor=request.user)
        elif step == "effect":
            plan_take_effect(
                plan=plan, on=data["on"], voucher_no=data["voucher_no"], actor=request.user
            )
        elif step == "pay":
            plan_pay(
                plan=plan,
                paid_on=data["paid_on"],
                voucher_no=data["voucher_no"],
                household_nos=request.POST.getlist("household_no") or None,
                actor=request.user,
            )
        else:
            plan_cancel(plan=plan, reason=data["reason"], actor=request.user)
    except FupinError as error:
        fields = (error.details or {}).get("fields") or {}
        detail = "；".join(str(v) for v in fields.values())
        messages.error(
            request, error_text(error, f"{error.message}{'：' + detail if detail else ''}")
        )
    else:
        messages.success(request, DONE[step])
    return redirect("distribution:detail", plan_id=plan.pk)


@page_permission_required("distribution.view_villagefundentry")
def fund_page(request, village_code: str):
    """Show a village fund's ledger (in, out, running balance); the town records entries."""
    rows, balance = fund_entries(user=request.user, village_code=village_code)
    village = Region.objects.get(code=village_code)
    can_keep = request.user.has_perm(KEEP_FUND, village)
    form = FundEntryForm(request.POST or None) if can_keep else None
    status = 200
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if form.is_valid():
            try:
                fund_entry_add(village_code=village_code, actor=request.user, **form.cleaned_data)
            except FupinError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("已登记村扶贫基金收支"))
                return redirect("distribution:fund", village_code=village_code)
        status = 422
    return render(
        request,
        "distribution/fund.html",
        {"village": village, "rows": rows, "balance": balance, "form": form},
        status=status,
    )
