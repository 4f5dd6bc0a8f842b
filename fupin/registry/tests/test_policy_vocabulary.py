"""The support categories policy keys may list are the registry's, in the same order."""

from fupin.policy.keys import policy_categories
from fupin.registry.choices import SupportCategory


def test_the_policy_categories_are_the_support_categories():
    assert policy_categories() == tuple(SupportCategory.values)
