"""Bad input is a 422 in the error shape, never a 500 (issue 10, defect 22).

A NUL byte cannot be stored in a PostgreSQL text column (DataError), so it is refused once, for
every query string, form and JSON body, pages and API alike; years are bounded by one schema
type. The same inputs run on SQLite and, marked `postgres`, on PostgreSQL.
"""

import json

import pytest

from fupin.api.api import api
from fupin.api.tests.test_permissions import BODIES
from fupin.api.types import YEAR_MAX, YEAR_MIN


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def _assert_invalid(response):
    assert response.status_code == 422, response.content[:500]
    assert response.json()["error"]["code"] == "invalid_input"


DECLARATION = BODIES["/api/v1/declarations"]


def _nul_inputs(client, world):
    """Send every NUL-bearing input of the defect and check each is refused."""
    _assert_invalid(
        client.get("/api/v1/households", {"q": "\x00"}, headers=auth(world.county_token))
    )
    _assert_invalid(client.get("/api/v1/households?q=%00", headers=auth(world.county_token)))
    _assert_invalid(client.get("/api/v1/declarations/villages", {"parent": "3704\x00"}))
    response = client.post(
        "/api/v1/declarations",
        json.dumps({**DECLARATION, "name": "赵\x00三"}),
        content_type="application/json",
        headers={"Idempotency-Key": "nul-1"},
    )
    _assert_invalid(response)
    assert response.json()["error"]["details"]["fields"] == {"name": "不能含有空字符（NUL）"}
    nested = client.post(
        "/api/v1/declarations",
        json.dumps({**DECLARATION, "risk_types": ["ill\x00ness"]}),
        content_type="application/json",
        headers={"Idempotency-Key": "nul-2"},
    )
    _assert_invalid(nested)


def test_nul_bytes_are_refused_in_the_api(client, world):
    _nul_inputs(client, world)


@pytest.mark.postgres
def test_nul_bytes_are_refused_in_the_api_on_postgres(client, world):
    _nul_inputs(client, world)


def test_a_page_refuses_nul_bytes_in_its_query_and_form(client, world):
    client.force_login(world.county)
    response = client.get("/households/", {"q": "\x00"})
    assert response.status_code == 422
    response = client.post("/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 422


def test_a_key_header_with_a_nul_byte_is_refused(client, world):
    response = client.post(
        "/api/v1/declarations",
        json.dumps(DECLARATION),
        content_type="application/json",
        headers={"Idempotency-Key": "k\x00"},
    )
    _assert_invalid(response)


def test_clean_text_still_passes(client, world):
    response = client.get("/api/v1/households", {"q": "王一"}, headers=auth(world.county_token))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def _years(client, world):
    for year in ("43614", "-274", "0", "10000"):
        _assert_invalid(
            client.get(
                "/api/v1/funds/allocations", {"year": year}, headers=auth(world.county_token)
            )
        )
    for year in (-274, 0, 10000):
        response = client.post(
            "/api/v1/screening/runs",
            json.dumps({"region": world.regions.county.code, "year": year}),
            content_type="application/json",
            headers=auth(world.county_token),
        )
        _assert_invalid(response)
        assert "year" in response.json()["error"]["details"]["fields"]


def test_years_out_of_range_are_invalid_input(client, world):
    _years(client, world)


@pytest.mark.postgres
def test_years_out_of_range_are_invalid_input_on_postgres(client, world):
    _years(client, world)


def _year_fields(schema):
    """Yield (where, property schema) of every input field or parameter named like a year."""
    components = schema["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            for parameter in op.get("parameters", []):
                if parameter["name"] == "year":
                    yield f"{method} {path} ?year", parameter["schema"]
            for content in op.get("requestBody", {}).get("content", {}).values():
                body = resolve(content["schema"])
                for name, prop in body.get("properties", {}).items():
                    if name == "year":
                        yield f"{method} {path} body.year", prop


def _bounds(prop):
    for option in [prop, *prop.get("anyOf", [])]:
        if "minimum" in option:
            return option["minimum"], option["maximum"]
    return None


def test_every_year_the_api_takes_is_bounded():
    found = list(_year_fields(api.get_openapi_schema()))
    assert len(found) >= 10
    for where, prop in found:
        assert _bounds(prop) == (YEAR_MIN, YEAR_MAX), where


def test_an_api_500_comes_back_in_the_json_error_shape(client, world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("fupin.registry.api.household_list", broken)
    response = client.get("/api/v1/households", headers=auth(world.county_token))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()
