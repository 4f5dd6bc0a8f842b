"""Date helpers."""

import datetime as dt


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Return the age in whole years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
