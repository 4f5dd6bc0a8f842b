"""Typed input parsers shared by the apps' services, and the shape of an amount of money.

Each parser takes a raw value (a form's text, a JSON value), the field's name and a
`FieldProblems`; it returns the typed value, or notes the field's problem and returns None, so
that a service names every bad field in one `InvalidInput`.

Money lives here too, in and out: `money` parses an amount, `cents` gives a computed sum its two
places (SQLite drops the scale of aggregates). One module rather than a core/money.py of one
function.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fupin.core.errors import FieldProblems

MAX_AMOUNT = Decimal("999999999999.99")  # what a money column holds (14 digits, 2 decimals)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    """Return an amount with exactly two decimals (SQLite drops the scale of computed sums)."""
    return (value or ZERO).quantize(CENT)


def money(
    value, field: str, problems: FieldProblems, *, allow_zero: bool = False
) -> Decimal | None:
    """Return a positive amount in yuan with at most two decimals, or note the problem."""
    if value in (None, ""):
        problems.add(field, "required", _("必填"))
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.add(field, "not_a_number", _("应为金额"))
        return None
    if not amount.is_finite():
        problems.add(field, "not_a_number", _("应为金额"))
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        problems.add(field, "not_positive", _("金额应大于零"))
        return None
    if amount > MAX_AMOUNT:
        problems.add(field, "too_large", _("金额过大"))
        return None
    if amount != amount.quantize(CENT):
        problems.add(field, "too_many_decimals", _("金额最多两位小数"))
        return None
    return amount.quantize(CENT)


def required_text(value, field: str, problems: FieldProblems, *, max_length: int = 64) -> str:
    """Return a stripped required text, or note the problem."""
    text = (value or "").strip()
    if not text:
        problems.add(field, "required", _("必填"))
    elif len(text) > max_length:
        problems.add(field, "too_long", _("内容过长"))
    return text


def date_required(value, field: str, problems: FieldProblems) -> dt.date | None:
    """Return a date, or note the problem."""
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        problems.add(field, "required", _("必填"))
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.add(field, "not_a_date", _("应为日期（YYYY-MM-DD）"))
        return None
