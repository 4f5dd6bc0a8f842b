import pytest

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory


class People:
    """Officers of each level over village A (town A, Tengzhou, Zaozhuang) with API tokens."""

    def __init__(self, regions):
        self.regions = regions
        self.village = UserFactory(
            username="village_a", role="village_officer", region=regions.village_a
        )
        self.town = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
        self.town_b = UserFactory(username="town_b", role="town_officer", region=regions.town_b)
        self.county = UserFactory(username="county", role="county_officer", region=regions.county)
        self.city = UserFactory(username="city", role="city_admin", region=regions.city)
        self.auditor = UserFactory(username="auditor", role="auditor", region=regions.city)
        self.tokens = {
            user.username: token_create(user=user)[1]
            for user in (self.village, self.town, self.town_b, self.county, self.city, self.auditor)
        }

    def headers(self, user) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user.username]}"}


@pytest.fixture
def people(regions):
    return People(regions)
