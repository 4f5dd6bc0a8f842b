import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from fupin.assets.models import Asset, IncomeEntry
from fupin.assets.services import asset_add
from fupin.funds.tests.factories import ProjectFactory

D = Decimal


def test_the_town_registers_an_asset_and_its_income_on_the_pages(client, regions, users):
    project = ProjectFactory(region=regions.village_a, status="operating")
    client.force_login(users.town)
    page = client.get("/assets/")
    assert 'id="add-asset"' in page.content.decode()
    created = client.post(
        "/assets/",
        {
            "name": "光伏电站",
            "category": "operating",
            "owner_kind": "village",
            "village_code": regions.village_a.code,
            "project_id": str(project.pk),
            "value": "80000.00",
            "formed_on": "2019-05-01",
            "location": "村南",
        },
    )
    asset = Asset.objects.get()
    assert created.status_code == 302 and created.url == f"/assets/{asset.pk}/"
    refused = client.post(
        created.url,
        {
            "action": "income",
            "kind": "sales",
            "period_start": "2019-05-01",
            "period_end": "2019-12-31",
            "amount": "3600.00",
            "received_on": "2020-01-05",
            "voucher_no": "",
        },
    )
    assert refused.status_code == 200 and not IncomeEntry.objects.exists()
    client.post(
        created.url,
        {
            "action": "income",
            "kind": "sales",
            "period_start": "2019-05-01",
            "period_end": "2019-12-31",
            "amount": "3600.00",
            "received_on": "2020-01-05",
            "voucher_no": "收-1",
        },
    )
    assert IncomeEntry.objects.get().amount == D("3600.00")
    income = client.get("/assets/income/", {"start": "2020-01-01", "end": "2020-12-31"})
    assert "3,600.00" in income.content.decode()
    export = client.get(
        "/assets/income/", {"start": "2020-01-01", "end": "2020-12-31", "format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][1:4] == ("光伏电站", "洪村", "销售收入")
    assert (rows[1][6], rows[1][7]) == ("收-1", 3600)
    # without a period the pages show the latest year with income
    assert 'value="2020-12-31"' in client.get("/assets/income/").content.decode()
    assert "3,600.00" in client.get("/assets/ledger/").content.decode()
    client.force_login(users.town_b)
    assert client.get(created.url).status_code == 404


def test_the_ledger_page_and_its_export(client, regions, users):
    asset_add(
        name="扶贫车间",
        category="operating",
        owner_kind="village",
        village_code=regions.village_b.code,
        value="1000.50",
        formed_on=dt.date(2019, 6, 1),
        actor=users.county,
    )
    client.force_login(users.auditor)
    page = client.get("/assets/ledger/", {"region": regions.county.code, "year": "2019"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "南沙河镇" in html and "1,000.50" in html
    export = client.get(
        "/assets/ledger/",
        {
            "region": regions.county.code,
            "start": "2019-01-01",
            "end": "2019-12-31",
            "format": "xlsx",
        },
    )
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    town_b = next(r for r in rows if r[1] == regions.town_b.code)
    assert town_b[header.index("本期形成资产")] == 1000.5
    client.force_login(users.town)
    assert client.get("/assets/ledger/", {"region": regions.town_b.code}).status_code == 404


def test_the_project_file_shows_its_funds_assets_and_income(client, regions, users):
    from fupin.assets.services import income_add
    from fupin.funds.services import allocation_add, disbursement_add
    from fupin.funds.tests.factories import FundSourceFactory

    project = ProjectFactory(region=regions.village_a, status="approved")
    source = FundSourceFactory(region=regions.county, amount=D("50000.00"))
    allocation = allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount="40000.00",
        allocated_on=dt.date(2019, 2, 1),
        actor=users.county,
    )
    disbursement_add(
        allocation_id=allocation.pk,
        amount="40000.00",
        voucher_no="v1",
        paid_on=dt.date(2019, 3, 1),
        actor=users.town,
    )
    project.status = "operating"
    project.save()
    asset = asset_add(
        name="扶贫车间",
        category="operating",
        owner_kind="village",
        village_code=regions.village_a.code,
        project_id=project.pk,
        value="40000.00",
        formed_on=dt.date(2019, 6, 1),
        fundings=[{"source_id": source.pk, "amount": "40000.00"}],
        actor=users.town,
    )
    income_add(
        asset_id=asset.pk,
        kind="rent",
        period_start=dt.date(2019, 7, 1),
        period_end=dt.date(2019, 12, 31),
        amount="2400.00",
        received_on=dt.date(2019, 12, 20),
        voucher_no="r1",
        actor=users.town,
    )
    client.force_login(users.town)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-money"' in html
    assert "40,000.00" in html and "扶贫车间" in html and "2,400.00" in html
