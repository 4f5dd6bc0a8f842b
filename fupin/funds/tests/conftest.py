import pytest

from fupin.accounts.tests.factories import UserFactory


@pytest.fixture
def users(regions):
    """Return an officer of each role that takes part in funds and assets."""

    class Users:
        city = UserFactory(role="city_admin", region=regions.city)
        county = UserFactory(role="county_officer", region=regions.county)
        town = UserFactory(role="town_officer", region=regions.town_a)
        town_b = UserFactory(role="town_officer", region=regions.town_b)
        village = UserFactory(role="village_officer", region=regions.village_a)
        auditor = UserFactory(role="auditor", region=regions.city)

    return Users
