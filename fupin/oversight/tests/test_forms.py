import datetime as dt

import pytest

from fupin.core.dates import quarter_period
from fupin.oversight.forms import PeriodForm


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (None, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (1, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        (2, dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        (3, dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        (4, dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ],
)
def test_quarter_period(quarter, first, last):
    assert quarter_period(2024, quarter) == (first, last)


def test_dates_win_over_the_year_and_quarter():
    form = PeriodForm({"year": "2024", "quarter": "2", "start": "2025-02-01", "end": "2025-02-28"})
    assert form.period() == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert PeriodForm({"year": "2024", "quarter": "1"}).period() == quarter_period(2024, 1)
