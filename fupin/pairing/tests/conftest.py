import pytest

from fupin.regions.services import region_create


@pytest.fixture
def county(regions):
    """Return the region tree with a second village in town A and a third village in town A."""
    regions.village_a2 = region_create(code="370481101202", name="洪二村")
    regions.village_a3 = region_create(code="370481101203", name="洪三村")
    return regions


@pytest.fixture
def officers(regions):
    """Return the monitoring tests' officers of each stage over village A."""
    from fupin.monitoring.tests.factories import Officers

    return Officers(regions)
