"""The shared permission suite: every API endpoint, anonymous and out of scope.

Every path parameter must have an out-of-scope value in OUT_OF_SCOPE and every writing
endpoint a valid body in BODIES, so that no endpoint can be added without being checked here.
Public endpoints (a resident has no login) are listed in PUBLIC and checked for leaks instead.

An app adds its own endpoints' cases in `fupin/<app>/tests/permission_cases.py`, with any of
the dictionaries and sets below under the same names; they are merged here.
"""

import importlib
import json
import pkgutil
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.accounts.services import token_create
from fupin.api.api import api
from fupin.monitoring.tests.factories import commitment_scan, photo
from fupin.screening.models import ScreeningRun

OUT_OF_SCOPE = {
    # parameter name -> a value that exists but lies in town B (the town A officer's blind spot)
    "code": lambda w: w.regions.town_b.code,
    "household_no": lambda w: w.away.household_no,
    "case_id": lambda w: w.away_case.pk,
    "objection_id": lambda w: w.away_objection.pk,
    "tracking_code": lambda w: w.away_declaration.tracking_code,
    "attachment_id": lambda w: w.away_attachment.pk,
    "measure_id": lambda w: w.away_measure.pk,
    "run_id": lambda w: _away_run(w).pk,
}
BODIES = {
    "/api/v1/declarations": {
        "name": "赵三",
        "id_number": "360426199101010071",
        "phone": "13800000000",
        "village_code": "370481102201",
        "household_size": 2,
        "risk_types": ["illness"],
    },
    "/api/v1/cases/{case_id}/advance": {"stage": "notice", "decision": "return", "note": "退回"},
    "/api/v1/cases/{case_id}/objections": {"text": "异议"},
    "/api/v1/cases/{case_id}/objections/{objection_id}/answer": {"answer": "已核实"},
    "/api/v1/households/{household_no}/exit-cases": {"reason": "risk_eliminated"},
    "/api/v1/households/{household_no}/plan": {"responsible_name": "钱五", "note": ""},
    "/api/v1/households/{household_no}/plan/measures": {"category": "industry"},
    "/api/v1/households/{household_no}/plan/measures/{measure_id}": {"amount": "100.00"},
    "/api/v1/households/{household_no}/plan/measures/{measure_id}/move": {"status": "in_progress"},
    "/api/v1/screening/runs": {"region": "370481000000", "year": 2024},
}
# Endpoints that take a form with a file rather than JSON.
MULTIPART = {
    "/api/v1/cases/{case_id}/attachments": lambda: {
        "kind": "commitment",
        "file": commitment_scan(),
    },
    "/api/v1/declarations/{tracking_code}/photos": lambda: {"file": photo()},
    "/api/v1/screening/feeds": lambda: {
        "region": "370481000000",
        "feed": "population",
        "file": SimpleUploadedFile("p.csv", b"household_no,id_number,name,relation,village_code\n"),
    },
}
# Writes that name their region in the body (Tengzhou): out of a town's scope, so a 404.
BODY_SCOPED = {("post", "/api/v1/screening/feeds"), ("post", "/api/v1/screening/runs")}
PUBLIC = {
    ("post", "/api/v1/declarations"),
    ("post", "/api/v1/declarations/{tracking_code}/photos"),
    ("get", "/api/v1/declarations/{tracking_code}"),
    ("get", "/api/v1/declarations/villages"),
    ("post", "/api/v1/cases/{case_id}/objections"),
}
# Endpoints that take the region as a query parameter: an out-of-scope value must be a 404.
QUERY_OUT_OF_SCOPE = {}
# Lists whose `region` only narrows what the user already sees (out of scope: an empty list).
REGION_FILTERS = {"/api/v1/households", "/api/v1/cases", "/api/v1/screening/runs"}
WRITES = ("post", "put", "patch", "delete")


def _merge_app_cases():
    """Merge every app's `tests/permission_cases.py` into the tables above."""
    import fupin

    for app in pkgutil.iter_modules(fupin.__path__):
        try:
            cases = importlib.import_module(f"fupin.{app.name}.tests.permission_cases")
        except ModuleNotFoundError as error:
            if error.name != f"fupin.{app.name}.tests.permission_cases":
                raise
            continue
        for name in ("OUT_OF_SCOPE", "BODIES", "MULTIPART", "QUERY_OUT_OF_SCOPE"):
            globals()[name].update(getattr(cases, name, {}))
        BODY_SCOPED.update(getattr(cases, "BODY_SCOPED", set()))
        PUBLIC.update(getattr(cases, "PUBLIC", set()))


