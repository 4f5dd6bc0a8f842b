"""The API of assistance plans: shapes, status codes and the one error shape."""

import datetime as dt
import json

import pytest

from fupin.accounts.services import token_create
from fupin.api.api import api
from fupin.assistance.models import AssistancePlan, Measure
from fupin.assistance.tests.factories import MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/households/{}/plan"
MEASURES = "/api/v1/households/{}/plan/measures"


@pytest.fixture
def call(client):
    """Return a function that calls the API as a user, with a JSON body when one is given."""

    def call(user, method: str, url: str, body=None):
        headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"} if user else {}
        if body is None:
            return client.generic(method, url, headers=headers)
        return client.generic(
            method, url, json.dumps(body), content_type="application/json", headers=headers
        )

    return call


def test_a_household_without_a_plan_answers_an_empty_plan(village, call):
    response = call(village.officer, "GET", PLAN.format("H-A-1"))

    assert response.status_code == 200
    assert response.json() == {
        "household_no": "H-A-1",
        "exists": False,
        "due_date": None,
        "overdue": False,
        "responsible_name": "",
        "responsible_user": None,
        "note": "",
        "created_at": None,
        "updated_at": None,
        "measures": [],
    }


def test_the_plan_with_its_measures(village, call, today):
    plan = PlanFactory(
        household=village.home,
        due_date=today - dt.timedelta(days=1),
        responsible_name="钱五",
        responsible_user=village.cadre,
    )
    MeasureFactory(plan=plan, status="cancelled", amount="1200.5", start_date=today)

    body = call(village.town_a, "GET", PLAN.format("H-A-1")).json()

    assert body["exists"] is True
    assert body["due_date"] == (today - dt.timedelta(days=1)).isoformat()
    assert body["overdue"] is True
    assert body["responsible_user"] == "cadre_a"
    (measure,) = body["measures"]
    assert measure["category"] == "industry"
    assert measure["status"] == "cancelled" and measure["allowed_moves"] == []
    assert measure["amount"] == "1200.50"
    assert measure["start_date"] == today.isoformat() and measure["end_date"] is None
    assert set(measure) == {
        "id",
        "category",
        "description",
        "trade",
        "amount",
        "start_date",
        "end_date",
        "responsible_name",
        "status",
        "allowed_moves",
        "created_at",
        "updated_at",
    }


