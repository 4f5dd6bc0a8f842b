"""Figures other apps read: distributed totals by region and period, village fund balances."""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.councils.tests.factories import council_with_members, resolution_adopted
from fupin.distribution.models import DistributionPlan, VillageFundEntry
from fupin.distribution.selectors import distributed_by_region, village_fund_balance

D = Decimal


def plan(village, year, status, effective_on, resolution, amount="1000.00", households="600.00"):
    village_fund = D(amount) - D("200.00") - D(households)
    return DistributionPlan.objects.create(
        village=village,
        year=year,
        amount=D(amount),
        welfare_pool=D("200.00"),
        fund_direct=D("100.00"),
        village_fund=village_fund,
        households_total=D(households),
        households=3,
        status=status,
        resolution=resolution,
        effective_on=effective_on,
    )


@pytest.fixture
def resolutions(regions):
    return {
        v: resolution_adopted(council_with_members(v), "distribution_plan")
        for v in (regions.village_a, regions.village_b)
    }


def test_distributed_by_region_counts_plans_in_effect_in_the_period(regions, resolutions):
    a, b = regions.village_a, regions.village_b
    plan(a, 2019, "paid", dt.date(2019, 12, 1), resolutions[a])
    plan(a, 2020, "effective", dt.date(2020, 3, 1), resolutions[a], "2000.00", "1500.50")
    plan(b, 2020, "effective", dt.date(2020, 4, 1), resolutions[b])
    plan(a, 2018, "noticed", None, resolutions[a])  # not in effect
    plan(a, 2017, "cancelled", None, None)
    assert distributed_by_region(
        region_code=regions.county.code, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    ) == {"households": D("2100.50"), "welfare": D("400.00"), "village_fund": D("499.50")}
    assert distributed_by_region(
        region_code=regions.town_a.code, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31)
    ) == {"households": D("2100.50"), "welfare": D("400.00"), "village_fund": D("499.50")}
    assert distributed_by_region(
        region_code=regions.village_c.code, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31)
    ) == {"households": D("0.00"), "welfare": D("0.00"), "village_fund": D("0.00")}


def test_village_fund_balance_is_in_minus_out_up_to_the_day(regions):
    a, b = regions.village_a, regions.village_b
    for village, date, kind, amount in [
        (a, dt.date(2020, 1, 5), "in", "500.00"),
        (a, dt.date(2020, 2, 5), "out", "120.25"),
        (b, dt.date(2020, 1, 5), "in", "80.00"),
        (a, dt.date(2020, 3, 5), "in", "10.00"),
    ]:
        VillageFundEntry.objects.create(
            village=village, date=date, kind=kind, amount=D(amount), reason="测试"
        )
    assert village_fund_balance(region_code=a.code, on=dt.date(2020, 2, 5)) == D("379.75")
    assert village_fund_balance(region_code=regions.county.code, on=dt.date(2020, 12, 31)) == D(
        "469.75"
    )
    assert village_fund_balance(region_code=a.code, on=dt.date(2019, 12, 31)) == D("0.00")
