"""Plumbing of the apps' pages: query parameters, the region asked for, a posted form's service
call and a workbook download."""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse

from fupin.core.errors import FupinError, NotFound
from fupin.core.tabular import XLSX_CONTENT_TYPE
from fupin.regions.selectors import region_path, region_visible

PAGE_SIZE = 50


def int_or_none(value) -> int | None:
    """Return the integer of a query value, or None when it is empty or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_or_none(value) -> dt.date | None:
    """Return the date of a query value (YYYY-MM-DD), or None."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def region_asked(request, perm: str):
    """Return the region of the query's `region` (default: the user's own) if the user holds
    `perm` and may see it, else raise NotFound."""
    return region_visible(user=request.user, code=request.GET.get("region") or None, perm=perm)


def scoped_path(user, region) -> list:
    """Return the breadcrumb of a region, from the user's own region down."""
    prefix = getattr(user, "scope_prefix", None)
    return [
        r for r in region_path(region=region) if prefix is not None and r.code.startswith(prefix)
    ]


def attempt(request, write, success: str, *, not_found_field: str | None = None):
    """Run a service call from a posted form; return (result, errors) and add the message.

    A record named in the form that is not found (or out of scope) is that field's error when
    `not_found_field` is given, else a 404 (NotFoundIs404Middleware).
    """
    try:
        result = write()
    except NotFound as exc:
        if not_found_field is None:
            raise
        messages.error(request, str(exc.message))
        return None, {not_found_field: str(exc.message)}
    except FupinError as exc:
        messages.error(request, str(exc.message))
        return None, exc.details.get("fields", {})
    messages.success(request, success)
    return result, {}


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """Return a workbook as a download."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response
