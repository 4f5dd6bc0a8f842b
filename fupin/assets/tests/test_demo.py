"""The demo's funds, assets and income keep every rule and the three-assets ledger balances."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import OuterRef, Subquery, Sum

from fupin.accounts.models import User
from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.assets.selectors import three_assets_ledger
from fupin.core.demo import demo_load
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan
from fupin.funds.selectors import fund_balances, loan_list

CITY = "370400000000"


@pytest.fixture
def demo(db):
    return demo_load(households=600, seed=7)


def _total(model, link):
    rows = model.objects.filter(**{link: OuterRef("pk")}).values(link).order_by()
    return Subquery(rows.annotate(s=Sum("amount")).values("s"))


def test_the_demo_funds_assets_and_income_keep_the_rules(demo):
    kinds = set(FundSource.objects.values_list("kind", flat=True))
    assert {"special", "integrated", "microcredit"} <= kinds
    assert Allocation.objects.exists() and Disbursement.objects.exists()
    # nothing over-allocated, over-paid or over-funded (compared in Python: SQLite sums are floats)
    for parent, child, link in (
        (FundSource, Allocation, "source"),
        (Allocation, Disbursement, "allocation"),
        (Asset, AssetFunding, "asset"),
    ):
        limit = "value" if parent is Asset else "amount"
        for total, bound in parent.objects.annotate(t=_total(child, link)).values_list("t", limit):
            assert total is None or Decimal(total).quantize(Decimal("0.01")) <= bound
    assert Asset.objects.filter(category="household", household__isnull=False).exists()
    assert IncomeEntry.objects.filter(received_on__year=2020).exists()
    assert FundSource.history.count() == FundSource.objects.count()
    assert IncomeEntry.history.count() == IncomeEntry.objects.count()
    # special against integrated roughly as in the bulletin (330 M to 516 M)
    special = FundSource.objects.filter(kind="special").aggregate(s=Sum("amount"))["s"]
    integrated = FundSource.objects.filter(kind="integrated").aggregate(s=Sum("amount"))["s"]
    assert 0.45 < special / integrated < 0.85


def test_the_demo_has_overdue_loans_and_a_balanced_city_ledger(demo):
    city = User.objects.get(username="city")
    assert Loan.objects.filter(status="repaid").exists()
    assert loan_list(user=city, overdue_on=dt.date(2021, 1, 31)).exists()
    balances = fund_balances(user=city, region_code=CITY)
    assert balances["disbursed"] <= balances["allocated"] <= balances["amount"]
    year = three_assets_ledger(
        user=city, region_code=CITY, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    ever = three_assets_ledger(
        user=city, region_code=CITY, start=dt.date(1900, 1, 1), end=dt.date(2020, 12, 31)
    )
    assert year["funds_balance"] == ever["funds_in"] - ever["funds_out"]
    assert ever["funds_out"] == ever["assets_funded"] + ever["work_in_progress"]
    assert year["work_in_progress"] >= 0
    assert year["income_earned"] > 0
    assert year["income_undistributed"] == ever["income_earned"] - ever["income_distributed"]
    for name in ("funds_in", "funds_out", "assets_formed", "income_earned", "income_distributed"):
        assert (
            sum((c[name] for c in year["children"]), Decimal(0))
            + (year["own"][name] if year["own"] else 0)
            == year[name]
        )