def test_put_creates_then_replaces_the_plan(village, call):
    created = call(
        village.officer,
        "PUT",
        PLAN.format("H-A-1"),
        {"responsible_name": "钱五", "responsible_user": "cadre_a", "note": "先种植"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["exists"] is True and created.json()["responsible_user"] == "cadre_a"

    replaced = call(village.officer, "PUT", PLAN.format("H-A-1"), {"responsible_name": "孙六"})
    assert replaced.status_code == 200
    assert replaced.json()["responsible_name"] == "孙六"
    assert replaced.json()["responsible_user"] is None
    assert replaced.json()["note"] == ""
    assert AssistancePlan.objects.count() == 1


def test_put_refuses_an_ordinary_household_and_an_unknown_account(village, call):
    response = call(village.officer, "PUT", PLAN.format("H-A-9"), {"note": "x"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "plan_not_needed"

    response = call(village.officer, "PUT", PLAN.format("H-A-1"), {"responsible_user": "nobody"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["codes"] == {"responsible_user": "unknown_user"}


def test_patch_changes_only_what_is_given_and_needs_a_plan(village, call):
    response = call(village.officer, "PATCH", PLAN.format("H-A-1"), {"note": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"

    PlanFactory(household=village.home, responsible_name="钱五", note="旧")
    response = call(village.officer, "PATCH", PLAN.format("H-A-1"), {"note": "新"})
    assert response.status_code == 200
    assert response.json()["responsible_name"] == "钱五" and response.json()["note"] == "新"


def test_post_a_measure(village, call):
    PlanFactory(household=village.home)

    response = call(
        village.cadre,
        "POST",
        MEASURES.format("H-A-1"),
        {"category": "skills_training", "trade": "电工", "amount": "800", "description": "县职校"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "planned" and body["allowed_moves"] == ["in_progress", "cancelled"]
    assert body["amount"] == "800.00" and body["trade"] == "电工"
    assert Measure.objects.get().plan.household == village.home


def test_post_a_measure_without_a_plan_is_a_conflict(village, call):
    response = call(village.officer, "POST", MEASURES.format("H-A-1"), {"category": "industry"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "plan_missing"


def test_bad_measures_get_field_errors_in_the_one_shape(village, call):
    PlanFactory(household=village.home)

    response = call(
        village.officer,
        "POST",
        MEASURES.format("H-A-1"),
        {
            "category": "skills_training",
            "amount": "-5",
            "start_date": "2025-03-02",
            "end_date": "2025-03-01",
        },
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["details"]["codes"] == {
        "trade": "trade_required",
        "amount": "negative_amount",
        "end_date": "end_before_start",
    }
    assert set(error["details"]["fields"]) == {"trade", "amount", "end_date"}
    assert not Measure.objects.exists()


def test_patch_and_move_a_measure(village, call):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    url = f"{MEASURES.format('H-A-1')}/{measure.pk}"

    response = call(village.officer, "PATCH", url, {"amount": "300.00", "responsible_name": "钱五"})
    assert response.status_code == 200
    assert response.json()["amount"] == "300.00"
    assert response.json()["description"] == "发展肉牛养殖"

    response = call(village.officer, "POST", f"{url}/move", {"status": "in_progress"})
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert response.json()["allowed_moves"] == ["done", "cancelled"]

    response = call(village.officer, "POST", f"{url}/move", {"status": "planned"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["details"]["allowed"] == ["cancelled", "done"]

    response = call(village.officer, "GET", url)
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_the_auditor_reads_but_may_not_write(village, call):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    url = f"{MEASURES.format('H-A-1')}/{measure.pk}"

    assert call(village.auditor, "GET", PLAN.format("H-A-1")).status_code == 200
    for method, path, body in (
        ("PUT", PLAN.format("H-A-1"), {"note": "x"}),
        ("POST", MEASURES.format("H-A-1"), {"category": "health"}),
        ("PATCH", url, {"description": "x"}),
        ("POST", f"{url}/move", {"status": "in_progress"}),
    ):
        response = call(village.auditor, method, path, body)
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "forbidden"
    measure.refresh_from_db()
    assert measure.status == "planned" and measure.description == "发展肉牛养殖"


def test_anonymous_gets_401_and_out_of_scope_gets_404(village, call):
    measure = MeasureFactory(plan=PlanFactory(household=village.away))
    url = f"{MEASURES.format('H-B-1')}/{measure.pk}"

    assert call(None, "GET", PLAN.format("H-B-1")).status_code == 401
    for method, path, body in (
        ("GET", PLAN.format("H-B-1"), None),
        ("PUT", PLAN.format("H-B-1"), {"note": "x"}),
        ("POST", MEASURES.format("H-B-1"), {"category": "health"}),
        ("GET", url, None),
        ("PATCH", url, {"description": "x"}),
        ("POST", f"{url}/move", {"status": "in_progress"}),
    ):
        response = call(village.town_a, method, path, body)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "not_found"
        assert "赵三" not in response.content.decode()
    # A measure id of town B under a household of town A is not found either.
    PlanFactory(household=village.home)
    response = call(village.town_a, "GET", f"{MEASURES.format('H-A-1')}/{measure.pk}")
    assert response.status_code == 404


def test_overdue_plans_of_the_users_scope(village, call, today):
    PlanFactory(household=village.home, due_date=today - dt.timedelta(days=2))
    PlanFactory(household=village.away, due_date=today - dt.timedelta(days=5))

    body = call(village.town_a, "GET", "/api/v1/plans/overdue").json()

    assert body["count"] == 1
    assert body["results"] == [
        {
            "household_no": "H-A-1",
            "village_code": village.regions.village_a.code,
            "village_name": "洪村",
            "due_date": (today - dt.timedelta(days=2)).isoformat(),
            "responsible_name": "",
        }
    ]


def test_every_plan_endpoint_has_a_summary():
    paths = api.get_openapi_schema()["paths"]
    # The assistance plan's endpoints (other apps have plans of their own).
    plan_paths = [
        p for p in paths if p.startswith(("/api/v1/households/", "/api/v1/plans")) and "/plan" in p
    ]
    assert len(plan_paths) == 5
    for path in plan_paths:
        for operation in paths[path].values():
            assert operation.get("summary"), path
