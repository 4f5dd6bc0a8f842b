import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from fupin.funds.models import Allocation, Disbursement, FundSource, Loan
from fupin.funds.services import allocation_add, loan_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.registry.tests.factories import HouseholdFactory

D = Decimal


def test_the_county_records_a_source_and_allocates_it_on_the_pages(client, regions, users):
    client.force_login(users.county)
    response = client.post(
        "/funds/sources/",
        {
            "kind": "integrated",
            "year": "2019",
            "amount": "5000.00",
            "document_no": "滕财〔2019〕1号",
        },
    )
    source = FundSource.objects.get()
    assert response.status_code == 302
    assert response.url == f"/funds/sources/{source.pk}/"
    project = ProjectFactory(region=regions.village_a)
    page = client.get(response.url)
    assert project.code in page.content.decode()
    refused = client.post(
        response.url, {"project_id": project.pk, "amount": "5000.01", "allocated_on": "2019-03-01"}
    )
    assert "下达金额超过资金来源的可用余额" in refused.content.decode()
    assert not Allocation.objects.exists()
    client.post(
        response.url, {"project_id": project.pk, "amount": "5000.00", "allocated_on": "2019-03-01"}
    )
    assert Allocation.objects.get().amount == D("5000.00")


def test_the_town_pays_with_a_voucher_and_sees_the_field_error(client, regions, users):
    source = FundSourceFactory(region=regions.county)
    allocation = allocation_add(
        source_id=source.pk,
        project_id=ProjectFactory(region=regions.village_a).pk,
        amount="100.00",
        allocated_on=dt.date(2019, 3, 1),
        actor=users.county,
    )
    client.force_login(users.town)
    url = f"/funds/allocations/{allocation.pk}/"
    page = client.post(url, {"amount": "10.00", "voucher_no": "", "paid_on": "2019-04-01"})
    assert page.status_code == 200
    assert 'id="pay"' in page.content.decode()
    assert not Disbursement.objects.exists()
    assert (
        client.post(
            url, {"amount": "10.00", "voucher_no": "记-1", "paid_on": "2019-04-01"}
        ).status_code
        == 302
    )
    assert Disbursement.objects.get().voucher_no == "记-1"
    # the village officer reads the allocation without the form; town B never sees it
    client.force_login(users.village)
    assert 'id="pay"' not in client.get(url).content.decode()
    client.force_login(users.town_b)
    assert client.get(url).status_code == 404


def test_balances_page_and_its_export(client, regions, users):
    FundSourceFactory(region=regions.county, amount=D("1234.56"), kind="special", level="central")
    FundSourceFactory(region=regions.town_a, amount=D("100.00"))
    client.force_login(users.county)
    page = client.get("/funds/", {"region": regions.county.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert "1,334.56" in html and "洪绪镇" in html
    export = client.get("/funds/", {"region": regions.county.code, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("区划", "资金金额")
    assert rows[1][1] == 1334.56
    by_source = list(
        load_workbook(io.BytesIO(export.content)).worksheets[3].iter_rows(values_only=True)
    )
    assert sorted(row[4] for row in by_source[1:]) == [100, 1234.56]
    assert by_source[1][2] in ("中央财政专项扶贫资金", "统筹整合涉农资金")
    assert client.get("/funds/", {"region": regions.county_2.code}).status_code == 404


def test_overdue_loans_page(client, regions, users):
    home = HouseholdFactory(village=regions.village_a)
    loan_add(
        household_no=home.household_no,
        bank="滕州农商银行",
        amount="10000.00",
        start_date=dt.date(2018, 3, 1),
        term_months=12,
        rate="0.0435",
        actor=users.town,
    )
    client.force_login(users.town)
    page = client.get("/funds/loans/", {"overdue": "1"})
    assert home.household_no in page.content.decode()
    created = client.post(
        "/funds/loans/",
        {
            "household_no": home.household_no,
            "bank": "枣庄银行",
            "amount": "5000.00",
            "start_date": timezone_today(),
            "term_months": "12",
            "rate": "0.0435",
        },
    )
    assert created.status_code == 302
    assert Loan.objects.count() == 2
    detail = client.get(created.url)
    assert "枣庄银行" in detail.content.decode()


def timezone_today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_the_household_file_lists_its_loans(client, regions, users):
    home = HouseholdFactory(village=regions.village_a)
    loan_add(
        household_no=home.household_no,
        bank="滕州农商银行",
        amount="30000.00",
        start_date=dt.date(2018, 3, 1),
        term_months=24,
        rate="0.0435",
        actor=users.town,
    )
    client.force_login(users.village)
    html = client.get(f"/households/{home.household_no}/").content.decode()
    assert 'id="household-loans"' in html and "2020-03-01" in html and "逾期" in html


def test_a_household_outside_the_town_is_a_field_error_on_the_loan_form(client, regions, users):
    away = HouseholdFactory(village=regions.village_b)
    client.force_login(users.town)
    page = client.post(
        "/funds/loans/",
        {
            "household_no": away.household_no,
            "bank": "枣庄银行",
            "amount": "5000.00",
            "start_date": "2019-01-01",
            "term_months": "12",
            "rate": "0.0435",
        },
    )
    assert page.status_code == 200
    assert "未找到或无权查看" in page.content.decode()
    assert not Loan.objects.exists()
