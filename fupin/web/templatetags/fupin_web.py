"""Template filters and tags of the web shell."""

import datetime as dt
import math

from django import template

from fupin.web.labels import policy_value_shown

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    """Return a duration in whole minutes, rounded up ('' when it is not a duration)."""
    if not isinstance(value, dt.timedelta):
        return ""
    return math.ceil(value.total_seconds() / 60)


@register.inclusion_tag("web/_policy_value.html")
def policy_value(key: str, text: str) -> dict:
    """Show a policy value: a weights table as a small table of labels, a list of codes by label."""
    return {"shown": policy_value_shown(key, text), "key": key}
