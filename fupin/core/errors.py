"""The one error shape of fupin: a stable machine code, a translated message, details.

A refusal is one of a few kinds, and its kind fixes its HTTP status, so that one code always
answers with one status (``fupin/core/tests/test_error_codes.py`` maps every code raised in the
code base to its status; docs/decisions/0052):

- ``Refused`` (422): a business rule says no (``exit_condition_unmet``, ``loan_over_limit``);
- ``InvalidInput`` (422, code ``invalid_input``): fields are missing or malformed;
- ``Conflict`` (409): the request clashes with the present state (a duplicate, a stale form);
- ``InvalidTransition`` (409, code ``invalid_transition``): a state machine has no such move;
- ``NotFound`` (404), ``Forbidden`` (403), ``Unauthenticated`` (401), ``TooLarge`` (413),
  ``RateLimited`` (429).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class FupinError(Exception):
    """A refusal with a stable code, a human message (zh-hans first) and details.

    The base of the kinds below, never raised itself: each kind carries its ``status``.
    """

    status: int

    def __init__(self, code: str, message: Any, details: dict | None = None):
        if type(self) is FupinError:
            raise TypeError("FupinError is the base of the kinds: raise Refused, Conflict, …")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details or {}

    def as_dict(self) -> dict:
        """Return the error in the JSON shape used everywhere."""
        return {"error": {"code": self.code, "message": str(self.message), "details": self.details}}


class Refused(FupinError):
    """A business rule refuses the request as it stands."""

    status = 422


class Conflict(FupinError):
    """The request clashes with the present state: a duplicate, a reused key, a stale form."""

    status = 409


class TooLarge(FupinError):
    """The upload or the request is over a limit of size or rows."""

    status = 413


class RateLimited(FupinError):
    """Too many requests from one client in the window."""

    status = 429


class InvalidInput(FupinError):
    """Fields are missing or malformed: each named with its message and, where known, a code.

    ``details`` is always ``{"fields": {name: message}, "codes": {name: code}}``; a form puts each
    message under its field, an API client reads the codes.
    """

    status = 422

    def __init__(
        self,
        fields: Mapping[str, Any],
        codes: Mapping[str, str] | None = None,
        message: Any = None,
        details: dict | None = None,
    ):
        shown = {name: str(text) for name, text in fields.items()}
        super().__init__(
            "invalid_input",
            message or _("请检查填写的内容"),
            {"fields": shown, "codes": dict(codes or {}), **(details or {})},
        )

    @property
    def fields(self) -> dict[str, str]:
        """Return each field's message."""
        return self.details["fields"]

    @property
    def field_codes(self) -> dict[str, str]:
        """Return each field's code, where one was given."""
        return self.details["codes"]

    @classmethod
    def of(cls, problems: Mapping[str, tuple[str, Any]], message: Any = None) -> "InvalidInput":
        """Return the refusal of problems given as {field: (code, message)}."""
        return cls(
            {name: text for name, (_code, text) in problems.items()},
            {name: code for name, (code, _text) in problems.items()},
            message,
        )


class FieldProblems(dict):
    """Field problems gathered before one refusal: {field: (code, message)}, the first one kept."""

    def add(self, field: str, code: str, message: Any) -> None:
        """Note a problem of the field unless it already has one."""
        self.setdefault(field, (code, str(message)))

    def raise_any(self, message: Any = None) -> None:
        """Raise `InvalidInput` naming every field noted, if any."""
        if self:
            raise InvalidInput.of(self, message)


class InvalidTransition(FupinError):
    """A state machine has no move from the current state to the one asked for."""

    status = 409

    def __init__(
        self,
        current: str,
        target: str,
        allowed: Iterable[str] = (),
        message: Any = None,
        details: dict | None = None,
    ):
        super().__init__(
            "invalid_transition",
            message or _("当前状态不能进行此变更"),
            {"from": str(current), "to": str(target), "allowed": sorted(map(str, allowed))}
            | (details or {}),
        )


class Unauthenticated(FupinError):
    """No valid session or token."""

    status = 401

    def __init__(self, message: Any = None):
        super().__init__("unauthenticated", message or _("请先登录或提供有效的接口令牌"))


class NotFound(FupinError):
    """The object does not exist or lies outside the user's scope (never tell which)."""

    status = 404

    def __init__(self, what: str = "object", details: dict | None = None):
        super().__init__("not_found", _("未找到或无权查看"), {"what": what, **(details or {})})


class Forbidden(FupinError, PermissionDenied):
    """The object is in the user's region but the role may not do this (a page answers 403)."""

    status = 403

    def __init__(self, message: Any = None, details: dict | None = None, code: str = "forbidden"):
        super().__init__(code, message or _("您的角色不能执行此操作"), details)
