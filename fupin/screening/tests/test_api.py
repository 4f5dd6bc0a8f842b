"""The screening API: a department's system sends feeds, a county officer runs and reads a screening."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.registry.tests.factories import id_number
from fupin.screening import services

Y = 2024


@pytest.fixture
def tokens(regions):
    users = {
        "department": UserFactory(username="dept", role="department", region=regions.county),
        "county": UserFactory(username="county", role="county_officer", region=regions.county),
        "town": UserFactory(username="town", role="town_officer", region=regions.town_a),
    }
    return {
        name: {"Authorization": f"Bearer {token_create(user=u)[1]}"} for name, u in users.items()
    }


def test_a_department_sends_feeds_and_the_county_runs_and_reads_the_screening(
    client, regions, tokens, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "run_launch", lambda run_id: services.run_execute(run_id=run_id))
    village = regions.village_a.code
    feeds = {
        "population": f"household_no,id_number,name,relation,village_code\nA,{id_number(3)},甲,head,{village}\n",
        "income": f"household_no,year,wage\nA,{Y},10\n",
    }
    for feed, text in feeds.items():
        response = client.post(
            "/api/v1/screening/feeds",
            {
                "region": regions.county.code,
                "feed": feed,
                "file": SimpleUploadedFile(f"{feed}.csv", text.encode()),
            },
            headers=tokens["department"],
        )
        assert response.status_code == 201, response.content
        assert response.json()["feed"] == feed
    assert len(client.get("/api/v1/screening/feeds", headers=tokens["department"]).json()) == 2
    assert client.get("/api/v1/screening/runs", headers=tokens["department"]).json() == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/screening/runs",
            {"region": regions.county.code, "year": Y},
            content_type="application/json",
            headers=tokens["county"],
        )
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    run = client.get(f"/api/v1/screening/runs/{run_id}", headers=tokens["county"]).json()
    assert run["status"] == "done"
    assert run["summary"]["households_flagged"] == 1
    flags = client.get(
        f"/api/v1/screening/runs/{run_id}/flags", {"rule": "low_income"}, headers=tokens["county"]
    ).json()
    assert flags["count"] == 1
    assert flags["results"][0]["rules"] == ["low_income"]
    assert flags["results"][0]["per_capita_income"] == "10.00"
    assert client.get(f"/api/v1/screening/runs/{run_id}", headers=tokens["town"]).status_code == 404


def test_a_feed_with_wrong_columns_is_refused_with_the_code(client, regions, tokens):
    response = client.post(
        "/api/v1/screening/feeds",
        {
            "region": regions.county.code,
            "feed": "medical",
            "file": SimpleUploadedFile("m.csv", b"a,b\n1,2\n"),
        },
        headers=tokens["department"],
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "feed_columns"
    assert response.json()["error"]["details"]["missing"] == [
        "id_number",
        "settle_date",
        "total_cost",
        "self_pay",
    ]
