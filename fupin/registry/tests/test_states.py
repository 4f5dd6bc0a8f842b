"""A household's risk state moves only along RISK_TRANSITIONS, by the county (or the system)."""

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.registry.services import household_mark_undo, household_risk_check
from fupin.registry.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def monitored(regions, state="open"):
    return HouseholdFactory(
        village=regions.village_a, poverty_status="none", monitoring_type="edge", risk_state=state
    )


def test_the_county_and_the_system_move_the_risk_others_are_forbidden(regions):
    household = monitored(regions)
    county = UserFactory(role="county_officer", region=regions.county)
    town = UserFactory(role="town_officer", region=regions.town_a)

    household_risk_check(household=household, to="eliminated", actor=county)
    household_risk_check(household=household, to="eliminated", actor=None)
    with pytest.raises(FupinError) as exc:
        household_risk_check(household=household, to="eliminated", actor=town)
    assert (exc.value.code, exc.value.status) == ("forbidden", 403)
    assert exc.value.details["roles"] == ["county_officer"]


def test_putting_a_mark_on_or_taking_it_off_is_no_move_of_the_risk(regions):
    town = UserFactory(role="town_officer", region=regions.town_a)
    unmarked = HouseholdFactory(village=regions.village_a)
    household_risk_check(household=unmarked, to="open", actor=town)
    household_risk_check(household=monitored(regions), to="", actor=town)
    household_risk_check(household=monitored(regions), to="open", actor=town)


def test_undoing_a_mark_puts_the_risk_back_by_the_county(regions):
    household = monitored(regions)
    county = UserFactory(role="county_officer", region=regions.county)
    standing = {"monitoring_type": "edge", "risk_types": [], "risk_state": "eliminated"}

    household_mark_undo(household=household, standing=standing, actor=county, reason="标识错误")

    household.refresh_from_db()
    assert household.risk_state == "eliminated"
