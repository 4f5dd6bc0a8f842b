"""Selectors of assistance plans: measure counts, overdue plans and scope."""

import datetime as dt

import pytest

from fupin.assistance.selectors import (
    measure_count,
    measure_get,
    plan_for_household,
    plan_get,
    plan_overdue,
    plan_panel,
    plans_overdue,
)
from fupin.assistance.tests.factories import MeasureFactory, PlanFactory
from fupin.core.errors import NotFound
from fupin.registry.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_measure_count_counts_the_measures_that_are_not_cancelled(village):
    plan = PlanFactory(household=village.home)
    for status in ("planned", "in_progress", "done", "cancelled", "cancelled"):
        MeasureFactory(plan=plan, status=status)
    MeasureFactory(plan=PlanFactory(household=village.away), status="done")

    assert measure_count(household=village.home) == 3
    assert measure_count(household=village.home, statuses=("done",)) == 1
    assert measure_count(household=village.home, statuses=("cancelled",)) == 2
    assert measure_count(household=village.away) == 1


def test_measure_count_is_zero_without_a_plan(village):
    assert measure_count(household=village.home) == 0
    assert plan_for_household(household=village.home) is None


def _plan(household, due: dt.date | None, *statuses):
    plan = PlanFactory(household=household, due_date=due)
    for status in statuses:
        MeasureFactory(plan=plan, status=status)
    return plan


@pytest.mark.parametrize(
    ("days", "statuses", "overdue"),
    [
        (-1, (), True),
        (-30, ("cancelled",), True),
        (0, (), False),  # the due day itself is still in time
        (5, (), False),
        (-1, ("planned",), False),
        (-1, ("in_progress", "cancelled"), False),
        (-1, ("done",), False),
        (None, (), False),
    ],
)
def test_plan_overdue(village, today, days, statuses, overdue):
    due = None if days is None else today + dt.timedelta(days=days)
    plan = _plan(village.home, due, *statuses)

    assert plan_overdue(plan=plan, today=today) is overdue
    assert (plan in plans_overdue(user=village.county, today=today)) is overdue
    assert plan_panel(user=village.county, household=village.home, today=today).overdue is overdue


def test_a_removed_household_is_never_overdue(village, today):
    plan = _plan(village.home, today - dt.timedelta(days=3))
    village.home.removal_reason = "deceased"
    village.home.removed_on = today
    village.home.save()
    plan.refresh_from_db()

    assert plan_overdue(plan=plan, today=today) is False
    assert list(plans_overdue(user=village.county, today=today)) == []


def test_plans_overdue_is_scoped_and_longest_overdue_first(village, regions, today):
    older = _plan(village.home, today - dt.timedelta(days=10))
    other = HouseholdFactory(village=regions.village_a, household_no="H-A-2")
    newer = _plan(other, today - dt.timedelta(days=2))
    away = _plan(village.away, today - dt.timedelta(days=20))
    _plan(HouseholdFactory(village=regions.village_a), today - dt.timedelta(days=4), "planned")

    assert list(plans_overdue(user=village.town_a, today=today)) == [older, newer]
    assert list(plans_overdue(user=village.town_b, today=today)) == [away]
    assert list(plans_overdue(user=village.county, today=today)) == [away, older, newer]


def test_plan_get_and_measure_get_are_scoped(village):
    plan = PlanFactory(household=village.away)
    measure = MeasureFactory(plan=plan)

    assert plan_get(user=village.town_b, household_no="H-B-1") == plan
    assert measure_get(user=village.town_b, household_no="H-B-1", measure_id=measure.pk) == measure
    with pytest.raises(NotFound):
        plan_get(user=village.town_a, household_no="H-B-1")
    with pytest.raises(NotFound):
        measure_get(user=village.town_a, household_no="H-B-1", measure_id=measure.pk)
    # A measure asked for under another household's number is not found either.
    PlanFactory(household=village.home)
    with pytest.raises(NotFound):
        measure_get(user=village.county, household_no="H-A-1", measure_id=measure.pk)


def test_plan_panel_tells_who_may_see_and_change(village):
    assert plan_panel(user=village.department, household=village.home) is None
    assert plan_panel(user=village.auditor, household=village.home).can_change is False
    panel = plan_panel(user=village.cadre, household=village.home)
    assert panel.can_change is True
    assert panel.plan is None and panel.needs_plan is True
    assert plan_panel(user=village.cadre, household=village.ordinary).needs_plan is False
