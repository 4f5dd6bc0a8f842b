"""Every page URL pattern, opened by an account whose region holds everything but whose role
may read almost nothing (a city-wide department account): no 5xx, nothing personal shown, and an
object in its region that the role may not open is 403, not 404 (defect 4, docs/decisions/0045).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fupin.accounts.tests.factories import UserFactory
from fupin.api.tests import test_permissions as suite

# Page parameters named like the API's take the API suite's objects (all in town B).
EXTRA = {
    "person_id": lambda w: w.away.members.get().pk,
    "village_code": lambda w: w.regions.village_b.code,
    "token": lambda w: "0" * 32,
    "step": lambda w: "notice",
    "name": lambda w: "warnings.csv",
}
# Pages whose objects differ from the API suite's under the same parameter name.
PAGE_VALUES = {
    ("pairing:run_detail", "run_id"): lambda w: 1,
    ("projects:plan_approve", "plan_id"): lambda w: suite.OUT_OF_SCOPE["plan_id"](w),
    ("distribution:detail", "plan_id"): lambda w: suite.OUT_OF_SCOPE["distribution_plan_id"](w),
    ("distribution:csv", "plan_id"): lambda w: suite.OUT_OF_SCOPE["distribution_plan_id"](w),
    ("distribution:step", "plan_id"): lambda w: suite.OUT_OF_SCOPE["distribution_plan_id"](w),
}
# Object pages that must answer 403 to the department account (object in its region).
FORBIDDEN_PAGES = {
    "registry:household_detail",
    "monitoring:case_detail",
    "councils:detail",
    "distribution:detail",
    "projects:detail",
    "funds:source_detail",
    "funds:allocation_detail",
    "funds:loan_detail",
    "assets:asset_detail",
}


def _patterns(patterns=None, prefix="", ns=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name


PAGES = sorted(
    (route, name)
    for route, name in _patterns()
    if not route.startswith(("admin/", "api/", "static/")) and name not in ("web:logout",)
)


def _url(route: str, name: str, world) -> str:
    def value(match):
        key = match.group(2)
        make = PAGE_VALUES.get((name, key)) or EXTRA.get(key) or suite.OUT_OF_SCOPE.get(key)
        assert make is not None, f"page parameter {key!r} of {name} has no value in the walk"
        return str(make(world))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def department(world):
    return UserFactory(username="dept_city", role="department", region=world.regions.city)


def test_the_walk_covers_the_object_pages():
    assert {name for _route, name in PAGES} >= FORBIDDEN_PAGES


@pytest.mark.parametrize(("route", "name"), PAGES)
def test_every_page_shows_an_unpermitted_role_nothing(client, world, department, route, name):
    url = _url(route, name, world)
    client.force_login(department)
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    body = response.content.decode(errors="replace")
    for secret in suite._secrets(world):
        assert secret in url or secret not in body, (url, secret)
    if name in FORBIDDEN_PAGES:
        assert response.status_code == 403, (url, response.status_code)


@pytest.mark.parametrize("name", sorted(FORBIDDEN_PAGES))
def test_out_of_region_is_still_not_found(client, world, name):
    route = dict((n, r) for r, n in PAGES)[name]
    client.force_login(world.town_a)
    assert client.get(_url(route, name, world)).status_code == 404
