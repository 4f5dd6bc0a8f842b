"""Downloads of the registry pages: the household list and a household file as XLSX, and the
household import's template. The pages themselves are the web shell's (fupin/web/views.py)."""

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fupin.core.errors import Forbidden, FupinError, NotFound
from fupin.core.tabular import XLSX_CONTENT_TYPE
from fupin.registry import exporting
from fupin.registry.filters import FILTER_FIELDS, HouseholdFilterForm
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text


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
    back = reverse("web:household_list") + (f"?{query}" if query else "")
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
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise
    except FupinError as error:
        messages.error(request, error_text(error))
        return redirect(back)


@never_cache
@require_POST
@page_permission_required("registry.export_household")
def household_file_export(request, household_no):
    """Send one household's file (members and incomes) as XLSX (IDs masked unless asked)."""
    try:
        return _send_xlsx(
            lambda handle: exporting.household_file_export(
                user=request.user,
                household_no=household_no,
                out_path=handle,
                full_ids=_wants_full_ids(request),
            ),
            _("一户一档-%(no)s.xlsx") % {"no": household_no},
        )
    except NotFound:
        raise Http404 from None


@require_GET
@page_permission_required("registry.import_household")
def import_template(request):
    """Send the household import's template: its headings, drop-down lists and a notes sheet."""
    return _send_xlsx(exporting.household_import_template, _("农户导入模板.xlsx"))
