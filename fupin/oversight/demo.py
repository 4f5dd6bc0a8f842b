"""Demo data of the assessment: the city's ranking of its counties for the last quarter that is over.

The demo's pairings and visits cover the year before the day it is loaded and the leaders' rounds
this year, so the last complete quarter has figures for pairing, visits and rounds (the demo has
no decided cases or assistance plans, whose indicators show no data or zero). Closing it is
one scorecard computation; it is closed by the system, as the demo loader is no officer.
"""

import datetime as dt

from django.utils import timezone

from fupin.core.dates import last_quarter
from fupin.oversight.models import Scorecard
from fupin.oversight.services import scorecard_close

CITY_CODE = "370400000000"


def oversight_demo_load(*, today: dt.date | None = None) -> Scorecard:
    """Close and publish the city's ranking of its counties for the last quarter that is over."""
    today = today or timezone.localdate()
    start, end = last_quarter(today)
    return scorecard_close(parent_code=CITY_CODE, start=start, end=end, actor=None, today=today)


def oversight_demo_step(context) -> None:
    """Demo step: the city's ranking of its counties for the last quarter that is over, closed."""
    oversight_demo_load()
