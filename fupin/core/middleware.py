"""Before any view: refuse input no database column can hold; start the request's operation."""

import contextlib
import json

from django.http import HttpResponse, JsonResponse, QueryDict
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import gettext as _

from fupin.core.operations import operation_scope

NUL = "\x00"


def _nul_fields(value, name: str = "") -> list[str]:
    """Return the names of the fields (dotted for nested JSON) whose text holds a NUL byte."""
    if isinstance(value, str):
        return [name or "body"] if NUL in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            key = str(key)
            if NUL in key:
                found.append(name or "body")
            found += _nul_fields(item, f"{name}.{key}" if name else key)
        return found
    if isinstance(value, list):
        return [field for item in value for field in _nul_fields(item, name)]
    return []


def nul_fields(request) -> list[str]:
    """Return the fields of the request's query, form, JSON body or headers with a NUL byte."""
    found = []
    for source in (request.GET, request.POST if request.method == "POST" else {}):
        for key in source:
            found += _nul_fields({key: source.getlist(key)})
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if content_type.endswith("json"):
            # A malformed body is left to the view, which reports it in its own words.
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                found += _nul_fields(json.loads(request.body or b"null"))
        elif request.method != "POST" and content_type == "application/x-www-form-urlencoded":
            form = QueryDict(request.body, encoding=request.encoding)
            found += _nul_fields({key: form.getlist(key) for key in form})
    for header, value in request.headers.items():
        if NUL in value:
            found.append(header)
    return list(dict.fromkeys(found))


class RefuseNulBytesMiddleware:
    """Answer 422 `invalid_input` to a request whose text holds a NUL byte.

    PostgreSQL cannot store NUL in text or JSON columns and raises DataError (a 500); SQLite
    stores it silently. Refusing it here covers every page and API endpoint at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = nul_fields(request)
        if fields:
            return self.refuse(request, fields)
        return self.get_response(request)

    def refuse(self, request, fields: list[str]) -> HttpResponse:
        message = _("请求中含有不允许的字符（空字符 NUL）")
        if request.path.startswith("/api/"):
            details = {"fields": {field: _("不能含有空字符（NUL）") for field in fields}}
            return JsonResponse(
                {"error": {"code": "invalid_input", "message": message, "details": details}},
                status=422,
                json_dumps_params={"ensure_ascii": False},
            )
        try:
            template = loader.get_template("400.html")
        except TemplateDoesNotExist:
            return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
        return HttpResponse(template.render({"message": message}, request), status=422)


class OperationMiddleware:
    """Run each request as one operation: its events share one id (``request.operation``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with operation_scope() as operation:
            request.operation = operation
            return self.get_response(request)
