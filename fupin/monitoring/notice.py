"""The village public notice (公示) of a case: its period, whom to contact, and its public page.

The printed sheet carries a QR code of the public objection page. That page's address holds the
case number and a signature of it (decision 0055), so that nobody can walk through every case's
notice by counting up numbers.
"""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.urls import reverse
from django.utils.crypto import salted_hmac

from fupin.monitoring import choices as c
from fupin.monitoring.models import Case
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.selectors import region_path

HOTLINE = "12317"
_SALT = "fupin.monitoring.notice"


@dataclass(frozen=True)
class NoticePeriod:
    """The days of a notice: it starts, lasts `days` days and ends on `last_day` (objections
    until then); the stage can be passed from the day after."""

    start: dt.date
    days: int
    last_day: dt.date


def notice_period(case: Case) -> NoticePeriod | None:
    """Return the period of the case's public notice (None before it started)."""
    if case.notice_started_on is None:
        return None
    days = int(
        policy_get("monitoring.notice_days", region_code=case.village_id, on=case.notice_started_on)
    )
    return NoticePeriod(
        start=case.notice_started_on,
        days=days,
        last_day=case.notice_started_on + dt.timedelta(days=days - 1),
    )


def notice_contact(case: Case) -> str:
    """Return how residents reach the village committee: the village's contact, else its town's."""
    path = region_path(region=case.village)
    for region in sorted(path, key=lambda r: -r.level):
        if region.level in (Level.VILLAGE, Level.TOWN) and region.contact:
            return region.contact
    return ""


def notice_token(case_id: int) -> str:
    """Return the signature of a case number that the public notice page's address carries."""
    return salted_hmac(_SALT, str(case_id)).hexdigest()[:16]


def notice_token_valid(case_id: int, token: str) -> bool:
    """Tell whether a token is the signature of the case number (in constant time)."""
    return hmac.compare_digest(notice_token(case_id), token or "")


def notice_public_url(request, case: Case) -> str:
    """Return the absolute address of the case's public notice and objection page."""
    path = reverse("monitoring:notice_public", args=[case.pk, notice_token(case.pk)])
    return request.build_absolute_uri(path)


def notice_is_open(case: Case) -> bool:
    """Tell whether the case is in its public notice now (objections are taken)."""
    return case.status == c.CaseStatus.OPEN and case.stage == c.Stage.NOTICE
