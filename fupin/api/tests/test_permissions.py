"""The shared permission suite: every API endpoint, anonymous and out of scope.

Each path parameter of every GET endpoint must be listed in OUT_OF_SCOPE, so that a new
endpoint cannot be added without being checked here.
"""

import json
import re

import pytest

from fupin.api.api import api

OUT_OF_SCOPE = {
    # parameter name -> a value that exists but lies in town B (the town A officer's blind spot)
    "code": lambda w: w.regions.town_b.code,
    "household_no": lambda w: w.away.household_no,
}


def _get_paths():
    schema = api.get_openapi_schema()
    return [path for path, ops in schema["paths"].items() if "get" in ops]


def _fill(path: str, world) -> str:
    def value(match):
        name = match.group(1)
        assert name in OUT_OF_SCOPE, (
            f"path parameter {name!r} of {path} has no out-of-scope value in the suite"
        )
        return OUT_OF_SCOPE[name](world)

    return re.sub(r"\{(\w+)\}", value, path)


GET_PATHS = _get_paths()


def test_suite_covers_endpoints():
    assert "/api/v1/households" in GET_PATHS
    assert "/api/v1/households/{household_no}" in GET_PATHS
    assert "/api/v1/regions/{code}" in GET_PATHS


@pytest.mark.parametrize("path", GET_PATHS)
def test_anonymous_gets_401_in_the_error_shape(client, world, path):
    response = client.get(_fill(path, world))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("path", GET_PATHS)
def test_town_officer_never_sees_another_town(client, world, path):
    url = _fill(path, world)
    response = client.get(url, headers={"Authorization": f"Bearer {world.town_a_token}"})
    body = json.dumps(response.json(), ensure_ascii=False)
    if "{" in path:
        assert response.status_code == 404
        assert list(response.json()) == ["error"]
        assert response.json()["error"]["code"] == "not_found"
    else:
        assert response.status_code == 200
        assert world.away.household_no not in body
    assert "赵三" not in body


@pytest.mark.parametrize("path", [p for p in GET_PATHS if "{" in p])
def test_the_same_object_is_visible_to_the_county(client, world, path):
    response = client.get(
        _fill(path, world), headers={"Authorization": f"Bearer {world.county_token}"}
    )
    assert response.status_code == 200
