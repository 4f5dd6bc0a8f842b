import pytest

from fupin.monitoring.tests.factories import Officers


@pytest.fixture
def officers(regions):
    return Officers(regions)
