"""A village of the registry ready for a distribution plan of 2020, with its council."""

import datetime as dt
from types import SimpleNamespace

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.councils.tests.factories import council_with_members, resolution_adopted
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory

YEAR = 2020
STANDING = {
    "not_lifted": {"poverty_status": "not_lifted"},
    "monitored": {"poverty_status": "lifted", "monitoring_type": "edge", "risk_state": "open"},
    "lifted_supported": {"poverty_status": "lifted", "policy_support": True},
    "lifted": {"poverty_status": "lifted", "policy_support": False},
    "ordinary": {"poverty_status": "none"},
}


def household(no, category, members, net, village, *, income=True, **extra):
    """Create a household of the category with members and a 2020 net income (wage only)."""
    home = HouseholdFactory(household_no=no, village=village, **STANDING[category], **extra)
    for n in range(members):
        PersonFactory(household=home, relation="head" if n == 0 else "son")
    if income:
        IncomeFactory(household=home, year=YEAR, wage=net, business=0, transfer=0)
    return home


@pytest.fixture
def village(regions):
    """Village A: HA1 (2 people, 2500 each), HA2 monitored (3000), HA3 supported (3 × 4000),
    HA4 lifted and HA5 ordinary (not eligible), HA6 removed; HB1 in village B."""
    a = regions.village_a
    homes = {
        "HA1": household("HA1", "not_lifted", 2, 5000, a),
        "HA2": household("HA2", "monitored", 1, 3000, a),
        "HA3": household("HA3", "lifted_supported", 3, 12000, a),
        "HA4": household("HA4", "lifted", 1, 1000, a),
        "HA5": household("HA5", "ordinary", 1, 500, a, income=False),
        "HA6": household(
            "HA6",
            "not_lifted",
            1,
            100,
            a,
            removal_reason="moved",
            removed_on=dt.date(2019, 5, 1),
        ),
        "HB1": household("HB1", "not_lifted", 1, 100, regions.village_b),
    }
    council = council_with_members(a)
    return SimpleNamespace(
        regions=regions,
        code=a.code,
        homes=homes,
        council=council,
        resolution=resolution_adopted(council, "distribution_plan", held_on=dt.date(2021, 3, 1)),
        village_officer=UserFactory(role="village_officer", region=a),
        town_officer=UserFactory(role="town_officer", region=regions.town_a),
        county_officer=UserFactory(role="county_officer", region=regions.county),
        other_village_officer=UserFactory(role="village_officer", region=regions.village_b),
        cadre=UserFactory(role="cadre", region=a),
    )
