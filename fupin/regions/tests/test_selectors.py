"""Regions read within the user's scope: region_visible checks the permission and the scope."""

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import NotFound
from fupin.regions.selectors import region_visible

pytestmark = pytest.mark.django_db

PERM = "funds.view_fundsource"


def test_the_users_own_region_is_the_default_and_a_region_below_may_be_asked(regions):
    officer = UserFactory(role="county_officer", region=regions.county)

    assert region_visible(user=officer, code=None, perm=PERM) == regions.county
    assert region_visible(user=officer, code=regions.town_a.code, perm=PERM) == regions.town_a


def test_a_region_out_of_scope_or_without_the_permission_is_not_found(regions):
    officer = UserFactory(role="county_officer", region=regions.county)

    with pytest.raises(NotFound):
        region_visible(user=officer, code=regions.county_2.code, perm=PERM)
    with pytest.raises(NotFound):
        region_visible(user=officer, code=None, perm="auth.delete_group")
