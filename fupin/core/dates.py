"""Date helpers: ages, months later, quarters."""

import calendar
import datetime as dt


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Return the age in whole years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_period(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a year, or of one of its quarters."""
    if not quarter:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the last quarter that ended before the date."""
    current = (today.month - 1) // 3 + 1
    if current == 1:
        return quarter_period(today.year - 1, 4)
    return quarter_period(today.year, current - 1)
