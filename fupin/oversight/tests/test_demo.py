"""The demo publishes the city's ranking of its counties for the last quarter that is over."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.core.dates import last_quarter
from fupin.core.demo import demo_load
from fupin.oversight.models import Scorecard


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (dt.date(2026, 11, 29), dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 2, 1), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ],
)
def test_last_quarter(today, start, end):
    assert last_quarter(today) == (start, end)


def test_the_demo_closes_the_citys_last_quarter(db):
    demo_load(households=600, seed=7)
    snapshot = Scorecard.objects.get()
    assert (snapshot.start, snapshot.end) == last_quarter(timezone.localdate())
    assert snapshot.region_id == "370400000000" and snapshot.closed_by is None
    rows = list(snapshot.rows.all())
    assert len(rows) == 6
    assert all(row.rank is not None for row in rows)
    # Pairings and visits stand for the year before the demo was loaded.
    assert all(row.figures["pairing"]["count"] > 0 for row in rows)
    assert any(row.figures["visits"]["hits"] for row in rows)
