"""The one error shape of fupin: a stable machine code, a translated message, details."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class FupinError(Exception):
    """A refusal with a stable code, a human message (zh-hans first) and details."""

    status = 400

    def __init__(
        self, code: str, message: Any, details: dict | None = None, status: int | None = None
    ):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        """Return the error in the JSON shape used everywhere."""
        return {"error": {"code": self.code, "message": str(self.message), "details": self.details}}


class NotFound(FupinError):
    """The object does not exist or lies outside the user's scope (never tell which)."""

    status = 404

    def __init__(self, what: str = "object", details: dict | None = None):
        super().__init__("not_found", _("未找到或无权查看"), {"what": what, **(details or {})})


class Forbidden(FupinError, PermissionDenied):
    """The object is in the user's region but the role may not do this (a page answers 403)."""

    status = 403

    def __init__(self, message: Any = None, details: dict | None = None):
        super().__init__("forbidden", message or _("您的角色不能执行此操作"), details)
