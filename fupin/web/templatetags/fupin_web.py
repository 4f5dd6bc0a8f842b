"""Template filters and tags of the web shell."""

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

CENT = Decimal("0.01")
NONE_SHOWN = "—"


def _decimal(value) -> Decimal | None:
    """Return a value as an exact Decimal (a float by its shortest repr), None when it is none."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _exact(value: Decimal) -> Context:
    """Return a context precise enough for every digit of a value and its cents."""
    # The default context's 28 digits would refuse or round a huge amount.
    return Context(prec=max(28, value.adjusted() + 4, len(value.as_tuple().digits)))


def _grouped(value: Decimal) -> str:
    """Return a Decimal rounded half up to cents, with a comma between groups of three digits."""
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP, context=_exact(value))
    sign = "-" if cents < 0 else ""
    # copy_abs, not abs(): abs() rounds to the default context.
    whole, _dot, fraction = f"{cents.copy_abs():f}".partition(".")
    groups = []
    while whole:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return f"{sign}{','.join(groups)}.{fraction}"


@register.filter
def yuan(value) -> str:
    """Return an amount of yuan as "1,234,567.89": two places, half up, '—' when there is none.

    The same in every language (not the locale's grouping), so that an amount reads alike on every
    page and in every export; a value that is not a number is shown as it is."""
    amount = _decimal(value)
    if amount is None:
        return NONE_SHOWN if value is None or value == "" else str(value)
    if not amount.is_finite():
        return str(value)
    return _grouped(amount)


@register.filter
def wan(value) -> str:
    """Return an amount of yuan in units of 10,000 yuan for a summary: "123.46 万元" (half up)."""
    amount = _decimal(value)
    if amount is None:
        return NONE_SHOWN if value is None or value == "" else str(value)
    if not amount.is_finite():
        return str(value)
    # Translators: the unit of an amount in ten thousands of yuan, after the number.
    unit = _("万元")  # outside the f-string, where makemessages finds it
    return f"{_grouped(amount.scaleb(-4, context=_exact(amount)))} {unit}"


@register.filter
def minutes(value) -> int | str:
    """Return a duration in whole minutes, rounded up ('' when it is not a duration)."""
    if not isinstance(value, dt.timedelta):
        return ""
    return math.ceil(value.total_seconds() / 60)


@register.simple_tag(takes_context=True)
def panel(context, drawn) -> str:
    """Draw a section an app adds to a page (fupin.web.panels): its template, with its context
    over the page's (so it has the request, the user and the CSRF token as the page does)."""
    section = context.template.engine.get_template(drawn.template)
    with context.push(drawn.context):
        return section.render(context)
