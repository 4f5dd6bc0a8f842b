"""The three-assets ledger (三资台账) balances to the cent on a known data set (docs/decisions/0029)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.assets.models import Asset
from fupin.assets.selectors import LEDGER_FIGURES, three_assets_ledger
from fupin.assets.services import asset_add, income_add
from fupin.core.errors import FupinError
from fupin.councils.tests.factories import council_with_members, resolution_adopted
from fupin.distribution.models import DistributionPlan, VillageFundEntry
from fupin.funds.services import allocation_add, disbursement_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.registry.tests.factories import HouseholdFactory

D = Decimal
YEAR = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))


@pytest.fixture
def books(regions, users):
    """Write the known data set: two sources, two projects, two villages, one distribution."""
    county, town = users.county, users.town
    s1 = FundSourceFactory(region=regions.county, year=2018, amount=D("100000.00"))
    s2 = FundSourceFactory(
        region=regions.town_a, year=2019, kind="special", level="county", amount=D("20000.00")
    )
    p1 = ProjectFactory(region=regions.village_a, status="approved")
    p2 = ProjectFactory(region=regions.village_b, status="building")

    def allocate(source, project, amount, on):
        return allocation_add(
            source_id=source.pk, project_id=project.pk, amount=amount, allocated_on=on, actor=county
        )

    def pay(allocation, amount, on, voucher, actor=town):
        disbursement_add(
            allocation_id=allocation.pk, amount=amount, voucher_no=voucher, paid_on=on, actor=actor
        )

    a11 = allocate(s1, p1, "50000.00", dt.date(2018, 5, 1))
    a12 = allocate(s1, p2, "30000.00", dt.date(2019, 3, 1))
    a21 = allocate(s2, p1, "12345.67", dt.date(2019, 2, 1))
    pay(a11, "30000.00", dt.date(2018, 6, 1), "2018-1")
    pay(a11, "20000.00", dt.date(2019, 1, 15), "2019-1")
    pay(a21, "12000.00", dt.date(2019, 2, 10), "2019-2")
    pay(a12, "10000.01", dt.date(2019, 4, 1), "2019-3", actor=county)
    p1.status = "operating"
    p1.save()
    shed = asset_add(
        name="蔬菜大棚",
        category="operating",
        owner_kind="village",
        village_code=regions.village_a.code,
        project_id=p1.pk,
        value="65432.10",
        formed_on=dt.date(2019, 3, 1),
        fundings=[
            {"source_id": s1.pk, "amount": "50000.00"},
            {"source_id": s2.pk, "amount": "12000.00"},
        ],
        actor=town,
    )
    home = HouseholdFactory(village=regions.village_a)
    sheep = asset_add(
        name="湖羊",
        category="household",
        owner_kind="household",
        household_no=home.household_no,
        village_code=regions.village_a.code,
        value="800.00",
        formed_on=dt.date(2019, 5, 1),
        actor=town,
    )
    for asset, kind, amount, received, voucher in (
        (shed, "rent", "3000.00", dt.date(2019, 6, 30), "r1"),
        (shed, "rent", "3000.00", dt.date(2019, 12, 31), "r2"),
        (shed, "rent", "1500.00", dt.date(2020, 1, 10), "r3"),
        (sheep, "sales", "120.55", dt.date(2019, 9, 1), "s1"),
    ):
        income_add(
            asset_id=asset.pk,
            kind=kind,
            period_start=dt.date(2019, 3, 1),
            period_end=dt.date(2019, 12, 31),
            amount=amount,
            received_on=received,
            voucher_no=voucher,
            actor=town,
        )
    resolution = resolution_adopted(council_with_members(regions.village_a), "distribution_plan")
    DistributionPlan.objects.create(
        village=regions.village_a,
        year=2019,
        amount=D("5000.00"),
        welfare_pool=D("1000.00"),
        fund_direct=D("500.00"),
        village_fund=D("499.50"),
        households_total=D("3500.50"),
        households=4,
        status="effective",
        resolution=resolution,
        effective_on=dt.date(2019, 12, 20),
    )
    VillageFundEntry.objects.create(
        village=regions.village_a,
        date=dt.date(2019, 12, 20),
        kind="in",
        amount=D("499.50"),
        reason="2019年收益分配转入",
    )
    return regions


def figures(ledger: dict) -> dict:
    return {name: ledger[name] for name in LEDGER_FIGURES}


VILLAGE_A_2019 = {
    "funds_opening": D("20000.00"),  # 50,000.00 allocated − 30,000.00 paid in 2018
    "funds_in": D("12345.67"),
    "funds_out": D("32000.00"),
    "funds_balance": D("345.67"),
    "assets_formed": D("66232.10"),
    "assets_funded": D("62000.00"),
    "assets_own": D("4232.10"),
    "assets_total": D("66232.10"),
    "work_in_progress": D("0.00"),
    "income_opening": D("0.00"),
    "income_earned": D("6120.55"),
    "income_distributed": D("5000.00"),
    "distributed_households": D("3500.50"),
    "distributed_welfare": D("1000.00"),
    "distributed_village_fund": D("499.50"),
    "income_undistributed": D("1120.55"),
    "village_fund_balance": D("499.50"),
}
VILLAGE_B_2019 = {
    **dict.fromkeys(LEDGER_FIGURES, D("0.00")),
    "funds_in": D("30000.00"),
    "funds_out": D("10000.01"),
    "funds_balance": D("19999.99"),
    "work_in_progress": D("10000.01"),
}


def test_the_ledger_of_a_village_is_the_known_figures_to_the_cent(books, users):
    ledger = three_assets_ledger(
        user=users.village, region_code=books.village_a.code, start=YEAR[0], end=YEAR[1]
    )
    assert figures(ledger) == VILLAGE_A_2019
    assert ledger["children"] == [] and ledger["own"] is None


def test_the_county_is_its_towns_and_the_towns_their_villages(books, users):
    county = three_assets_ledger(
        user=users.county, region_code=books.county.code, start=YEAR[0], end=YEAR[1]
    )
    by_region = {row["region"]: figures(row) for row in county["children"]}
    assert by_region == {books.town_a.code: VILLAGE_A_2019, books.town_b.code: VILLAGE_B_2019}
    assert county["own"] is None
    assert figures(county) == {
        name: VILLAGE_A_2019[name] + VILLAGE_B_2019[name] for name in LEDGER_FIGURES
    }


@pytest.mark.parametrize("village", ["village_a", "village_b"])
def test_the_ledger_identities_hold(books, users, village):
    code = getattr(books, village).code

    def ledger(start, end):
        return three_assets_ledger(user=users.county, region_code=code, start=start, end=end)

    year = ledger(*YEAR)
    # funds: opening + in − out = closing, and the closing is all allocated − all paid by the end
    since_ever = ledger(dt.date(1900, 1, 1), YEAR[1])
    assert year["funds_balance"] == since_ever["funds_in"] - since_ever["funds_out"]
    # assets: all paid by the end = funds turned into assets + work in progress
    assert since_ever["funds_out"] == since_ever["assets_funded"] + since_ever["work_in_progress"]
    # income: opening + earned − distributed = undistributed, and halves chain into the year
    first = ledger(YEAR[0], dt.date(2019, 6, 30))
    second = ledger(dt.date(2019, 7, 1), YEAR[1])
    for opening, closing in (
        ("funds_opening", "funds_balance"),
        ("income_opening", "income_undistributed"),
    ):
        assert first[closing] == second[opening]
        assert year[opening] == first[opening] and year[closing] == second[closing]
    for flow in ("funds_in", "funds_out", "assets_formed", "income_earned", "income_distributed"):
        assert first[flow] + second[flow] == year[flow]
    assert (
        since_ever["income_earned"] - since_ever["income_distributed"]
        == year["income_undistributed"]
    )


def test_the_ledger_stays_in_scope(books, users):
    with pytest.raises(FupinError) as exc:
        three_assets_ledger(
            user=users.town_b, region_code=books.village_a.code, start=YEAR[0], end=YEAR[1]
        )
    assert exc.value.code == "not_found"
    with pytest.raises(FupinError) as exc:
        three_assets_ledger(user=users.town, start=YEAR[1], end=YEAR[0])
    assert exc.value.code == "invalid_period"
    # the town's own ledger defaults to its region
    town = three_assets_ledger(user=users.town, start=YEAR[0], end=YEAR[1])
    assert figures(town) == VILLAGE_A_2019


def test_the_ledger_is_set_based(books, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            three_assets_ledger(
                user=users.county, region_code=books.county.code, start=YEAR[0], end=YEAR[1]
            )
        return len(captured)

    before = queries()
    # ten more income entries and assets do not add a query
    shed = Asset.objects.filter(project__isnull=False).first()
    for i in range(10):
        income_add(
            asset_id=shed.pk,
            kind="other",
            period_start=dt.date(2019, 3, 1),
            period_end=dt.date(2019, 12, 31),
            amount="1.00",
            received_on=dt.date(2019, 8, 1),
            voucher_no=f"x{i}",
            actor=users.town,
        )
    assert queries() == before


DAYS = st.integers(min_value=0, max_value=729)  # days after 2019-01-01


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2),
            DAYS,
            st.floats(min_value=0, max_value=1),
            DAYS,
        ),
        min_size=1,
        max_size=6,
    ),
    split=DAYS,
)
def test_the_identities_hold_whatever_the_flows(regions, users, flows, split):
    # given allocations to projects of two villages, part paid, and income of an asset in each
    start = dt.date(2019, 1, 1)
    source = FundSourceFactory(region=regions.county, amount=D("100000.00"))
    villages = {"a": regions.village_a, "b": regions.village_b}
    projects = {k: ProjectFactory(region=v, status="building") for k, v in villages.items()}
    assets = {
        k: asset_add(
            name="资产",
            category="operating",
            owner_kind="village",
            village_code=v.code,
            value="1.00",
            formed_on=start,
            actor=users.county,
        )
        for k, v in villages.items()
    }
    for i, (key, amount, day, share, income_day) in enumerate(flows):
        on = start + dt.timedelta(days=day)
        allocation = allocation_add(
            source_id=source.pk,
            project_id=projects[key].pk,
            amount=amount,
            allocated_on=on,
            actor=users.county,
        )
        paid = (amount * D(str(round(share, 2)))).quantize(D("0.01"))
        if paid > 0:
            disbursement_add(
                allocation_id=allocation.pk,
                amount=paid,
                voucher_no=f"h{i}",
                paid_on=on + dt.timedelta(days=30),
                actor=users.county,
            )
        income_add(
            asset_id=assets[key].pk,
            kind="rent",
            period_start=start,
            period_end=start + dt.timedelta(days=income_day),
            amount=amount,
            received_on=start + dt.timedelta(days=income_day),
            voucher_no=f"i{i}",
            actor=users.county,
        )
    middle = start + dt.timedelta(days=split)
    end = dt.date(2021, 3, 1)

    def ledger(a, b):
        return three_assets_ledger(
            user=users.county, region_code=regions.county.code, start=a, end=b
        )

    whole, first = ledger(start, end), ledger(start, middle)
    second = ledger(middle + dt.timedelta(days=1), end)
    # then the periods chain and the flows add up, to the cent
    assert first["funds_balance"] == second["funds_opening"]
    assert first["income_undistributed"] == second["income_opening"]
    for flow in ("funds_in", "funds_out", "income_earned"):
        assert first[flow] + second[flow] == whole[flow]
    assert whole["funds_in"] == sum((f[1] for f in flows), D("0"))
    assert whole["income_earned"] == whole["income_undistributed"] == whole["funds_in"]
    assert whole["funds_out"] == whole["work_in_progress"]
    assert whole["funds_balance"] == whole["funds_in"] - whole["funds_out"]
    for name in LEDGER_FIGURES:
        assert sum((c[name] for c in whole["children"]), D("0")) == whole[name]
    # the village's share of the flows is its own
    for key, village in villages.items():
        mine = three_assets_ledger(
            user=users.county, region_code=village.code, start=start, end=end
        )
        assert mine["funds_in"] == sum((f[1] for f in flows if f[0] == key), D("0"))
    # clean up for the next example (the fixtures are shared across examples)
    from fupin.assets.models import IncomeEntry
    from fupin.funds.models import Allocation, Disbursement

    IncomeEntry.objects.all().delete()
    Disbursement.objects.all().delete()
    Allocation.objects.all().delete()
    Asset.objects.all().delete()
