"""The whole life of a household through the API: declare → … → county → plan → exit."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.assistance.services import measure_add
from fupin.monitoring.models import Case, CaseStep, Declaration
from fupin.monitoring.services import case_open
from fupin.monitoring.tests.factories import DECLARANT_ID, advance, post, walk_to_county
from fupin.registry.models import Household, HouseholdIncome


@pytest.mark.django_db
def test_the_life_of_a_household(client, regions, officers):
    # A resident declares from the phone, twice with the same key (a retry): one declaration.
    body = {
        "name": "周大山",
        "id_number": DECLARANT_ID,
        "phone": "13700000001",
        "village_code": regions.village_a.code,
        "household_size": 3,
        "risk_types": ["illness"],
        "description": "妻子住院，花费很大",
    }
    first = post(client, "/api/v1/declarations", body, {"Idempotency-Key": "phone-1"})
    assert first.status_code == 201, first.json()
    again = post(client, "/api/v1/declarations", body, {"Idempotency-Key": "phone-1"})
    assert again.status_code in (200, 201) and again.json() == first.json()
    assert Declaration.objects.count() == 1
    case_id, code = first.json()["case_id"], first.json()["tracking_code"]
    assert first.json()["stage"] == "verify" and first.json()["status"] == "open"

    # It waits in the village officer's queue.
    queue = client.get(
        "/api/v1/cases",
        {"stage": "verify", "region": regions.village_a.code},
        headers=officers.headers(officers.village),
    ).json()
    assert [c["id"] for c in queue["results"]] == [case_id]
    assert queue["results"][0]["household_no"] is None

    # A cadre finds the same person on a round: the finding joins the open case.
    case, opened = case_open(
        kind="identification",
        route="cadre",
        village=regions.village_a,
        actor=officers.cadre,
        declarant_name="周大山",
        declarant_id_number=DECLARANT_ID,
        description="走访发现",
    )
    assert (opened, case.pk) == (False, case_id)
    response = client.get(f"/api/v1/cases/{case_id}", headers=officers.headers(officers.county))
    assert response.json()["routes"] == ["cadre", "declaration"]

    walk_to_county(client, officers, case_id)
    response = advance(
        client,
        officers,
        officers.county,
        case_id,
        "county_decide",
        data={"monitoring_type": "edge", "risk_types": ["illness", "accident"]},
    )
    assert response.status_code == 200, response.json()
    decided = response.json()
    assert (decided["status"], decided["stage"]) == ("approved", "closed")
    assert decided["days_to_decision"] == 0
    today = timezone.localdate()
    assert decided["plan_due_date"] == (today + dt.timedelta(days=7)).isoformat()

    # The household is in the registry with the declarant as head, monitored with open risk.
    household = Household.objects.get(household_no=decided["household_no"])
    assert household.village_id == regions.village_a.code
    assert household.support_category == "monitored"
    assert (household.monitoring_type, household.risk_types, household.risk_state) == (
        "edge",
        ["accident", "illness"],
        "open",
    )
    head = household.members.get()
    assert (head.name, head.id_number, head.relation) == ("周大山", DECLARANT_ID, "head")
    assert household.assistance_plan.due_date == today + dt.timedelta(days=7)

    # The resident sees the result with the tracking code.
    tracked = client.get(f"/api/v1/declarations/{code}").json()
    assert (tracked["status"], tracked["stage"]) == ("included", "closed")

    # Every move is in the case history with actor, decision and note.
    steps = list(CaseStep.objects.filter(case_id=case_id).values_list("decision", "to_stage"))
    assert steps == [
        ("open", "verify"),
        ("join", "verify"),
        ("pass", "compare"),
        ("pass", "appraise"),
        ("pass", "notice"),
        ("pass", "town_review"),
        ("pass", "county_decide"),
        ("pass", "closed"),
    ]

    # Exit: opened by the village, refused by the county while conditions are unmet …
    response = post(
        client,
        f"/api/v1/households/{household.household_no}/exit-cases",
        {"reason": "risk_eliminated", "note": "病已治愈"},
        officers.headers(officers.village),
    )
    assert response.status_code == 201, response.json()
    exit_id = response.json()["id"]
    assert response.json()["kind"] == "exit" and response.json()["stage"] == "verify"
    walk_to_county(client, officers, exit_id)
    response = advance(
        client,
        officers,
        officers.county,
        exit_id,
        "county_decide",
        data={"exit_reason": "risk_eliminated"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "exit_condition_unmet"
    assert set(error["details"]["conditions"]) == {
        "monitored_too_short",
        "income_not_stable",
        "no_assistance_measure",
        "no_labor_ability",
    }
    assert Case.objects.get(pk=exit_id).stage == "county_decide"  # nothing half-written

    # … and granted once the household meets them.
    Household.objects.filter(pk=household.pk).update(monitored_on=today - dt.timedelta(days=200))
    head.labor_ability = "ordinary"
    head.save()
    HouseholdIncome.objects.create(household=household, year=today.year - 1, size=1, wage=9000)
    measure_add(
        plan=household.assistance_plan,
        actor=officers.village,
        category="employment",
        description="介绍到县城务工",
        start_date=today,
    )
    response = advance(
        client,
        officers,
        officers.county,
        exit_id,
        "county_decide",
        data={"exit_reason": "risk_eliminated"},
    )
    assert response.status_code == 200, response.json()
    household.refresh_from_db()
    assert (household.risk_state, household.risk_eliminated_on) == ("eliminated", today)
    assert household.support_category == "ordinary"


@pytest.mark.django_db
def test_attachments_through_the_api(client, regions, officers, settings, tmp_path):
    from fupin.monitoring.tests.factories import commitment_scan

    settings.MEDIA_ROOT = tmp_path
    body = {
        "name": "周大山",
        "id_number": DECLARANT_ID,
        "phone": "13700000001",
        "village_code": regions.village_a.code,
        "household_size": 3,
        "risk_types": ["illness"],
    }
    case_id = post(client, "/api/v1/declarations", body, {"Idempotency-Key": "k"}).json()["case_id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/attachments",
        {"kind": "commitment", "file": commitment_scan()},
        headers=officers.headers(officers.village),
    )
    assert response.status_code == 201, response.json()
    attachment_id = response.json()["id"]
    detail = client.get(
        f"/api/v1/cases/{case_id}", headers=officers.headers(officers.village)
    ).json()
    assert [a["id"] for a in detail["attachments"]] == [attachment_id]
    download = client.get(
        f"/api/v1/cases/{case_id}/attachments/{attachment_id}",
        headers=officers.headers(officers.county),
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_api_checks_the_version_of_the_case(client, regions, officers):
    # Issue 10, defect 24: a client that read version N cannot move the case after a later move.
    case, _ = case_open(
        kind="identification",
        route="cadre",
        village=regions.village_a,
        declarant_name="周大山",
        declarant_id_number=DECLARANT_ID,
        risk_types=["illness"],
    )
    url = f"/api/v1/cases/{case.pk}"
    read = client.get(url, headers=officers.headers(officers.village)).json()
    assert read["version"] == 0
    verify = {"verifiers": ["甲", "乙"], "findings": "属实", "commitment_signed": True}
    moved = post(
        client,
        f"{url}/advance",
        {"version": read["version"], "decision": "pass", "data": verify},
        officers.headers(officers.village),
    )
    assert moved.status_code == 200 and moved.json()["version"] == 1
    back = post(
        client,
        f"{url}/advance",
        {"version": 1, "decision": "return", "note": "补充核查"},
        officers.headers(officers.village),
    )
    assert back.json()["stage"] == "verify"
    again = post(
        client,
        f"{url}/advance",
        {"version": read["version"], "decision": "pass", "data": verify},
        officers.headers(officers.village),
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "stale_stage"
    # The old field still works for clients that send the stage they saw.
    by_stage = post(
        client,
        f"{url}/advance",
        {"stage": "verify", "decision": "pass", "data": verify},
        officers.headers(officers.village),
    )
    assert by_stage.status_code == 200 and by_stage.json()["stage"] == "compare"
