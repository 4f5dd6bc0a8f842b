"""A small known data set whose every scorecard figure is worked out by hand (see `scenario`)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.assistance.tests.factories import measure_for
from fupin.monitoring.models import Case, CaseStep
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import HouseholdFactory

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
# Weights of Tengzhou for its towns: visits and rounds weigh nothing, so that the hand-worked
# totals do not depend on visit records (the pairing app's), which this data set has none of.
COUNTY_WEIGHTS = "pairing=30,visits=0,ontime=20,days=20,plans=30,rounds=0"


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def needing(village, **fields):
    """Return a household of a category that needs a cadre (not lifted by default)."""
    return HouseholdFactory(village=village, **fields)


def monitored(village):
    return HouseholdFactory(
        village=village, poverty_status="none", monitoring_type="edge", risk_state="open"
    )


def paired(household, cadre, *, start=dt.date(2025, 3, 1), end=None):
    return PairingFactory(
        household=household,
        cadre=cadre,
        start_date=start,
        end_date=end,
        end_reason="other" if end else "",
    )


def decided_case(village, *, due: dt.date, decided: dt.date, days: int, by_county=True):
    """Return a case closed on `decided` after `days`, due `due` while at the county decision."""
    stage = "county_decide" if by_county else "verify"
    case = Case.objects.create(
        kind="identification",
        route="cadre",
        village=village,
        stage=stage,
        stage_entered_at=noon(decided - dt.timedelta(days=3)),
        due_date=due,
    )
    case.stage, case.status, case.due_date = "closed", "approved" if by_county else "rejected", None
    case.decided_at, case.days_to_decision = noon(decided), days
    case.save()
    CaseStep.objects.create(
        case=case, from_stage=stage, to_stage="closed", decision="pass" if by_county else "reject"
    )
    return case


@pytest.fixture
def scenario(regions):
    """Return Tengzhou's two towns with figures worked out by hand, period 2025.

    Town A (洪绪镇): 6 households need a cadre (2 of them monitored), 3 paired on 2025-12-31
    (a fourth's pairing ended in June, a fifth's began in 2026, the sixth has none) → 0.5; 2 monitored, 1 with a live measure → 0.5; 2 cases decided by
    the county in 2025, 1 by its due date → 0.5, median 20 days = target 5 + 15 → 1.
    Total with COUNTY_WEIGHTS: 30×0.5 + 20×0.5 + 20×1 + 30×0.5 = 60.00.
    Town B (南沙河镇): 2 need, 2 paired → 1; no monitored household (no data); 1 case on time →
    1, 40 days → 20/40 = 0.5. Total (weights 30 + 20 + 20 rescaled): 100 × 60 / 70 = 85.71.
    """
    r = regions
    unit = AidUnitFactory(region=r.county)
    cadre = CadreFactory(unit=unit)
    a1, a2, a3 = needing(r.village_a), needing(r.village_a), needing(r.village_a)
    a4 = needing(r.village_a, poverty_status="lifted", policy_support=True)
    a5, a6 = monitored(r.village_a), monitored(r.village_a)
    HouseholdFactory(village=r.village_a, poverty_status="none")  # ordinary: needs nobody
    paired(a1, cadre)
    paired(a5, cadre)
    paired(a6, cadre)
    paired(a2, cadre, end=dt.date(2025, 6, 30))
    paired(a3, cadre, start=dt.date(2026, 1, 5))
    measure = measure_for(a5)
    type(measure).objects.filter(pk=measure.pk).update(created_at=noon(dt.date(2025, 5, 1)))
    cancelled = measure_for(a6, status="cancelled")
    type(cancelled).objects.filter(pk=cancelled.pk).update(created_at=noon(dt.date(2025, 5, 1)))
    decided_case(r.village_a, due=dt.date(2025, 3, 20), decided=dt.date(2025, 3, 18), days=10)
    decided_case(r.village_a, due=dt.date(2025, 4, 10), decided=dt.date(2025, 4, 15), days=30)
    decided_case(
        r.village_a, due=dt.date(2025, 5, 1), decided=dt.date(2025, 5, 1), days=3, by_county=False
    )
    decided_case(r.village_a, due=dt.date(2024, 12, 1), decided=dt.date(2024, 12, 30), days=9)

    b1, b2 = needing(r.village_b), needing(r.village_b)
    paired(b1, cadre)
    paired(b2, cadre, start=dt.date(2024, 6, 1))
    decided_case(r.village_b, due=dt.date(2025, 9, 30), decided=dt.date(2025, 9, 30), days=40)

    policy_set(
        key="assessment.weights",
        value=COUNTY_WEIGHTS,
        region_code=r.county.code,
        valid_from=dt.date(2016, 1, 1),
        reason="测试",
    )
    return SimpleNamespace(
        regions=r,
        a4=a4,
        a6=a6,
        city=UserFactory(username="city", role="city_admin", region=r.city),
        county=UserFactory(username="county_officer", role="county_officer", region=r.county),
        town_a=UserFactory(username="town_a_officer", role="town_officer", region=r.town_a),
        village=UserFactory(username="village_officer", role="village_officer", region=r.village_a),
        auditor=UserFactory(username="auditor", role="auditor", region=r.city),
    )
