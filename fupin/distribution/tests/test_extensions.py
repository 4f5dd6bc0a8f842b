"""Distribution fills the assets app's extension points: the ledger's distributed figures and the
plans on a project's file."""

from fupin.assets.selectors import LEDGER_DISTRIBUTION, PROJECT_PLANS
from fupin.core import spine
from fupin.distribution.selectors import ledger_distribution, plans_of_income


def test_the_assets_extension_points_are_filled_by_distribution():
    assert spine.extensions(LEDGER_DISTRIBUTION) == [ledger_distribution]
    assert spine.extensions(PROJECT_PLANS) == [plans_of_income]


def test_a_point_no_app_fills_has_no_implementation():
    assert spine.extensions("nobody.nothing") == []
