"""Every page of funds, assets, councils, pairing and assistance opens for the county and the city.

Issue 10, defect 3: /funds/sources/ answered 500 for the county and the city, whose page carries
the form for a new source (its year field read `today`, which the view never supplied).
"""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.assets.services import asset_add, income_add
from fupin.assistance.tests.factories import measure_for
from fupin.councils.tests.factories import council_with_members
from fupin.funds.services import allocation_add, loan_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

D = Decimal


@pytest.fixture
def world(regions, users):
    """Return one record of every kind these pages show, in village A."""
    home = HouseholdFactory(village=regions.village_a)
    PersonFactory(household=home, name="赵德厚")
    measure_for(home)
    unit = AidUnitFactory(region=regions.county)
    PairingFactory(household=home, cadre=CadreFactory(name="王干部", unit=unit))
    project = ProjectFactory(region=regions.village_a, status="operating")
    source = FundSourceFactory(region=regions.county, amount=D("100023001.00"))
    allocation = allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount="50000.00",
        allocated_on=dt.date(2018, 3, 1),
        actor=users.county,
    )
    loan = loan_add(
        household_no=home.household_no,
        bank="滕州农商银行",
        amount="30000.00",
        start_date=dt.date(2018, 3, 1),
        term_months=36,
        rate="0.0435",
        actor=users.town,
    )
    asset = asset_add(
        name="光伏电站",
        category="operating",
        owner_kind="village",
        village_code=regions.village_a.code,
        project_id=project.pk,
        value="80000.00",
        formed_on=dt.date(2018, 5, 1),
        actor=users.town,
    )
    income_add(
        asset_id=asset.pk,
        kind="sales",
        period_start=dt.date(2018, 5, 1),
        period_end=dt.date(2018, 12, 31),
        amount="3600.00",
        received_on=dt.date(2019, 1, 5),
        voucher_no="收-1",
        actor=users.town,
    )
    council = council_with_members(regions.village_a)
    return {
        "home": home,
        "source": source,
        "allocation": allocation,
        "loan": loan,
        "asset": asset,
        "council": council,
    }


def pages(w) -> list[str]:
    """Return the GET pages of the five apps, with a record of each detail page."""
    return [
        "/funds/",
        "/funds/sources/",
        f"/funds/sources/{w['source'].pk}/",
        "/funds/allocations/",
        f"/funds/allocations/{w['allocation'].pk}/",
        "/funds/loans/",
        "/funds/loans/?overdue=1",
        f"/funds/loans/{w['loan'].pk}/",
        "/assets/",
        f"/assets/{w['asset'].pk}/",
        "/assets/income/",
        "/assets/ledger/",
        "/councils/",
        f"/councils/{w['council'].pk}/",
        "/pairing/",
        "/pairing/units/",
        "/pairing/cadres/",
        "/pairing/visits/",
        "/pairing/rounds/",
        f"/households/{w['home'].household_no}/plan/",
        f"/households/{w['home'].household_no}/",
    ]


@pytest.mark.parametrize("role", ["county", "city"])
def test_every_page_opens_for_the_county_and_the_city(client, users, world, role):
    client.force_login(getattr(users, role))
    client.raise_request_exception = False
    failed = {
        url: r.status_code for url in pages(world) if (r := client.get(url)).status_code != 200
    }
    assert failed == {}


def test_the_county_sees_the_source_form_with_this_year(client, users, world):
    from django.utils import timezone

    client.force_login(users.county)
    html = client.get("/funds/sources/").content.decode()
    assert 'id="add-source"' in html
    assert f'name="year" id="year" value="{timezone.localdate().year}"' in html
