import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory


@pytest.fixture
def town(regions):
    """Return households in towns A and B and a user of each role that matters to the pages."""
    home = HouseholdFactory(
        village=regions.village_a,
        household_no="H-A-1",
        poverty_status="not_lifted",
        household_type="dibao",
        main_cause="illness",
    )
    head = PersonFactory(household=home, name="王一", relation="head", phone="13812345678")
    PersonFactory(household=home, name="李二", relation="spouse")
    IncomeFactory(household=home, year=2019, wage=1000, business=0, transfer=500)
    IncomeFactory(household=home, year=2020, wage=20000, business=0, transfer=0)
    lifted = HouseholdFactory(
        village=regions.village_a,
        household_no="H-A-2",
        poverty_status="lifted",
        policy_support=True,
        household_type="general",
        main_cause="schooling",
    )
    PersonFactory(household=lifted, name="孙四", relation="head")
    away = HouseholdFactory(
        village=regions.village_b, household_no="H-B-1", poverty_status="not_lifted"
    )
    PersonFactory(household=away, name="赵三", relation="head")
    return type(
        "Town",
        (),
        {
            "regions": regions,
            "home": home,
            "head": head,
            "lifted": lifted,
            "away": away,
            "town_a": UserFactory(username="town_a", role="town_officer", region=regions.town_a),
            "town_b": UserFactory(username="town_b", role="town_officer", region=regions.town_b),
            "county": UserFactory(username="county", role="county_officer", region=regions.county),
            "county_2": UserFactory(
                username="county_2", role="county_officer", region=regions.county_2
            ),
            "cadre": UserFactory(username="cadre_a", role="cadre", region=regions.village_a),
        },
    )
