"""The OpenAPI document states the contract: unique components, one error shape, ids, headers."""

import enum
import inspect
import re
from collections import defaultdict
from typing import get_args

import pytest
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from fupin.api.api import api
from fupin.api.openapi import ERROR_REF, ERROR_STATUSES, Error, areas, operation_name
from fupin.core import errors
from fupin.distribution.api import DistributionPlanIn

WRITES = {"post", "put", "patch", "delete"}
# A handler honours the key when it reads the header; the decorator's prose does not count.
READS_KEY = re.compile(r"""headers(?:\.get\(|\[)\s*["']Idempotency-Key["']|HTTP_IDEMPOTENCY_KEY""")


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations():
    """Yield (method, full path, operation) for every operation of every mounted router."""
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            full = "/api/v1/" + "/".join(p for p in (bound.prefix.strip("/"), path.strip("/")) if p)
            for operation in view.operations:
                for method in operation.methods:
                    yield method.lower(), re.sub(r"{[^}:]+:", "{", full.rstrip("/")), operation


def schema_classes() -> dict[str, set[type]]:
    """Return every class that can become a component (models, enums), by component name."""
    seen: set[type] = set()

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
        elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            seen.add(annotation)
        else:
            for argument in get_args(annotation):
                walk(argument)

    for _method, _path, operation in operations():
        # ninja wraps the parameters and the responses in classes of its own (BodyParams,
        # NinjaResponseSchema) that never become components: look inside them.
        for wrapper in operation.models:
            for field in wrapper.model_fields.values():
                walk(field.annotation)
        for wrapper in operation.response_models.values():
            if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                walk(wrapper.model_fields["response"].annotation)
    walk(Error)
    by_name = defaultdict(set)
    for cls in seen:
        by_name[cls.__name__].add(cls)
    return by_name


def own_schema(cls) -> dict:
    generated = cls.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
    )
    generated.pop("$defs", None)
    return generated


def test_no_two_schema_classes_share_a_component_name(schema):
    by_name = schema_classes()
    shared = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in by_name.items()
        if len(classes) > 1
    }
    assert not shared, f"ninja keeps only one of these classes in the schema: {shared}"
    # The walk sees every component, so a class it missed cannot hide a clash.
    assert set(schema["components"]["schemas"]) <= set(by_name)


def test_every_json_body_is_its_own_class_in_the_schema(schema):
    checked = 0
    for method, path, operation in operations():
        for wrapper in operation.models:
            if wrapper.__ninja_param_source__ != "body" or len(wrapper.model_fields) != 1:
                continue
            (field,) = wrapper.model_fields.values()
            cls = field.annotation
            body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
            assert body["schema"] == {"$ref": f"#/components/schemas/{cls.__name__}"}, path
            assert schema["components"]["schemas"][cls.__name__] == own_schema(cls), path
            checked += 1
    assert checked > 30


