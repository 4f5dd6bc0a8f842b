"""Page plumbing: the asked region, query values."""

import datetime as dt

import pytest
from django.test import RequestFactory

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import NotFound
from fupin.web.pages import date_or_none, int_or_none, region_asked


@pytest.mark.django_db
def test_the_asked_region_is_the_users_own_by_default_and_not_found_out_of_scope(regions):
    request = RequestFactory().get("/", {"region": regions.county_2.code})
    request.user = UserFactory(role="county_officer", region=regions.county)

    with pytest.raises(NotFound):
        region_asked(request, "funds.view_fundsource")
    request.GET = {}
    assert region_asked(request, "funds.view_fundsource") == regions.county


def test_query_values_that_are_no_number_or_date_are_none():
    assert (int_or_none("12"), int_or_none("x"), int_or_none(None)) == (12, None, None)
    assert date_or_none("2024-02-29") == dt.date(2024, 2, 29)
    assert (date_or_none("2024-02-30"), date_or_none("")) == (None, None)
