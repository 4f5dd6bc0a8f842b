"""A page view's NotFound answers Django's 404 page; the API keeps its JSON error shape."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import NotFound
from fupin.monitoring.services import case_open
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.middleware import NotFoundIs404Middleware

pytestmark = pytest.mark.django_db


def _household(village, household_no):
    household = HouseholdFactory(village=village, household_no=household_no)
    PersonFactory(household=household, relation="head")
    return household


def _not_found_page(client, url: str) -> str:
    """Get a page that must be the 404 page; return it without what differs per request."""
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "不在您的管辖范围内" in page
    assert "not_found" not in page
    page = re.sub(r'("X-CSRFToken": |name="csrfmiddlewaretoken" value=)"[^"]*"', "", page)
    return page.replace(url, "")


def test_the_middleware_leaves_other_exceptions_and_answers_not_found_as_404():
    from django.http import Http404

    middleware = NotFoundIs404Middleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")

    assert middleware(request).content == b"ok"
    assert middleware.process_exception(request, ValueError("a bug")) is None
    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound("household"))


def test_a_household_absent_or_out_of_scope_reads_the_same_404_page(client, regions):
    _household(regions.village_a, "H-A-1")
    _household(regions.village_b, "H-B-1")
    client.force_login(UserFactory(role="town_officer", region=regions.town_a))

    assert client.get(reverse("registry:household_detail", args=["H-A-1"])).status_code == 200
    absent = _not_found_page(client, reverse("registry:household_detail", args=["NO-SUCH"]))
    outside = _not_found_page(client, reverse("registry:household_detail", args=["H-B-1"]))
    assert absent == outside


def test_a_case_out_of_scope_is_the_same_404_page_as_one_that_does_not_exist(client, regions):
    household = _household(regions.village_b, "H-B-1")
    case, _opened = case_open(
        kind="identification", route="cadre", village=regions.village_b, household=household
    )
    client.force_login(UserFactory(role="village_officer", region=regions.village_a))

    outside = _not_found_page(client, reverse("monitoring:case_detail", args=[case.pk]))
    absent = _not_found_page(client, reverse("monitoring:case_detail", args=[case.pk + 999]))
    assert outside == absent


def test_a_region_out_of_scope_on_a_report_page_is_404(client, regions):
    client.force_login(UserFactory(role="town_officer", region=regions.town_a))

    _not_found_page(client, f"{reverse('pairing:coverage')}?region={regions.town_b.code}")


def test_the_api_still_answers_not_found_in_its_json_shape(client, regions):
    _household(regions.village_b, "H-B-1")
    user = UserFactory(role="town_officer", region=regions.town_a)
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}

    for household_no in ("H-B-1", "NO-SUCH"):
        response = client.get(f"/api/v1/households/{household_no}", headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"
