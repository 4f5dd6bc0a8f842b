"""Pages of the registry: the household list, the household file (一户一档), the import of
households and incomes, and their downloads (the list and a file as XLSX, the import's template)."""

import re
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fupin.core.errors import Forbidden, FupinError, NotFound
from fupin.core.importing import import_reports_clean
from fupin.core.tabular import XLSX_CONTENT_TYPE
from fupin.regions.selectors import region_path
from fupin.registry import choices as c
from fupin.registry import exporting
from fupin.registry.filters import FILTER_FIELDS, HouseholdFilterForm
from fupin.registry.forms import ImportForm
from fupin.registry.selectors import household_get, household_list, household_list_rows
from fupin.registry.services import household_import as household_import_service
from fupin.registry.services import income_import, person_reveal_id
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text
from fupin.web.panels import panels_for

PAGE_SIZE = 50
PROBLEMS_SHOWN = 500
TOKEN = re.compile(r"[0-9a-f]{32}")


def _is_partial(request) -> bool:
    """Tell whether htmx asked for a fragment (a history restore needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
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
    template = (
        "registry/_household_results.html"
        if _is_partial(request)
        else "registry/household_list.html"
    )
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
    return render(request, "registry/_household_count.html", {"count": count})


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_detail(request, household_no):
    """Show the household file (一户一档): its standing, then the sections of every app (its own
    members, incomes and history among them), each in its order."""
    household = household_get(user=request.user, household_no=household_no)
    risk_labels = dict(c.RiskType.choices)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "region_path": region_path(region=household.village),
            "risk_types": [risk_labels.get(key, key) for key in household.risk_types or []],
            "panels": panels_for(request, household),
        },
    )


@never_cache
@require_POST
@login_required
def person_reveal(request, household_no, person_id):
    """Return a member's full ID number as a fragment, and log that the user saw it."""
    household = household_get(user=request.user, household_no=household_no)
    person = household.members.filter(pk=person_id).first()
    if person is None:
        raise Http404
    try:
        number = person_reveal_id(person=person, actor=request.user)
    except FupinError as error:
        raise PermissionDenied(str(error.message)) from None
    return render(request, "registry/_id_revealed.html", {"number": number})


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
            report_url = reverse("registry:import_report", args=[token])
    return render(
        request,
        "registry/import.html",
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


def _send_xlsx(write, filename: str) -> FileResponse:
    """Write a workbook into a temporary file with `write(handle)` and send it as a download."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def _wants_full_ids(request) -> bool:
    return request.POST.get("full_ids") == "1"


@never_cache
@require_POST
@page_permission_required("registry.export_household")
def household_list_export(request):
    """Send the households the list shows for these filters as XLSX (IDs masked unless asked).

    A POST with the list's filters: the export is a recorded act, which a link on another site
    must not be able to make in the user's name.
    """
    form = HouseholdFilterForm(request.POST, user=request.user)
    query = urlencode({k: v for k in FILTER_FIELDS if (v := request.POST.get(k, ""))})
    back = reverse("registry:household_list") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, _("筛选条件有误，未导出"))
        return redirect(back)
    name = _("农户档案-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    try:
        return _send_xlsx(
            lambda handle: exporting.household_export(
                user=request.user,
                out_path=handle,
                full_ids=_wants_full_ids(request),
                filters=form.to_filters(),
            ),
            name,
        )
    except (NotFound, Forbidden):
        raise
    except FupinError as error:
        messages.error(request, error_text(error))
        return redirect(back)


@never_cache
@require_POST
@page_permission_required("registry.export_household")
def household_file_export(request, household_no):
    """Send one household's file (members and incomes) as XLSX (IDs masked unless asked)."""
    return _send_xlsx(
        lambda handle: exporting.household_file_export(
            user=request.user,
            household_no=household_no,
            out_path=handle,
            full_ids=_wants_full_ids(request),
        ),
        _("一户一档-%(no)s.xlsx") % {"no": household_no},
    )


@require_GET
@page_permission_required("registry.import_household")
def import_template(request):
    """Send the household import's template: its headings, drop-down lists and a notes sheet."""
    return _send_xlsx(exporting.household_import_template, _("农户导入模板.xlsx"))
