import pytest

from fupin.accounts.services import token_create
from fupin.registry.tests.factories import (
    HouseholdFactory,
    IncomeFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def world(regions):
    """Return two towns with a household each, and officers of each level with API tokens."""
    home = HouseholdFactory(village=regions.village_a, household_no="H-A-1")
    PersonFactory(household=home, name="王一", relation="head", phone="13812345678")
    PersonFactory(household=home, name="李二", relation="spouse")
    IncomeFactory(household=home, year=2019)
    away = HouseholdFactory(village=regions.village_b, household_no="H-B-1")
    PersonFactory(household=away, name="赵三", relation="head")
    town_a = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
    county = UserFactory(username="county", role="county_officer", region=regions.county)
    return type(
        "World",
        (),
        {
            "regions": regions,
            "home": home,
            "away": away,
            "town_a": town_a,
            "county": county,
            "town_a_token": token_create(user=town_a)[1],
            "county_token": token_create(user=county)[1],
        },
    )
