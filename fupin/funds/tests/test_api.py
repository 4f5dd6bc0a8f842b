import datetime as dt
from decimal import Decimal

from fupin.accounts.services import token_create
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.registry.tests.factories import HouseholdFactory

D = Decimal


def bearer(user):
    return {"Authorization": f"Bearer {token_create(user=user)[1]}"}


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", headers=bearer(user))


def test_a_source_allocated_and_paid_through_the_api(client, regions, users):
    created = post(
        client,
        "/api/v1/funds/sources",
        {
            "kind": "special",
            "level": "provincial",
            "year": 2018,
            "region": regions.county.code,
            "amount": "1000.00",
            "document_no": "鲁财农〔2018〕5号",
        },
        users.county,
    )
    assert created.status_code == 201, created.json()
    source_id = created.json()["id"]
    project = ProjectFactory(region=regions.village_a)
    allocated = post(
        client,
        f"/api/v1/funds/sources/{source_id}/allocations",
        {"project_id": project.pk, "amount": "800.00", "allocated_on": "2018-03-01"},
        users.county,
    )
    assert allocated.status_code == 201, allocated.json()
    refused = post(
        client,
        f"/api/v1/funds/sources/{source_id}/allocations",
        {"project_id": project.pk, "amount": "200.01", "allocated_on": "2018-03-02"},
        users.county,
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "fund_overspent"
    allocation_id = allocated.json()["id"]
    paid = post(
        client,
        f"/api/v1/funds/allocations/{allocation_id}/disbursements",
        {"amount": "300.00", "voucher_no": "记-7", "paid_on": "2018-04-01"},
        users.town,
    )
    assert paid.status_code == 201, paid.json()
    no_voucher = post(
        client,
        f"/api/v1/funds/allocations/{allocation_id}/disbursements",
        {"amount": "1.00", "voucher_no": "", "paid_on": "2018-04-01"},
        users.town,
    )
    assert no_voucher.status_code == 422
    assert no_voucher.json()["error"]["details"]["codes"] == {"voucher_no": "required"}
    detail = client.get(f"/api/v1/funds/sources/{source_id}", headers=bearer(users.county)).json()
    assert (detail["amount"], detail["allocated"], detail["disbursed"], detail["balance"]) == (
        "1000.00",
        "800.00",
        "300.00",
        "700.00",
    )
    balances = client.get(
        "/api/v1/funds/balances", {"region": regions.county.code}, headers=bearer(users.auditor)
    ).json()
    assert (balances["amount"], balances["undisbursed"]) == ("1000.00", "500.00")
    assert balances["kinds"][0]["kind"] == "special"


def test_the_overdue_loans_of_a_day(client, regions, users):
    home = HouseholdFactory(village=regions.village_a)
    created = post(
        client,
        "/api/v1/funds/loans",
        {
            "household_no": home.household_no,
            "bank": "滕州农商银行",
            "amount": "20000.00",
            "start_date": "2018-03-15",
            "term_months": 24,
            "rate": "0.0435",
            "subsidy_rate": "0.0435",
        },
        users.town,
    )
    assert created.status_code == 201, created.json()
    assert created.json()["due_date"] == "2020-03-15"

    def overdue(on):
        body = client.get(
            "/api/v1/funds/loans",
            {"overdue": "true", "on": on.isoformat()},
            headers=bearer(users.village),
        ).json()
        return [row["household_no"] for row in body["results"]]

    assert overdue(dt.date(2020, 3, 15)) == []
    assert overdue(dt.date(2020, 3, 16)) == [home.household_no]
    FundSourceFactory(region=regions.county)  # unrelated
    loan_id = created.json()["id"]
    repaid = post(
        client,
        f"/api/v1/funds/loans/{loan_id}/repayments",
        {"paid_on": "2020-04-01", "principal": "20000.00", "interest": "0", "voucher_no": "还-9"},
        users.town,
    )
    assert repaid.status_code == 201
    assert overdue(dt.date(2020, 4, 2)) == []
    detail = client.get(f"/api/v1/funds/loans/{loan_id}", headers=bearer(users.town)).json()
    assert (detail["status"], detail["outstanding"], len(detail["repayments"])) == (
        "repaid",
        "0.00",
        1,
    )
