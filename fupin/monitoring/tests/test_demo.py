"""The demo is a living city: cases of every route at every stage, decisions, and an exit that works."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fupin.accounts.choices import Role
from fupin.accounts.models import User
from fupin.accounts.services import user_add
from fupin.assistance.models import AssistancePlan
from fupin.core.dates import last_quarter
from fupin.core.demo import DEMO_PASSWORD, demo_load
from fupin.monitoring import choices as c
from fupin.monitoring.demo import _advance, _clock
from fupin.monitoring.models import Case, Objection
from fupin.monitoring.services import exit_case_open, exit_conditions
from fupin.oversight.selectors import scorecard_compute
from fupin.policy.selectors import policy_get
from fupin.regions.models import Region
from fupin.registry.models import Household, HouseholdIncome

COUNTIES = ("370402", "370403", "370404", "370405", "370406", "370481")


@pytest.fixture
def demo(db):
    return demo_load(households=600, seed=7)


def test_cases_of_every_route_wait_at_every_stage_and_others_are_decided(demo):
    today = timezone.localdate()
    waiting = Case.objects.filter(kind=c.CaseKind.IDENTIFICATION, status=c.CaseStatus.OPEN)
    for route in c.Route.values:
        for stage in c.ORDER:
            assert waiting.filter(route=route, stage=stage).exists(), (route, stage)
    # Each demo officer has work at their own stages, in their own scope.
    for username, stages in (
        ("village", c.ORDER[:4]),
        ("town", [c.Stage.TOWN_REVIEW]),
        ("county", [c.Stage.COUNTY_DECIDE]),
    ):
        user = User.objects.get(username=username)
        mine = Case.objects.restrict(user).filter(status=c.CaseStatus.OPEN)
        assert {s for s in stages} <= set(mine.values_list("stage", flat=True)), username
    # Some are overdue; one notice has an objection the village must answer.
    assert waiting.filter(due_date__lt=today).count() >= 3
    assert Objection.objects.filter(
        answered_at=None, case__stage=c.Stage.NOTICE, case__status=c.CaseStatus.OPEN
    ).exists()
    assert Objection.objects.filter(
        answered_at__isnull=False, case__status=c.CaseStatus.APPROVED
    ).exists()
    # Decided inclusions (the household monitored from the decision, with a plan due), rejections,
    # and exits; an exit case waits too.
    included = Case.objects.filter(kind=c.CaseKind.IDENTIFICATION, status=c.CaseStatus.APPROVED)
    assert included.count() >= 10
    for case in included.select_related("household"):
        assert case.household.risk_state == "open"
        assert case.household.monitored_on == timezone.localdate(case.decided_at)
        assert case.plan_due_date is not None
        assert AssistancePlan.objects.filter(household=case.household).exists()
    assert Case.objects.filter(status=c.CaseStatus.REJECTED).exclude(reject_reason="").exists()
    exits = Case.objects.filter(kind=c.CaseKind.EXIT, status=c.CaseStatus.APPROVED)
    assert exits.exists()
    assert all(case.household.risk_state == "eliminated" for case in exits)
    assert Case.objects.filter(kind=c.CaseKind.EXIT, status=c.CaseStatus.OPEN).exists()
    # Every move was made by the role that owns its stage, and in time order.
    for case in Case.objects.prefetch_related("steps__actor"):
        steps = list(case.steps.order_by("pk"))
        assert steps[0].decision == "open"
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        for step in steps[1:]:
            if step.decision in c.Decision.values:
                assert step.actor.role == c.STAGE_ROLE[c.Stage(step.from_stage)]
        assert case.steps.last().to_stage == case.stage


def test_every_county_has_decided_cases_for_the_assessment_of_last_quarter(demo):
    start, end = last_quarter(timezone.localdate())
    card = scorecard_compute(region=Region.objects.get(code="370400000000"), start=start, end=end)
    assert {row.region[:6] for row in card.rows} == set(COUNTIES)
    for row in card.rows:
        for indicator in ("ontime", "days"):
            figure = row.figures[indicator]
            assert figure.count > 0 and figure.score is not None, (row.name, indicator)
    ontime = [row.figures["ontime"] for row in card.rows]
    # Some decisions came after their due date.
    assert sum(f.hits for f in ontime) < sum(f.count for f in ontime)


def _officer(role: str, code: str) -> User:
    found = User.objects.filter(role=role, region_id=code, is_active=True).first()
    return found or user_add(
        username=f"t_{role}_{code}", role=role, region_code=code, password=DEMO_PASSWORD
    )


def test_a_monitored_household_that_meets_the_exit_conditions_exits_through_the_services(demo):
    today = timezone.localdate()
    last_year = today.year - 1
    busy = Case.objects.filter(status=c.CaseStatus.OPEN, household__isnull=False).values(
        "household_id"
    )
    eligible = [
        h
        for h in Household.objects.filter(risk_state="open", removal_reason="").exclude(pk__in=busy)
        if all(condition.met for condition in exit_conditions(household=h, on=today))
    ]
    assert eligible, "no monitored demo household meets the exit conditions"
    household = eligible[0]
    income = HouseholdIncome.objects.get(household=household, year=last_year)
    threshold = policy_get(
        "monitoring.income_threshold",
        region_code=household.village_id,
        on=dt.date(last_year, 12, 31),
    )
    assert income.net / income.size >= Decimal(threshold)

    village = _officer(Role.VILLAGE_OFFICER, household.village_id)
    town = _officer(Role.TOWN_OFFICER, household.village_id[:9] + "000")
    county = _officer(Role.COUNTY_OFFICER, household.village_id[:6] + "000000")
    started = timezone.now() - dt.timedelta(days=10)
    with _clock(started):
        case = exit_case_open(household=household, actor=village, reason=c.ExitReason.INCOME_STABLE)
        _advance(
            case.pk,
            village,
            "pass",
            data={"verifiers": ["甲", "乙"], "findings": "收入稳定", "commitment_signed": True},
        )
        _advance(case.pk, village, "pass", data={"findings": "比对无异常"})
        _advance(
            case.pk,
            village,
            "pass",
            data={
                "date": timezone.localdate().isoformat(),
                "representatives": 15,
                "votes_for": 14,
                "votes_against": 1,
                "minutes": "同意退出",
            },
        )
    _advance(case.pk, village, "pass", data={})
    _advance(case.pk, town, "pass", data={"opinion": "同意"})
    case = _advance(case.pk, county, "pass", data={"exit_reason": c.ExitReason.INCOME_STABLE})

    assert case.status == c.CaseStatus.APPROVED
    household.refresh_from_db()
    assert household.risk_state == "eliminated" and household.risk_eliminated_on == today
