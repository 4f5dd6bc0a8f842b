"""Pages of pairing: coverage by region, the county's allocation button, units and cadres."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.core.errors import NotFound
from fupin.core.masking import mask_id_number, mask_phone
from fupin.pairing.choices import UncoveredReason
from fupin.pairing.forms import AllocateForm
from fupin.pairing.models import AllocationRun
from fupin.pairing.selectors import (
    ALLOCATE,
    VIEW,
    allocation_runs,
    cadre_list,
    coverage,
    coverage_names,
    unit_list,
)
from fupin.pairing.services import pairing_allocate
from fupin.regions.choices import Level
from fupin.regions.selectors import region_path

PAGE_SIZE = 100


def _need_view(user) -> None:
    if not user.has_perm(VIEW):
        raise Http404


def _can_allocate(user) -> bool:
    region = getattr(user, "region", None)
    return (
        user.has_perm(ALLOCATE)
        and region is not None
        and region.level in (Level.CITY, Level.COUNTY)
    )


@login_required
def coverage_page(request):
    """Show needing / covered / uncovered households and cadres of a region and its children."""
    _need_view(request.user)
    try:
        figures = coverage(user=request.user, region_code=request.GET.get("region") or None)
    except NotFound:
        raise Http404 from None
    names = coverage_names(
        codes=[figures["region"], *(child["region"] for child in figures["children"])]
    )
    from fupin.regions.models import Region

    region = Region.objects.get(code=figures["region"])
    return render(
        request,
        "pairing/coverage.html",
        {
            "figures": figures,
            "names": names,
            "region": region,
            "path": [
                r
                for r in region_path(region=region)
                if request.user.scope_prefix is not None
                and r.code.startswith(request.user.scope_prefix)
            ],
            "children": [
                {**child, "name": names.get(child["region"], "")} for child in figures["children"]
            ],
            "can_allocate": _can_allocate(request.user),
            "form": AllocateForm(),
            "runs": allocation_runs(user=request.user),
        },
    )


@login_required
@require_POST
def allocate(request):
    """Run the allocation for the officer's own county (or city) and show its result."""
    if not _can_allocate(request.user):
        raise PermissionDenied
    form = AllocateForm(request.POST)
    dry_run = form.is_valid() and form.cleaned_data["dry_run"]
    result = pairing_allocate(
        region_code=request.user.region_id, actor=request.user, dry_run=dry_run
    )
    messages.success(request, result.summary())
    return redirect("pairing:run_detail", run_id=result.run.pk)


@login_required
def run_detail(request, run_id: int):
    """Show one allocation run: its counts and the uncovered households with the reason."""
    _need_view(request.user)
    try:
        run = (
            AllocationRun.objects.restrict(request.user)
            .select_related("region", "actor")
            .get(pk=run_id)
        )
    except AllocationRun.DoesNotExist:
        raise Http404 from None
    uncovered = [
        {**item, "reason_label": UncoveredReason(item["reason"]).label}
        for item in run.uncovered_list
    ]
    return render(request, "pairing/run.html", {"run": run, "uncovered": uncovered})


@login_required
def unit_list_page(request):
    """List the aid units of the user's scope."""
    _need_view(request.user)
    page = Paginator(unit_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pairing/units.html", {"page": page})


@login_required
def cadre_list_page(request):
    """List the cadres of the user's scope, ID numbers and phones masked."""
    _need_view(request.user)
    page = Paginator(cadre_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for cadre in page.object_list:
        cadre.id_masked = mask_id_number(cadre.id_number)
        cadre.phone_masked = mask_phone(cadre.phone)
    return render(request, "pairing/cadres.html", {"page": page})
