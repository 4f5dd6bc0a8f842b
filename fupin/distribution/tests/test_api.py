"""API of the distribution: a plan's life through /api/v1/distribution, errors as codes."""

import pytest

from fupin.accounts.services import token_create
from fupin.distribution.tests.conftest import YEAR

pytestmark = pytest.mark.django_db
API = "/api/v1/distribution"


def bearer(user):
    return {"Authorization": f"Bearer {token_create(user=user)[1]}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", headers=bearer(user))


def test_a_plan_through_the_api(client, village):
    officer, town = village.village_officer, village.town_officer
    created = post(
        client,
        f"{API}/plans",
        {"village_code": village.code, "year": YEAR, "amount": 10000},  # a JSON number
        officer,
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert [(line["household_no"], line["amount"]) for line in plan["lines"]] == [
        ("HA1", "3956.75"),
        ("HA2", "1478.38"),
        ("HA3", "1564.87"),
    ]
    url = f"{API}/plans/{plan['id']}"
    missing = post(client, f"{url}/resolve", {}, officer)
    assert (missing.status_code, missing.json()["error"]["code"]) == (422, "resolution_required")
    assert (
        post(client, f"{url}/resolve", {"resolution_id": village.resolution.pk}, officer).json()[
            "status"
        ]
        == "resolved"
    )
    noticed = post(client, f"{url}/notice", {"started_on": "2021-03-02"}, officer).json()
    assert noticed["notice_ends_on"] == "2021-03-08"
    refused = post(client, f"{url}/effect", {"on": "2021-03-09"}, officer)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert post(client, f"{url}/effect", {"on": "2021-03-09"}, town).json()["status"] == "effective"
    paid = post(
        client,
        f"{url}/payments",
        {"paid_on": "2021-03-10", "voucher_no": "付-1", "household_nos": ["HA1"]},
        town,
    ).json()
    assert (paid["lines_paid"], paid["plan"]["status"]) == (1, "effective")
    paid = post(client, f"{url}/payments", {"paid_on": "2021-03-11", "voucher_no": "付-2"}, town)
    assert paid.json()["plan"]["status"] == "paid"

    fund = client.get(f"{API}/funds/{village.code}", headers=bearer(officer)).json()
    assert fund["balance"] == "1000.00"
    assert [(e["kind"], e["amount"], e["plan_id"]) for e in fund["entries"]] == [
        ("in", "1000.00", plan["id"])
    ]
    spent = post(
        client,
        f"{API}/funds/{village.code}/entries",
        {
            "date": "2021-04-01",
            "kind": "out",
            "amount": "1000.01",
            "reason": "修缮",
            "voucher_no": "付-3",
        },
        town,
    )
    assert (spent.status_code, spent.json()["error"]["code"]) == (409, "fund_overdrawn")
    totals = client.get(
        f"{API}/totals",
        {"region": village.regions.county.code, "start": "2021-01-01", "end": "2021-12-31"},
        headers=bearer(village.county_officer),
    ).json()
    assert totals == {
        "region": village.regions.county.code,
        "start": "2021-01-01",
        "end": "2021-12-31",
        "households": "7000.00",
        "welfare": "2000.00",
        "village_fund": "1000.00",
        "village_fund_balance": "1000.00",
    }
    received = client.get(f"{API}/households/HA2", headers=bearer(officer)).json()
    assert received == [
        {
            "year": YEAR,
            "plan_id": plan["id"],
            "amount": "1478.38",
            "paid": True,
            "paid_on": "2021-03-11",
            "voucher_no": "付-2",
        }
    ]
    cadre = client.get(f"{API}/households/HA2", headers=bearer(village.cadre))
    assert cadre.status_code == 404
    listed = client.get(f"{API}/plans", {"year": YEAR}, headers=bearer(town)).json()
    assert [p["id"] for p in listed] == [plan["id"]]


def test_bad_input_is_a_coded_error(client, village):
    response = post(
        client,
        f"{API}/plans",
        {"village_code": village.code, "year": YEAR, "amount": "abc"},
        village.village_officer,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "number_invalid"
    response = post(
        client,
        f"{API}/plans",
        {"village_code": village.code, "year": YEAR, "amount": "1"},
        village.cadre,
    )
    assert response.json()["error"]["code"] == "forbidden"
