"""Every write operation of the OpenAPI over real HTTP: a token, no cookie, a valid body.

Runs against pytest-django's `live_server` with urllib, as an integrating system does (issue 10:
the suite was green while no token could write). The operations come from
`api.get_openapi_schema()`; `test_every_write_operation_has_a_case` fails when one has none. The
bodies and objects are the permission suite's (town B's objects, inside the county's scope).
"""

import re

import pytest

from fupin.accounts.services import token_create
from fupin.api.api import api
from fupin.api.tests import test_permissions as suite
from fupin.api.tests.http import request

WRITES = ("post", "put", "patch", "delete")
# Public endpoints: a resident has no token.
ANONYMOUS = {p for m, p in suite.PUBLIC if m in WRITES}
# Operations whose case does not succeed yet with the suite's shared body; each names why.
# strict xfail: the day one passes, the test fails until it is moved out of this table.
PENDING: dict[tuple[str, str], str] = {
    ("post", "/api/v1/screening/runs"): "needs a population feed uploaded first",
    ("post", "/api/v1/pairing/visits"): "needs a cadre paired with the household",
    ("post", "/api/v1/pairing/rounds"): "needs a leader with a post (not_a_leader)",
    ("post", "/api/v1/distribution/plans/{distribution_plan_id}/effect"): "plan must be noticed",
    (
        "post",
        "/api/v1/distribution/plans/{distribution_plan_id}/payments",
    ): "plan must be effective",
    (
        "post",
        "/api/v1/distribution/plans/{distribution_plan_id}/resolve",
    ): "needs its village's resolution",
    ("post", "/api/v1/distribution/plans/{distribution_plan_id}/notice"): "plan must be resolved",
    ("post", "/api/v1/distribution/plans"): "needs the village's incomes of the year",
    ("post", "/api/v1/projects/{project_id}/move"): "needs an approved rectification plan",
    ("post", "/api/v1/projects/{project_id}/progress"): "needs a project under construction",
    ("post", "/api/v1/projects/operators"): "the shared body's licence number fails its check",
    ("post", "/api/v1/projects/plans/{plan_id}/approve"): "needs a council resolution",
    ("post", "/api/v1/projects/{project_id}/contracts"): "needs a qualified operator's id",
    ("post", "/api/v1/funds/sources/{source_id}/allocations"): "needs an approved project's id",
    ("post", "/api/v1/assets/{asset_id}/fundings"): "needs an asset formed by a project",
}
# The role that owns each operation, where it is not the county officer (town B's actors).
ACTOR = {
    ("post", "/api/v1/screening/feeds"): "department",
    ("post", "/api/v1/cases/{case_id}/advance"): "village",
    ("post", "/api/v1/cases/{case_id}/objections/{objection_id}/answer"): "village",
    ("post", "/api/v1/distribution/plans"): "village",
    ("post", "/api/v1/distribution/plans/{distribution_plan_id}/resolve"): "village",
    ("post", "/api/v1/distribution/plans/{distribution_plan_id}/notice"): "village",
    ("post", "/api/v1/distribution/plans/{distribution_plan_id}/cancel"): "village",
    ("post", "/api/v1/projects"): "village",
    ("post", "/api/v1/projects/{project_id}/plans"): "village",
    ("post", "/api/v1/projects/plans/{plan_id}/approve"): "village",
    ("post", "/api/v1/projects/{project_id}/move"): "town",
    ("post", "/api/v1/projects/{project_id}/progress"): "town",
}


def _writes():
    schema = api.get_openapi_schema()
    return [
        (method, path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in WRITES
    ]


def test_every_write_operation_has_a_case():
    missing = [
        f"{m.upper()} {p}"
        for m, p in _writes()
        if p not in suite.BODIES and p not in suite.MULTIPART
    ]
    assert not missing, f"write operations without a live-server case: {missing}"
    assert len(_writes()) >= 40


@pytest.fixture
def tokens(world):
    """Return API tokens of town B's village officer, town officer and the county's department."""
    from fupin.registry.tests.factories import UserFactory

    r = world.regions
    users = {
        "village": UserFactory(username="live_v", role="village_officer", region=r.village_b),
        "town": UserFactory(username="live_t", role="town_officer", region=r.town_b),
        "department": UserFactory(username="live_d", role="department", region=r.county),
    }
    return {name: token_create(user=user)[1] for name, user in users.items()}


def _form(path):
    fields = {}
    for name, value in suite.MULTIPART[path]().items():
        if hasattr(value, "read"):
            value.seek(0)
            fields[name] = (
                value.name,
                value.read(),
                value.content_type or "application/octet-stream",
            )
        else:
            fields[name] = str(value)
    return fields


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param(m, p, marks=pytest.mark.xfail(strict=True, reason=PENDING[(m, p)]))
        if (m, p) in PENDING
        else (m, p)
        for m, p in _writes()
    ],
)
def test_a_token_without_cookie_performs_the_write(live_server, world, tokens, method, path):
    url = re.sub(r"\{(\w+)\}", lambda g: str(suite.OUT_OF_SCOPE[g.group(1)](world)), path)
    token = None if path in ANONYMOUS else world.county_token
    if (method, path) in ACTOR:
        token = tokens[ACTOR[(method, path)]]
    headers = {"Idempotency-Key": f"live-{method}-{path}"}
    if path in suite.MULTIPART and method == "post":
        reply = request(
            live_server.url, method, url, token=token, form=_form(path), headers=headers
        )
    else:
        reply = request(
            live_server.url, method, url, token=token, json_body=suite.BODIES[path], headers=headers
        )
    assert "csrf" not in reply.text.lower(), reply.text
    assert 200 <= reply.status < 300, f"{method.upper()} {url}: {reply.status} {reply.text[:400]}"
