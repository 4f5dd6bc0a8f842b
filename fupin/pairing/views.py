"""Pages of pairing: coverage, allocation, units and cadres, visits (走访) and rounds (遍访)."""

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from fupin.accounts.choices import Position
from fupin.core.errors import FupinError, NotFound
from fupin.core.masking import mask_id_number, mask_phone
from fupin.pairing.choices import UncoveredReason
from fupin.pairing.forms import AllocateForm, RoundVisitForm, VisitForm
from fupin.pairing.models import AllocationRun
from fupin.pairing.selectors import (
    ALLOCATE,
    VIEW,
    allocation_runs,
    cadre_list,
    cadre_of,
    cadre_recent_visits,
    coverage,
    coverage_names,
    my_households,
    overdue_by_cadre,
    overdue_households,
    round_targets,
    rounds_progress,
    unit_list,
    visit_compliance,
)
from fupin.pairing.services import pairing_allocate, round_visit_record, visit_record
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.regions.selectors import region_get, region_path
from fupin.registry.selectors import household_get
from fupin.web.access import page_permission_required
from fupin.web.pwa import service_worker_response

PAGE_SIZE = 100


def _can_allocate(user) -> bool:
    region = getattr(user, "region", None)
    return (
        user.has_perm(ALLOCATE)
        and region is not None
        and region.level in (Level.CITY, Level.COUNTY)
    )


@page_permission_required(VIEW)
def coverage_page(request):
    """Show needing / covered / uncovered households and cadres of a region and its children."""
    figures = coverage(user=request.user, region_code=request.GET.get("region") or None)
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


@page_permission_required(VIEW)
def run_detail(request, run_id: int):
    """Show one allocation run: its counts and the uncovered households with the reason."""
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


@page_permission_required(VIEW)
def unit_list_page(request):
    """List the aid units of the user's scope."""
    page = Paginator(unit_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pairing/units.html", {"page": page})


@page_permission_required(VIEW)
def cadre_list_page(request):
    """List the cadres of the user's scope, ID numbers and phones masked."""
    page = Paginator(cadre_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for cadre in page.object_list:
        cadre.id_masked = mask_id_number(cadre.id_number)
        cadre.phone_masked = mask_phone(cadre.phone)
    return render(request, "pairing/cadres.html", {"page": page})


# -- visits (走访) ------------------------------------------------------------------------------

# Files the visit page keeps on the phone (its service worker is web's, see fupin/web/pwa.py).
VISIT_APP_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "web/fupin.css",
    "web/offline.js",
    "pairing/visit.js",
)


def _date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@page_permission_required(VIEW)
@ensure_csrf_cookie
def my_visits_page(request):
    """Show the cadre's phone page: my households, who is overdue, and the visit form."""
    cadre = cadre_of(request.user)
    items = my_households(user=request.user) if cadre else []
    recent = cadre_recent_visits(cadre=cadre) if cadre else []
    return render(
        request,
        "pairing/my_visits.html",
        {
            "cadre": cadre,
            "items": items,
            "overdue": sum(1 for item in items if item.overdue),
            "recent": recent,
            "photo_limit": policy_get(
                "pairing.visit_photos",
                region_code=request.user.region_id,
                on=timezone.localdate(),
            ),
        },
    )


@require_GET
def visit_service_worker(request):
    """Return the service worker of the visit page (the shared worker, with this page's files)."""
    return service_worker_response(
        cache_prefix="fupin-visits-",
        pages=[reverse("pairing:my_visits")],
        static_paths=VISIT_APP_STATIC,
        templates=("pairing/my_visits.html",),
        list_api="/api/v1/pairing/my-households",
    )


@page_permission_required(VIEW)
def visits_page(request):
    """Show visit compliance of a region and its children, and its overdue households."""
    on = _date_param(request.GET.get("on")) or timezone.localdate()
    code = request.GET.get("region") or None
    figures = visit_compliance(user=request.user, region_code=code, on=on)
    overdue = overdue_households(user=request.user, region_code=code, on=on)
    cadres = overdue_by_cadre(user=request.user, region_code=code, on=on)[:20]
    region = Region.objects.get(code=figures["region"])
    page = Paginator(overdue, PAGE_SIZE).get_page(request.GET.get("page"))
    for cadre in cadres:
        cadre.phone_masked = mask_phone(cadre.phone)
    return render(
        request,
        "pairing/visits.html",
        {
            "figures": figures,
            "region": region,
            "on": on,
            "path": _path_in_scope(request.user, region),
            "page": page,
            "cadres": cadres,
        },
    )


def _path_in_scope(user, region):
    prefix = user.scope_prefix
    return [
        r for r in region_path(region=region) if prefix is not None and r.code.startswith(prefix)
    ]


# -- leaders' rounds (遍访) ---------------------------------------------------------------------


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = _date_param(request.GET.get("end")) or today
    start = _date_param(request.GET.get("start")) or dt.date(end.year, 1, 1)
    return start, end


@page_permission_required(VIEW)
def rounds_page(request):
    """Show a leader's round targets (visited or not) and, to officers, each leader's progress."""
    start, end = _period(request)
    code = request.GET.get("region") or None
    targets = round_targets(user=request.user, start=start, end=end)
    leaders = rounds_progress(user=request.user, region_code=code, start=start, end=end)
    names = coverage_names(
        codes=[row.region_code for row in leaders] + [t.village_code for t in targets]
    )
    for row in leaders:
        row.region_name = names.get(row.region_code, row.region_code)
        row.position_label = Position(row.position).label
    for target in targets:
        target.village_name = names.get(target.village_code, "")
    visited = sum(1 for t in targets if t.last_visit)
    return render(
        request,
        "pairing/rounds.html",
        {
            "start": start,
            "end": end,
            "targets": targets,
            "visited": visited,
            "leaders": leaders,
            "is_leader": bool(request.user.position and request.user.region_id),
            "position_label": Position(request.user.position).label
            if request.user.position
            else "",
            "form": RoundVisitForm(
                initial={"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
            ),
        },
    )


@login_required
@require_POST
def round_visit_page(request):
    """Record the leader's round visit to one of their targets (from the rounds page)."""
    form = RoundVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容"))
        return redirect("pairing:rounds")
    data = form.cleaned_data
    kind, _sep, code = data["target"].partition(":")
    try:
        region = household = None
        if kind == "household":
            household = household_get(user=request.user, household_no=code)
        else:
            region = region_get(user=request.user, code=code)
        round_visit_record(
            leader=request.user,
            idempotency_key=data["key"] or secrets.token_hex(16),
            region=region,
            household=household,
            visited_at=data["visited_at"],
            notes=data["notes"],
        )
    except NotFound:
        raise
    except FupinError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("遍访已登记"))
    return redirect("pairing:rounds")


@login_required
@require_POST
def household_visit_record(request, household_no: str):
    """Record, from the household file, a visit an officer enters for one of its cadres."""
    household = household_get(user=request.user, household_no=household_no)
    if not request.user.has_perm("pairing.record_visit_for_cadre"):
        raise PermissionDenied
    form = VisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容"))
    else:
        data = form.cleaned_data
        try:
            visit_record(
                household=household,
                idempotency_key=data.pop("key"),
                actor=request.user,
                **data,
            )
        except FupinError as error:
            fields = error.details.get("fields", {})
            messages.error(request, "；".join([str(error.message), *map(str, fields.values())]))
        else:
            messages.success(request, _("走访已登记"))
    return redirect("registry:household_detail", household_no=household.household_no)