_merge_app_cases()


def _endpoints():
    schema = api.get_openapi_schema()
    return [(method, path) for path, ops in schema["paths"].items() for method in ops]


def _away_run(world):
    """Return a screening run of Tengzhou (county level: outside town A, inside the county)."""
    if not hasattr(world, "away_run"):
        world.away_run = ScreeningRun.objects.create(
            region=world.regions.county, year=2024, status="done"
        )
    return world.away_run


def _fill(path: str, world) -> str:
    def value(match):
        name = match.group(1)
        assert name in OUT_OF_SCOPE, (
            f"path parameter {name!r} of {path} has no out-of-scope value in the suite"
        )
        return str(OUT_OF_SCOPE[name](world))

    return re.sub(r"\{(\w+)\}", value, path)


def _call(client, method: str, path: str, world, **headers):
    url = _fill(path, world)
    if path in MULTIPART and method == "post":
        return client.post(url, MULTIPART[path](), headers={"Idempotency-Key": "suite", **headers})
    if method in WRITES:
        assert path in BODIES, f"{method.upper()} {path} has no sample body in the suite"
        return client.generic(
            method.upper(),
            url,
            json.dumps(BODIES[path]),
            content_type="application/json",
            headers={"Idempotency-Key": "suite", **headers},
        )
    return client.get(url, headers=headers)


ENDPOINTS = _endpoints()
PRIVATE = [e for e in ENDPOINTS if e not in PUBLIC]


def test_suite_covers_endpoints():
    paths = {path for _method, path in ENDPOINTS}
    assert {
        "/api/v1/households",
        "/api/v1/households/{household_no}",
        "/api/v1/regions/{code}",
        "/api/v1/cases/{case_id}/advance",
    } <= paths
    assert set(ENDPOINTS) >= PUBLIC


@pytest.mark.parametrize(("method", "path"), PRIVATE)
def test_anonymous_gets_401_in_the_error_shape(client, world, method, path):
    response = _call(client, method, path, world)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(("method", "path"), PRIVATE)
def test_town_officer_never_sees_or_touches_another_town(client, world, method, path):
    response = _call(client, method, path, world, Authorization=f"Bearer {world.town_a_token}")
    body = json.dumps(response.json(), ensure_ascii=False)
    if "{" in path or (method, path) in BODY_SCOPED:
        assert response.status_code == 404, body
        assert list(response.json()) == ["error"]
        assert response.json()["error"]["code"] == "not_found"
    else:
        assert response.status_code == 200
        assert world.away.household_no not in body
    assert "赵三" not in body


