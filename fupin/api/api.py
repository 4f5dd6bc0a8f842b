"""The API root at /api/v1: authentication, the one error shape, and every app's router."""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fupin.api.auth import BearerToken, SessionAuth
from fupin.api.openapi import FupinAPI
from fupin.core.errors import FupinError
from fupin.core.spine import collected, resolve

logger = logging.getLogger("fupin.api")

# The description is written when the schema is asked for, from the routers then registered.
api = FupinAPI(
    title="扶贫 fupin API",
    version="1.0",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


def error_response(request, status: int, code: str, message: str, details: dict | None = None):
    """Return the one JSON error shape."""
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "details": details or {}}},
        status=status,
    )


@api.exception_handler(FupinError)
def on_fupin_error(request, exc: FupinError):
    return error_response(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("未找到或无权查看"))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("请先登录或提供有效的接口令牌"))


@api.exception_handler(ValidationError)
def on_invalid(request, exc: ValidationError):
    # Name each field as the services do ({"fields": {name: message}}), keeping the raw errors too.
    fields = {
        str(error["loc"][-1]): error.get("msg", "") for error in exc.errors if error.get("loc")
    }
    return error_response(
        request, 422, "invalid_input", _("请求参数不正确"), {"fields": fields, "errors": exc.errors}
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def on_server_error(request, exc: Exception):
    # A client of the API reads JSON, not Django's HTML 500 page; the trace goes to the log only.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(request, 500, "server_error", _("服务器内部错误，请稍后重试或联系管理员"))


# Every app's routers, as its AppConfig declares them (fupin.core.spine), in the order of
# INSTALLED_APPS: the API root imports no app.
for mounted in collected("routers"):
    api.add_router(mounted.prefix, resolve(mounted.router))