def test_the_distribution_plan_post_takes_the_distribution_plan(schema):
    body = schema["paths"]["/api/v1/distribution/plans"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/DistributionPlanIn"
    component = schema["components"]["schemas"]["DistributionPlanIn"]
    assert set(component["properties"]) == set(DistributionPlanIn.model_fields)
    project_plan = schema["paths"]["/api/v1/projects/{project_id}/plans"]["post"]["requestBody"]
    assert project_plan["content"]["application/json"]["schema"]["$ref"].endswith("/ProjectPlanIn")


def test_every_error_response_is_the_one_error_schema(schema):
    assert schema["components"]["schemas"]["Error"] == own_schema(Error)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            errors_declared = {int(s) for s in responses if int(s) >= 400}
            expected = {400, 404, 422, 500}
            if operation.get("security"):
                expected |= {401, 403}
            if method in WRITES:
                expected.add(409)
            assert expected <= errors_declared, (method, path, errors_declared)
            for status in errors_declared:
                content = responses[str(status)]["content"]["application/json"]
                assert content["schema"] == {"$ref": ERROR_REF}, (method, path, status)


def test_every_refusal_kind_has_its_status_described():
    kinds = errors.FupinError.__subclasses__()  # the base is never raised (0052)
    assert {kind.status for kind in kinds} <= set(ERROR_STATUSES)


def test_real_errors_have_the_declared_shape(client, world):
    token = {"Authorization": f"Bearer {world.town_a_token}"}
    answers = [
        client.get("/api/v1/households"),
        client.get("/api/v1/households/H-B-1", headers=token),
        client.get("/api/v1/households", {"page": "x"}, headers=token),
        client.post("/api/v1/declarations", {}, content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 422]
    for answer in answers:
        Error.model_validate(answer.json())


def test_idempotency_key_is_declared_exactly_where_a_handler_reads_it(schema):
    honoured = set()
    for method, path, operation in operations():
        headers = [
            p
            for p in schema["paths"][path][method]["parameters"]
            if p["in"] == "header" and p["name"] == "Idempotency-Key"
        ]
        reads = bool(READS_KEY.search(inspect.getsource(operation.view_func)))
        assert len(headers) == int(reads), (method, path)
        if reads:
            assert headers[0]["schema"]["type"] == "string"
            honoured.add((method, path, headers[0]["required"]))
    assert ("post", "/api/v1/declarations", True) in honoured
    assert ("post", "/api/v1/cases/{case_id}/objections", False) in honoured
    assert len(honoured) == 6


def test_a_required_idempotency_key_is_refused_when_missing_and_an_optional_one_is_not(
    client, world
):
    body = {
        "name": "赵三",
        "id_number": "360426199101010071",
        "phone": "13800000000",
        "village_code": world.regions.village_a.code,
        "household_size": 2,
        "risk_types": ["illness"],
    }
    response = client.post("/api/v1/declarations", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_required"

    response = client.post(
        f"/api/v1/cases/{world.away_case.pk}/objections",
        {"text": "情况不实"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_operation_ids_are_readable_and_unique(schema):
    ids = {
        (method, path): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert len(set(ids.values())) == len(ids)
    for (method, path), operation_id in ids.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", operation_id), (method, path, operation_id)
        first = path.removeprefix("/api/v1/").split("/")[0].replace("-", "_")
        assert operation_id.startswith((first, first.rstrip("s"))), (path, operation_id)
    assert ids["get", "/api/v1/households"] == "households_list"
    assert ids["get", "/api/v1/households/{household_no}"] == "household_get"
    assert ids["post", "/api/v1/cases/{case_id}/advance"] == "case_advance"
    assert ids["post", "/api/v1/distribution/plans"] == "distribution_plan_create"
    assert ids["post", "/api/v1/projects/{project_id}/progress"] == "project_progress_create"


@pytest.mark.parametrize(
    "method, path, many, expected",
    [
        ("GET", "/cases", True, "cases_list"),
        ("GET", "/pairing/coverage", False, "pairing_coverage_get"),
        ("GET", "/councils/{council_id}", False, "council_get"),
        ("POST", "/councils/{council_id}/members", False, "council_member_create"),
        ("POST", "/councils/{council_id}/members/{member_id}/end", False, "council_member_end"),
        ("POST", "/projects/{project_id}/beneficiaries", False, "project_beneficiary_create"),
        ("POST", "/households/{household_no}/exit-cases", False, "household_exit_case_create"),
        ("PUT", "/households/{household_no}/plan", False, "household_plan_set"),
        ("PATCH", "/funds/loans/{loan_id}", False, "fund_loan_update"),
    ],
)
def test_operation_names_follow_the_path(method, path, many, expected):
    assert operation_name(method, path, many) == expected


def test_the_description_lists_every_area_and_the_conventions(schema):
    info = schema["info"]
    assert info["title"] and info["version"]
    text = info["description"]
    tags = {bound.tags[0] for bound in api._get_bound_routers() if bound.path_operations}
    assert tags, "no router is mounted"
    for tag in tags:
        assert f"`{tag}`" in text, tag
        assert areas().get(tag), f"say what the {tag} area covers: `area` of its spine.Router"
    assert {t["name"] for t in schema["tags"]} == tags
    for needed in ("Authorization: Bearer", "Idempotency-Key", '"error"', "`page`", "429"):
        assert needed in text, needed
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if any(p["name"] == "Idempotency-Key" for p in operation["parameters"]):
                assert f"`{method.upper()} {path}`" in text
    assert text.startswith("扶贫")
