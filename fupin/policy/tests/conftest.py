from types import SimpleNamespace

import pytest

from fupin.accounts.tests.factories import UserFactory


@pytest.fixture
def officers(regions):
    """Return a town officer, an officer of its county and one of another county."""
    return SimpleNamespace(
        town_a=UserFactory(username="town_a", role="town_officer", region=regions.town_a),
        county=UserFactory(username="county", role="county_officer", region=regions.county),
        county_2=UserFactory(username="county_2", role="county_officer", region=regions.county_2),
    )