@pytest.mark.parametrize("path", [p for m, p in PRIVATE if m == "get" and "{" in p])
def test_the_same_object_is_visible_to_the_county(client, world, path):
    response = client.get(
        _fill(path, world), headers={"Authorization": f"Bearer {world.county_token}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC))
def test_public_endpoints_leak_no_personal_data(client, world, method, path):
    response = _call(client, method, path, world)
    assert response.status_code in (200, 201), response.content
    body = json.dumps(response.json(), ensure_ascii=False)
    person = world.away.members.get()
    declaration = world.away_declaration
    for secret in (
        person.name,
        person.id_number,
        declaration.name,
        declaration.phone,
        declaration.id_number,
    ):
        assert secret not in body


def test_every_region_query_parameter_has_an_out_of_scope_value():
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            if method == "get" and "region" in names and path not in REGION_FILTERS:
                assert path in QUERY_OUT_OF_SCOPE, f"{path} has no out-of-scope region"


@pytest.mark.parametrize("path", sorted(QUERY_OUT_OF_SCOPE))
def test_an_out_of_scope_region_in_the_query_is_not_found(client, world, path):
    params = {name: value(world) for name, value in QUERY_OUT_OF_SCOPE[path].items()}
    response = client.get(path, params, headers={"Authorization": f"Bearer {world.town_a_token}"})
    assert response.status_code == 404, response.content
    assert list(response.json()) == ["error"]
    assert response.json()["error"]["code"] == "not_found"
    county = client.get(path, params, headers={"Authorization": f"Bearer {world.county_token}"})
    assert county.status_code == 200


# -- in scope but not permitted ------------------------------------------------------------------
# A department account of the whole city has every object of the world in its region, but its role
# may only send screening feeds (and read the region tree): it must read nothing else and write
# nothing else. An auditor of the county reads everything in it and must write nothing.
# Endpoints a role may legitimately use are named here (apps add theirs under the same names).
DEPARTMENT_MAY = {
    ("get", "/api/v1/screening/feeds"),
    ("get", "/api/v1/regions/{code}"),
    ("post", "/api/v1/screening/feeds"),
}
AUDITOR_MAY: set = set()


def _merge_bystander_cases():
    """Merge the apps' DEPARTMENT_MAY and AUDITOR_MAY sets."""
    import fupin

    for app in pkgutil.iter_modules(fupin.__path__):
        try:
            cases = importlib.import_module(f"fupin.{app.name}.tests.permission_cases")
        except ModuleNotFoundError:
            continue
        DEPARTMENT_MAY.update(getattr(cases, "DEPARTMENT_MAY", set()))
        AUDITOR_MAY.update(getattr(cases, "AUDITOR_MAY", set()))


_merge_bystander_cases()


def _secrets(world) -> list[str]:
    """Return what an unpermitted reader must never see: household numbers, names, ID numbers."""
    from fupin.registry.models import Person

    values = [world.home.household_no, world.away.household_no]
    for person in Person.objects.all():
        values += [person.name, person.id_number]
    declaration = world.away_declaration
    values += [declaration.name, declaration.id_number, declaration.phone]
    return [v for v in values if v]


def _bystander_call(client, method, path, world, token):
    headers = {"Authorization": f"Bearer {token}"}
    if method == "get" and path in QUERY_OUT_OF_SCOPE:
        params = {name: value(world) for name, value in QUERY_OUT_OF_SCOPE[path].items()}
        return client.get(_fill(path, world), params, headers=headers)
    return _call(client, method, path, world, **headers)


@pytest.fixture
def department(world):
    """Return the token of a department account whose region is the whole city."""
    from fupin.accounts.tests.factories import UserFactory

    user = UserFactory(username="dept_city", role="department", region=world.regions.city)
    return token_create(user=user)[1]


@pytest.fixture
def auditor(world):
    """Return the token of an auditor of the county (every object of the world is in it)."""
    from fupin.accounts.tests.factories import UserFactory

    user = UserFactory(username="auditor_county", role="auditor", region=world.regions.county)
    return token_create(user=user)[1]


@pytest.mark.parametrize(("method", "path"), [e for e in PRIVATE if e not in DEPARTMENT_MAY])
def test_in_scope_but_not_permitted_reads_and_writes_nothing(
    client, world, department, method, path
):
    from fupin.core.models import Event

    _fill(path, world)  # the suite's objects exist before the count
    events = Event.objects.count()
    response = _bystander_call(client, method, path, world, department)
    body = response.content.decode()
    if method in WRITES or "{" in path:
        assert response.status_code in (403, 404), body
        assert list(response.json()) == ["error"]
        assert response.json()["error"]["code"] in ("forbidden", "not_found")
    else:
        assert response.status_code in (200, 403, 404), body
    asked = _fill(path, world) + json.dumps(BODIES.get(path, {}), ensure_ascii=False)
    for secret in _secrets(world):
        # A refusal may repeat what was asked (a household number in the body), nothing more.
        assert secret in asked or secret not in body, (secret, body)
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    ("method", "path"), [e for e in PRIVATE if e[0] in WRITES and e not in AUDITOR_MAY]
)
def test_an_auditor_in_scope_writes_nothing(client, world, auditor, method, path):
    from fupin.core.models import Event

    _fill(path, world)
    events = Event.objects.count()
    response = _bystander_call(client, method, path, world, auditor)
    assert response.status_code in (403, 404), response.content
    assert list(response.json()) == ["error"]
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    "path", [p for m, p in PRIVATE if m == "get" and "{" in p and (m, p) not in DEPARTMENT_MAY]
)
def test_an_object_in_scope_but_not_permitted_is_forbidden_not_hidden(
    client, world, department, path
):
    response = _bystander_call(client, "get", path, world, department)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "forbidden"
