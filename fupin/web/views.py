"""Pages of the web shell; they read through selectors and write through services."""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fupin.assistance.selectors import plan_panel
from fupin.core.dates import age_on
from fupin.core.errors import FupinError, NotFound
from fupin.core.importing import import_reports_clean
from fupin.core.masking import mask_id_number, mask_phone
from fupin.monitoring.choices import STAGE_ROLE
from fupin.monitoring.selectors import case_counts, case_queue, case_rows
from fupin.regions.selectors import region_path
from fupin.registry import choices as c
from fupin.registry.filters import HouseholdFilterForm
from fupin.registry.forms import ImportForm
from fupin.registry.selectors import (
    category_counts,
    household_get,
    household_incomes,
    household_list,
    household_members,
)
from fupin.registry.services import household_import as household_import_service
from fupin.registry.services import income_import, person_reveal_id
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text
from fupin.web.selectors import TIMELINE_LIMIT, household_list_rows, household_timeline

PAGE_SIZE = 50
QUEUE_SHOWN = 20
PROBLEMS_SHOWN = 500
TOKEN = re.compile(r"[0-9a-f]{32}")


def _is_partial(request) -> bool:
    """Tell whether htmx asked for a fragment (a history restore needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _household_or_404(user, household_no: str):
    try:
        return household_get(user=user, household_no=household_no)
    except NotFound:
        raise Http404 from None


@login_required
def home(request):
    """Show the cases waiting for the user's role, then the households by support category."""
    counts = category_counts(user=request.user)
    categories = [
        {"key": cat.value, "label": cat.label, "count": counts[cat.value]}
        for cat in c.SupportCategory
    ]
    queue = None
    if request.user.has_perm("monitoring.view_case"):
        queue = {
            "rows": case_rows(cases=case_queue(user=request.user)[:QUEUE_SHOWN]),
            "counts": case_counts(user=request.user),
            "shown": QUEUE_SHOWN,
            "owns_stages": request.user.role in STAGE_ROLE.values(),
        }
    return render(
        request,
        "web/home.html",
        {
            "categories": categories,
            "removed": counts["removed"],
            "total": sum(item["count"] for item in categories),
            "queue": queue,
        },
    )


@page_permission_required("registry.view_household")
def household_list_page(request):
    """Show one page of the households matching the filters; htmx gets only the results."""
    form = HouseholdFilterForm(request.GET, user=request.user)
    rows, has_next = [], False
    if form.is_valid():
        page = form.page_number()
        start = (page - 1) * PAGE_SIZE
        # One row more than a page tells whether a next page exists without a COUNT over the whole scope.
        households = list(
            household_list(user=request.user, filters=form.to_filters())[
                start : start + PAGE_SIZE + 1
            ]
        )
        has_next = len(households) > PAGE_SIZE
        rows = household_list_rows(households=households[:PAGE_SIZE])
    else:
        page = 1
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "last_number": (page - 1) * PAGE_SIZE + len(rows),
    }
    template = "web/_household_results.html" if _is_partial(request) else "web/household_list.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@page_permission_required("registry.view_household")
def household_count(request):
    """Return the number of households matching the filters (asked for on demand: it is the slow part)."""
    form = HouseholdFilterForm(request.GET, user=request.user)
    count = (
        household_list(user=request.user, filters=form.to_filters()).count()
        if form.is_valid()
        else 0
    )
    return render(request, "web/_household_count.html", {"count": count})


def _member_rows(household):
    today = timezone.localdate()
    return [
        {
            "person": p,
            "masked_id": mask_id_number(p.id_number),
            "masked_phone": mask_phone(p.phone),
            "age": age_on(p.birth_date, today),
            "active": p.left_on is None,
        }
        for p in household_members(household=household)
    ]


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_detail(request, household_no):
    """Show the household file (一户一档): standing, members, incomes by year and history."""
    household = _household_or_404(request.user, household_no)
    members = _member_rows(household)
    risk_labels = dict(c.RiskType.choices)
    return render(
        request,
        "web/household_detail.html",
        {
            "household": household,
            "region_path": region_path(region=household.village),
            "risk_types": [risk_labels.get(key, key) for key in household.risk_types or []],
            "members": members,
            "active_count": sum(m["active"] for m in members),
            "incomes": household_incomes(household=household),
            "timeline": household_timeline(household=household),
            "timeline_limit": TIMELINE_LIMIT,
            "can_reveal": request.user.has_perm("registry.reveal_id_number", household),
            "assistance": plan_panel(user=request.user, household=household),
        },
    )


@never_cache
@require_POST
@login_required
def person_reveal(request, household_no, person_id):
    """Return a member's full ID number as a fragment, and log that the user saw it."""
    household = _household_or_404(request.user, household_no)
    person = household.members.filter(pk=person_id).first()
    if person is None:
        raise Http404
    try:
        number = person_reveal_id(person=person, actor=request.user)
    except FupinError as error:
        raise PermissionDenied(str(error.message)) from None
    return render(request, "web/_id_revealed.html", {"number": number})


def _import_folder(user, token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk) / token


def _run_import(kind: str, path: Path, actor):
    service = household_import_service if kind == ImportForm.HOUSEHOLDS else income_import
    return service(path=path, actor=actor)


@page_permission_required("registry.import_household")
def household_import(request):
    """Take an uploaded sheet, import it all or nothing, and show the counts or the problems."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result, report_url = None, None
    if request.method == "POST" and form.is_valid():
        import_reports_clean(Path(settings.MEDIA_ROOT) / "imports")
        token = uuid.uuid4().hex
        folder = _import_folder(request.user, token)
        folder.mkdir(parents=True, exist_ok=True)
        upload = form.cleaned_data["file"]
        path = folder / f"upload{ImportForm.suffix_of(upload)}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            result = _run_import(form.cleaned_data["kind"], path, request.user)
        except FupinError as error:
            form.add_error("file", error_text(error))
        finally:
            # The sheet holds personal data; once imported or refused it is not kept.
            path.unlink(missing_ok=True)
        if result is not None and not result.ok:
            result.write_report(folder / "report.csv")
            report_url = reverse("web:import_report", args=[token])
    return render(
        request,
        "web/import.html",
        {
            "form": form,
            "result": result,
            "report_url": report_url,
            "problems": sorted(result.problems, key=lambda p: p.row)[:PROBLEMS_SHOWN]
            if result is not None and not result.ok
            else [],
            "problems_shown": PROBLEMS_SHOWN,
        },
    )


@never_cache
@login_required
@permission_required("registry.import_household", raise_exception=True)
def import_report(request, token):
    """Send the problem report of one of the user's own imports."""
    if not TOKEN.fullmatch(token):
        raise Http404
    path = _import_folder(request.user, token) / "report.csv"
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-report-{token[:8]}.csv",
        content_type="text/csv; charset=utf-8",
    )
