"""Every page without an object in its URL, opened by each role: a role without the page's
permission gets the Chinese 403 page, a role with it the page; a region outside the user's scope
is 404 (docs/decisions/0049). The pages are enumerated from the URL patterns, so a new one without
a case here fails.

Object pages (an id or a household number in the URL) are walked by
fupin/api/tests/test_page_permissions.py.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fupin.accounts.choices import Role
from fupin.accounts.roles import role_permissions
from fupin.accounts.tests.factories import UserFactory
from fupin.web.access import page_permission

# Pages open to anyone, or to any logged-in user: no permission to check.
OPEN = {
    "set_language",
    "web:home",
    "web:login",
    "monitoring:declare",
    "monitoring:manifest",
    "monitoring:service_worker",
    "monitoring:track",
    "pairing:visit_service_worker",
}
# Writes only (GET is 405): their refusals are the API suite's and the apps' tests'.
ACTIONS = {
    "web:logout",
    "distribution:draft",
    "oversight:close",
    "pairing:allocate",
    "pairing:round_visit",
    "registry:household_list_export",
}
# Every other page without an object: the permission it needs, and the query it is opened with.
PAGES = {
    "registry:household_list": "registry.view_household",
    "registry:household_count": "registry.view_household",
    "registry:household_import": "registry.import_household",
    "registry:import_template": "registry.import_household",
    "policy:policy_list": "regions.view_region",
    "assets:asset_list": "assets.view_asset",
    "assets:income_list": "assets.view_incomeentry",
    "assets:ledger": "assets.view_asset",
    "monitoring:case_list": "monitoring.view_case",
    "monitoring:case_new": "monitoring.add_case",
    "councils:list": "councils.view_council",
    "distribution:list": "distribution.view_distributionplan",
    "distribution:fund": "distribution.view_villagefundentry",
    "funds:balances": "funds.view_fundsource",
    "funds:source_list": "funds.view_fundsource",
    "funds:allocation_list": "funds.view_allocation",
    "funds:loan_list": "funds.view_loan",
    "oversight:scorecard": "oversight.view_scorecard",
    "oversight:closed": "oversight.view_scorecard",
    "oversight:export": "oversight.view_scorecard",
    "oversight:records": "oversight.view_scorecard",
    "pairing:coverage": "pairing.view_pairing",
    "pairing:unit_list": "pairing.view_pairing",
    "pairing:cadre_list": "pairing.view_pairing",
    "pairing:my_visits": "pairing.view_pairing",
    "pairing:visits": "pairing.view_pairing",
    "pairing:rounds": "pairing.view_pairing",
    "projects:list": "projects.view_project",
    "projects:new": "projects.add_project",
    "projects:plans_overdue": "projects.view_project",
    "projects:operators": "projects.view_operator",
    "projects:beneficiary_counts": "projects.view_project",
    "projects:reviews": "projects.view_projectreview",
    "screening:run_list": "screening.view_screeningrun",
    "screening:feed_list": "screening.add_feedupload",
}
QUERIES = {"oversight:records": {"indicator": "pairing"}}
# Roles that hold a page's permission and are still refused, for a reason of the page's own.
REFUSED_ANYWAY = {
    # Only towns and villages propose projects.
    ("projects:new", Role.CITY_ADMIN),
    ("projects:new", Role.COUNTY_OFFICER),
}
# Pages whose figures are of a region named in the query (`region=`) or the path (a village):
# one outside the user's scope is 404.
REGION_PAGES = {
    "assets:asset_list",
    "assets:income_list",
    "assets:ledger",
    "councils:list",
    "distribution:list",
    "distribution:fund",
    "funds:balances",
    "funds:source_list",
    "funds:allocation_list",
    "funds:loan_list",
    "oversight:scorecard",
    "oversight:export",
    "pairing:coverage",
    "pairing:visits",
    "pairing:rounds",
    "projects:list",
    "projects:beneficiary_counts",
}
# The account of each role, at the level it works at; "" is an account not given a role yet.
LEVELS = {
    Role.CITY_ADMIN: "city",
    Role.COUNTY_OFFICER: "county",
    Role.TOWN_OFFICER: "town_a",
    Role.VILLAGE_OFFICER: "village_a",
    Role.CADRE: "village_a",
    Role.AUDITOR: "county",
    Role.DEPARTMENT: "city",
    "": None,
}
# A region outside the scope of an account of each level.
OUTSIDE = {"city": "province", "county": "county_2", "town_a": "town_b", "village_a": "village_b"}


def _patterns(patterns=None, prefix="", ns=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name


def _parameters(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


# Page URL patterns without an object: no parameter, or only the village whose figures they show.
LISTS = sorted(
    name
    for route, name in _patterns()
    if not route.startswith(("admin/", "api/", "static/"))
    and _parameters(route) <= {"village_code"}
)
ROLES = list(LEVELS)


@pytest.fixture
def accounts(regions):
    return {
        role: UserFactory(
            username=f"page_{role or 'none'}",
            role=role,
            region=getattr(regions, level) if level else None,
        )
        for role, level in LEVELS.items()
    }


def _url(name: str, village) -> str:
    if name == "distribution:fund":
        return reverse(name, kwargs={"village_code": village.code})
    return reverse(name)


def test_every_page_without_an_object_has_a_case():
    missing = set(LISTS) - OPEN - ACTIONS - set(PAGES)
    assert not missing, f"pages without a case in the permission walk: {sorted(missing)}"
    assert set(PAGES) | OPEN | ACTIONS <= set(LISTS)
    assert set(PAGES) >= REGION_PAGES


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_declares_its_permission_for_the_menu(name):
    # The shared decorator (fupin.web.access) marks the view; the menu reads the mark.
    kwargs = {"village_code": "370402001001"} if name == "distribution:fund" else {}
    assert page_permission(name, **kwargs) == PAGES[name]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_role_without_the_permission_is_refused_and_one_with_it_served(
    client, regions, accounts, name
):
    perm = PAGES[name]
    served = refused = 0
    for role, user in accounts.items():
        client.force_login(user)
        response = client.get(_url(name, regions.village_a), QUERIES.get(name, {}))
        allowed = perm in role_permissions(role) and (name, role) not in REFUSED_ANYWAY
        if allowed:
            assert response.status_code == 200, (name, role, response.status_code)
            served += 1
        else:
            assert response.status_code == 403, (name, role, response.status_code)
            assert "没有权限" in response.content.decode(), (name, role)
            refused += 1
    # Both answers were exercised: at least the account without a role is refused.
    assert served and refused, (name, served, refused)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_the_actions_take_no_get(client, accounts, name):
    client.force_login(accounts[Role.COUNTY_OFFICER])
    assert client.get(reverse(name)).status_code == 405


def test_anonymous_is_sent_to_the_login(client):
    for name in sorted(set(PAGES) - {"distribution:fund"}):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"], name


def _region_url(name: str, code: str) -> tuple[str, dict]:
    if name == "distribution:fund":
        return reverse(name, kwargs={"village_code": code}), {}
    return reverse(name), {"region": code}


@pytest.mark.parametrize("name", sorted(REGION_PAGES))
def test_a_region_in_scope_without_the_permission_is_403_and_outside_it_404(
    client, regions, accounts, name
):
    perm = PAGES[name]
    for role, user in accounts.items():
        level = LEVELS[role]
        if level is None:
            continue
        client.force_login(user)
        inside = regions.village_a.code
        if perm not in role_permissions(role):
            url, query = _region_url(name, inside)
            assert client.get(url, query).status_code == 403, (name, role)
            continue
        url, query = _region_url(name, getattr(regions, OUTSIDE[level]).code)
        assert client.get(url, query).status_code == 404, (name, role)
        own = inside if name == "distribution:fund" else user.region_id
        url, query = _region_url(name, own)
        assert client.get(url, query).status_code in (200, 302), (name, role)


def _links(items):
    for item in items:
        yield from _links(item["children"]) if "children" in item else [item["url"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_of_the_menu_opens(client, accounts, role):
    client.force_login(accounts[role])
    response = client.get(reverse("web:home"))
    links = list(_links(response.context["navigation"]))
    assert links, role
    for url in links:
        assert client.get(url).status_code == 200, (role, url)


def test_the_menu_hides_a_link_to_a_page_the_user_may_not_open(client, accounts, monkeypatch):
    # An entry asking no permission of its own still follows its page's (fupin.web.access).
    from fupin.web import context_processors

    monkeypatch.setattr(
        context_processors,
        "navigation_menus",
        lambda: [
            ("首页", [("web:home", "首页", None)]),
            ("资金", [("funds:balances", "资金", None)]),
        ],
    )
    shown = {}
    for role in (Role.COUNTY_OFFICER, Role.CADRE):
        client.force_login(accounts[role])
        shown[role] = list(_links(client.get(reverse("web:home")).context["navigation"]))
    assert reverse("funds:balances") in shown[Role.COUNTY_OFFICER]
    assert shown[Role.CADRE] == [reverse("web:home")]
