import pytest

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory


class Officers:
    """Officers of each stage's role over village A, with API tokens, and a client helper."""

    def __init__(self, regions):
        self.village = UserFactory(
            username="village_a", role="village_officer", region=regions.village_a
        )
        self.town = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
        self.county = UserFactory(username="county", role="county_officer", region=regions.county)
        self.cadre = UserFactory(username="cadre_a", role="cadre", region=regions.village_a)
        self.tokens = {
            user.username: token_create(user=user)[1]
            for user in (self.village, self.town, self.county, self.cadre)
        }

    def headers(self, user) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user.username]}"}


@pytest.fixture
def officers(regions):
    return Officers(regions)
