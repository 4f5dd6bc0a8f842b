"""Template filters of the web shell."""

import datetime as dt
import math

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    """Return a duration in whole minutes, rounded up ('' when it is not a duration)."""
    if not isinstance(value, dt.timedelta):
        return ""
    return math.ceil(value.total_seconds() / 60)
