"""API of projects: lists and filters, proposal, moves with coded refusals, records, counts."""

import datetime as dt

from fupin.projects.tests.factories import operator_qualified, project_in
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory


def _post(client, people, user, path, body):
    return client.post(path, body, content_type="application/json", headers=people.headers(user))


def test_list_filters_by_state_year_and_region_within_scope(client, people):
    r = people.regions
    project_in(r.village_a, "operating", year=2023)
    project_in(r.village_a, "proposed", year=2024)
    project_in(r.village_b, "operating", year=2023)
    url = "/api/v1/projects"
    town = client.get(url, headers=people.headers(people.town)).json()
    assert town["count"] == 2
    county = client.get(url, {"status": "operating"}, headers=people.headers(people.county)).json()
    assert county["count"] == 2
    assert (
        client.get(url, {"year": 2024}, headers=people.headers(people.county)).json()["count"] == 1
    )
    by_region = client.get(url, {"region": r.town_b.code}, headers=people.headers(people.county))
    assert [p["region_code"] for p in by_region.json()["results"]] == [r.village_b.code]
    hidden = client.get(url, {"region": r.town_b.code}, headers=people.headers(people.town))
    assert hidden.status_code == 404


def test_propose_then_screen_by_api_with_allowed_moves_per_role(client, people):
    r = people.regions
    created = _post(
        client,
        people,
        people.village,
        "/api/v1/projects",
        {"region_code": r.village_a.code, "name": "养殖场", "category": "industry", "year": 2024},
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["status"] == "proposed"
    assert project["allowed_moves"] == []  # the village officer does not screen
    detail = client.get(f"/api/v1/projects/{project['id']}", headers=people.headers(people.town))
    assert detail.json()["allowed_moves"] == ["screened", "rejected"]
    url = f"/api/v1/projects/{project['id']}/move"
    wrong = _post(client, people, people.county, url, {"to": "screened", "data": {"opinion": "可"}})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    invalid = _post(client, people, people.town, url, {"to": "approved"})
    assert invalid.status_code == 409
    assert invalid.json()["error"]["code"] == "invalid_transition"
    missing = _post(client, people, people.town, url, {"to": "screened"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["fields"] == {"opinion": "必填"}
    done = _post(client, people, people.town, url, {"to": "screened", "data": {"opinion": "可"}})
    assert done.status_code == 200
    assert done.json()["status"] == "screened"
    records = client.get(
        f"/api/v1/projects/{project['id']}/records", headers=people.headers(people.auditor)
    ).json()
    assert [(m["from_status"], m["to_status"]) for m in records["moves"]] == [
        ("", "proposed"),
        ("proposed", "screened"),
    ]
    assert records["moves"][1]["record"] == {"opinion": "可"}
    assert records["moves"][1]["actor"] == "town_a"


def test_an_auditor_reads_but_cannot_propose(client, people):
    response = _post(
        client,
        people,
        people.auditor,
        "/api/v1/projects",
        {
            "region_code": people.regions.village_a.code,
            "name": "x",
            "category": "industry",
            "year": 2024,
        },
    )
    assert response.status_code == 403


def test_operator_with_a_bad_licence_number_is_refused(client, people):
    response = _post(
        client,
        people,
        people.town,
        "/api/v1/projects/operators",
        {
            "name": "合作社",
            "kind": "cooperative",
            "licence_no": "913704810000000001",
            "region_code": people.regions.town_a.code,
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["codes"] == {"licence_no": "invalid_licence_no"}


def test_contract_then_operating_by_api(client, people):
    r = people.regions
    project = project_in(r.village_a, "accepted")
    operator = operator_qualified(r.town_a)
    url = f"/api/v1/projects/{project.pk}"
    refused = _post(client, people, people.town, f"{url}/move", {"to": "operating"})
    assert refused.json()["error"]["code"] == "contract_required"
    contract = _post(
        client,
        people,
        people.town,
        f"{url}/contracts",
        {
            "operator_id": operator.pk,
            "kind": "shares",
            "start_date": "2024-01-01",
            "annual_amount": "8000.00",
        },
    )
    assert contract.status_code == 201, contract.content
    assert _post(client, people, people.town, f"{url}/move", {"to": "operating"}).status_code == 200


def test_beneficiaries_and_household_and_person_times(client, people):
    r = people.regions
    one = project_in(r.village_a, "operating")
    two = project_in(r.village_a, "operating")
    home = HouseholdFactory(village=r.village_a, household_no="A1")
    PersonFactory(household=home)
    HouseholdFactory(village=r.village_a, household_no="A2")
    for project, rows in ((one, [("A1", None), ("A2", 4)]), (two, [("A1", 2)])):
        response = _post(
            client,
            people,
            people.village,
            f"/api/v1/projects/{project.pk}/beneficiaries",
            {"year": 2024, "households": [{"household_no": n, "persons": p} for n, p in rows]},
        )
        assert response.status_code == 200, response.content
    listed = client.get(
        f"/api/v1/projects/{one.pk}/beneficiaries",
        {"year": 2024},
        headers=people.headers(people.town),
    ).json()
    assert [(b["household_no"], b["persons"]) for b in listed] == [("A1", 1), ("A2", 4)]
    counts = client.get(
        "/api/v1/projects/beneficiary-counts",
        {"year": 2024, "region": r.county.code},
        headers=people.headers(people.county),
    ).json()
    assert (counts["projects"], counts["households"], counts["persons"]) == (2, 3, 7)
    town_a = next(c for c in counts["children"] if c["region"] == r.town_a.code)
    town_b = next(c for c in counts["children"] if c["region"] == r.town_b.code)
    assert (town_a["households"], town_a["persons"]) == (3, 7)
    assert (town_b["households"], town_b["persons"]) == (0, 0)


def test_review_by_api_and_overdue_plans(client, people):
    r = people.regions
    project = project_in(r.village_a, "weak")
    from fupin.projects.models import RectificationPlan

    RectificationPlan.objects.create(
        project=project,
        kind="rectification",
        measures=["capital_injection"],
        deadline=dt.date(2020, 1, 1),
        responsible_name="王主任",
    )
    overdue = client.get("/api/v1/projects/plans/overdue", headers=people.headers(people.town))
    assert [p["project_code"] for p in overdue.json()] == [project.code]
    assert overdue.json()[0]["overdue"] is True
    refused = _post(
        client,
        people,
        people.town,
        "/api/v1/projects/reviews",
        {"region": r.town_a.code, "year": 2024},
    )
    assert refused.status_code == 403
    run = _post(
        client,
        people,
        people.county,
        "/api/v1/projects/reviews",
        {"region": r.county.code, "year": 2024},
    )
    assert run.status_code == 201, run.content
    body = run.json()
    assert body["reviewed"] == 1
    assert body["results"][0]["verdict"] == "idle"
    again = client.get(
        f"/api/v1/projects/reviews/{body['id']}", headers=people.headers(people.town)
    )
    assert again.status_code == 404  # a county review is outside the town's scope
