"""Date helpers: months later keep the day, or the month's last day when it has none."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fupin.core.dates import add_months


def test_add_months_keeps_the_month_end():
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 1, 15), 12) == dt.date(2025, 1, 15)
    assert add_months(dt.date(2020, 2, 29), 12) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2018, 11, 30), 3) == dt.date(2019, 2, 28)
    assert add_months(dt.date(2019, 3, 31), -1) == dt.date(2019, 2, 28)


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    months=st.integers(min_value=-36, max_value=36),
)
def test_add_months_moves_whole_months_and_never_past_the_months_end(day, months):
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day
    assert later.day == day.day or (later + dt.timedelta(days=1)).day == 1
