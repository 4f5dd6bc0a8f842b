import datetime as dt

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def village(regions):
    """Return a not-lifted household in village A (town A), one in village B, and users of each role."""
    home = HouseholdFactory(
        village=regions.village_a, household_no="H-A-1", poverty_status="not_lifted"
    )
    PersonFactory(household=home, name="王一", relation="head")
    ordinary = HouseholdFactory(
        village=regions.village_a, household_no="H-A-9", poverty_status="none"
    )
    away = HouseholdFactory(
        village=regions.village_b, household_no="H-B-1", poverty_status="not_lifted"
    )
    PersonFactory(household=away, name="赵三", relation="head")

    def user(name, role, region):
        return UserFactory(username=name, role=role, region=region, display_name=name)

    return type(
        "Village",
        (),
        {
            "regions": regions,
            "home": home,
            "ordinary": ordinary,
            "away": away,
            "officer": user("officer_a", "village_officer", regions.village_a),
            "cadre": user("cadre_a", "cadre", regions.village_a),
            "town_a": user("town_a", "town_officer", regions.town_a),
            "town_b": user("town_b", "town_officer", regions.town_b),
            "county": user("county", "county_officer", regions.county),
            "auditor": user("auditor", "auditor", regions.county),
            "department": user("department", "department", regions.county),
        },
    )
