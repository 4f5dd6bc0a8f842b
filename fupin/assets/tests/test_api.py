import datetime as dt
from decimal import Decimal

from fupin.accounts.services import token_create
from fupin.funds.services import allocation_add, disbursement_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory

D = Decimal


def bearer(user):
    return {"Authorization": f"Bearer {token_create(user=user)[1]}"}


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", headers=bearer(user))


def test_an_asset_its_income_and_the_ledger_through_the_api(client, regions, users):
    project = ProjectFactory(region=regions.village_a, status="approved")
    source = FundSourceFactory(region=regions.county, amount=D("90000.00"))
    allocation = allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount="80000.00",
        allocated_on=dt.date(2019, 2, 1),
        actor=users.county,
    )
    disbursement_add(
        allocation_id=allocation.pk,
        amount="80000.00",
        voucher_no="v1",
        paid_on=dt.date(2019, 3, 1),
        actor=users.town,
    )
    project.status = "operating"
    project.save()
    body = {
        "name": "光伏电站",
        "category": "operating",
        "owner_kind": "village",
        "village_code": regions.village_a.code,
        "project_id": project.pk,
        "value": "85000.00",
        "formed_on": "2019-06-30",
        "fundings": [{"source_id": source.pk, "amount": "80000.01"}],
    }
    refused = post(client, "/api/v1/assets", body, users.town)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "funding_exceeds_disbursed"
    body["fundings"][0]["amount"] = "80000.00"
    created = post(client, "/api/v1/assets", body, users.town)
    assert created.status_code == 201, created.json()
    asset = created.json()
    assert (asset["funded"], asset["own_part"]) == ("80000.00", "5000.00")
    income = post(
        client,
        f"/api/v1/assets/{asset['id']}/income",
        {
            "kind": "sales",
            "period_start": "2019-07-01",
            "period_end": "2019-12-31",
            "amount": "4321.09",
            "received_on": "2020-01-10",
            "voucher_no": "电费-1",
        },
        users.town,
    )
    assert income.status_code == 201, income.json()
    village = bearer(users.village)
    listed = client.get("/api/v1/assets/income", {"start": "2020-01-01"}, headers=village).json()
    assert (listed["count"], listed["total"]) == (1, "4321.09")
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=village).json()
    assert detail["income"] == "4321.09" and detail["fundings"][0]["amount"] == "80000.00"
    ledger = client.get(
        "/api/v1/assets/ledger",
        {"region": regions.county.code, "start": "2019-01-01", "end": "2020-12-31"},
        headers=bearer(users.auditor),
    ).json()
    assert (ledger["funds_in"], ledger["funds_out"], ledger["funds_balance"]) == (
        "80000.00",
        "80000.00",
        "0.00",
    )
    assert (ledger["assets_formed"], ledger["assets_own"], ledger["work_in_progress"]) == (
        "85000.00",
        "5000.00",
        "0.00",
    )
    assert ledger["income_undistributed"] == "4321.09"
    assert [c["region"] for c in ledger["children"]] == [regions.town_a.code, regions.town_b.code]
