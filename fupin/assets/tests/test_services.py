import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.assets.selectors import asset_list, income_list, income_totals
from fupin.assets.services import asset_add, asset_funding_add, income_add
from fupin.core.errors import FupinError
from fupin.core.models import Event
from fupin.core.testing import code_of
from fupin.funds.services import allocation_add, disbursement_add
from fupin.funds.tests.factories import FundSourceFactory, ProjectFactory
from fupin.registry.tests.factories import HouseholdFactory

D = Decimal


@pytest.fixture
def funded(regions, users):
    """Return a project of village A that received 50,000.00 from one source and 8,000.00 from another."""
    project = ProjectFactory(region=regions.village_a, status="approved")
    one = FundSourceFactory(region=regions.county, amount=D("100000.00"))
    two = FundSourceFactory(region=regions.county, amount=D("10000.00"), kind="donation")
    for source, amount in ((one, "50000.00"), (two, "8000.00")):
        allocation = allocation_add(
            source_id=source.pk,
            project_id=project.pk,
            amount=amount,
            allocated_on=dt.date(2018, 3, 1),
            actor=users.county,
        )
        disbursement_add(
            allocation_id=allocation.pk,
            amount=amount,
            voucher_no=f"v-{source.pk}",
            paid_on=dt.date(2018, 4, 1),
            actor=users.town,
        )
    project.status = "accepted"
    project.save()
    return project, one, two


def register(project, village, value, fundings=(), actor=None, **overrides):
    values = {
        "name": "蔬菜大棚",
        "category": "operating",
        "owner_kind": "village",
        "village_code": village.code,
        "value": value,
        "formed_on": dt.date(2018, 10, 1),
        "project_id": project.pk if project else None,
        "location": "村东",
        "fundings": list(fundings),
        "actor": actor,
    }
    return asset_add(**{**values, **overrides})


def test_an_asset_records_its_funds_and_its_own_part(regions, users, funded):
    project, one, two = funded
    asset = register(
        project,
        regions.village_a,
        "60000.00",
        [{"source_id": one.pk, "amount": "50000.00"}, {"source_id": two.pk, "amount": "8000.00"}],
        actor=users.town,
    )
    row = asset_list(user=users.town).get(pk=asset.pk)
    assert (row.funded, row.own_part) == (D("58000.00"), D("2000.00"))
    assert Event.objects.filter(verb="assets.asset_added").count() == 1
    assert asset.history.count() == 1


def test_funds_above_the_value_are_refused_and_nothing_is_written(regions, users, funded):
    project, one, two = funded
    assert (
        code_of(
            register,
            project=project,
            village=regions.village_a,
            value="50000.00",
            fundings=[
                {"source_id": one.pk, "amount": "45000.00"},
                {"source_id": two.pk, "amount": "5000.01"},
            ],
            actor=users.town,
        )
        == "funding_exceeds_value"
    )
    assert not Asset.objects.exists()
    assert not AssetFunding.objects.exists()


def test_an_asset_takes_only_money_paid_to_its_project_and_not_yet_taken(regions, users, funded):
    project, one, _two = funded
    first = register(
        project,
        regions.village_a,
        "30000.01",
        [{"source_id": one.pk, "amount": "30000.00"}],
        actor=users.town,
    )
    # 20,000.00 of the first source is left; 20,000.01 is not there
    assert (
        code_of(
            register,
            project=project,
            village=regions.village_a,
            value="40000.00",
            fundings=[{"source_id": one.pk, "amount": "20000.01"}],
            actor=users.town,
        )
        == "funding_exceeds_disbursed"
    )
    assert Asset.objects.count() == 1
    # money paid after the asset was formed cannot have paid for it
    assert (
        code_of(
            register,
            project=project,
            village=regions.village_a,
            value="1.00",
            formed_on=dt.date(2018, 3, 31),
            fundings=[{"source_id": one.pk, "amount": "1.00"}],
            actor=users.town,
        )
        == "funding_exceeds_disbursed"
    )
    funding = asset_funding_add(
        asset_id=first.pk, source_id=_two.pk, amount="0.01", actor=users.town
    )
    assert funding.amount == D("0.01")
    assert (
        code_of(
            asset_funding_add, asset_id=first.pk, source_id=one.pk, amount="1", actor=users.town
        )
        == "funding_exceeds_value"
    )


def test_a_source_never_allocated_to_the_project_is_not_found(regions, users, funded):
    project, _one, _two = funded
    stranger = FundSourceFactory(region=regions.county)
    assert (
        code_of(
            register,
            project=project,
            village=regions.village_a,
            value="10.00",
            fundings=[{"source_id": stranger.pk, "amount": "1.00"}],
            actor=users.town,
        )
        == "not_found"
    )


def test_assets_rules_on_project_owner_and_role(regions, users, funded):
    project, one, _two = funded
    building = ProjectFactory(region=regions.village_a, status="building")
    assert code_of(
        register, project=building, village=regions.village_a, value="1", actor=users.town
    ) == ("project_not_accepted")
    assert code_of(
        register, project=project, village=regions.village_b, value="1", actor=users.county
    ) == ("asset_outside_project_region")
    assert (
        code_of(
            register,
            project=None,
            village=regions.village_a,
            value="1",
            fundings=[{"source_id": one.pk, "amount": "1"}],
            actor=users.town,
        )
        == "funding_needs_project"
    )
    assert code_of(
        register, project=None, village=regions.village_a, value="1", actor=users.village
    ) == ("forbidden")
    assert code_of(
        register, project=None, village=regions.village_b, value="1", actor=users.town
    ) == ("not_found")
    with pytest.raises(FupinError) as exc:
        register(
            None,
            regions.village_a,
            "1",
            owner_kind="household",
            household_no="nope",
            actor=users.town,
        )
    assert exc.value.details["codes"] == {"household_no": "not_in_village"}
    home = HouseholdFactory(village=regions.village_a)
    cow = register(
        None,
        regions.village_a,
        "4500.00",
        name="能繁母牛",
        category="household",
        owner_kind="household",
        household_no=home.household_no,
        actor=users.town,
    )
    assert cow.household == home
    assert not Asset.objects.filter(project__isnull=False).exists()


def test_income_needs_a_voucher_and_a_sensible_period(regions, users, funded):
    project, _one, _two = funded
    asset = register(project, regions.village_a, "1000.00", actor=users.town)

    def earn(**overrides):
        values = {
            "asset_id": asset.pk,
            "kind": "rent",
            "period_start": dt.date(2019, 1, 1),
            "period_end": dt.date(2019, 6, 30),
            "amount": "1500.00",
            "received_on": dt.date(2019, 7, 5),
            "voucher_no": "收-001",
            "actor": users.town,
        }
        return income_add(**{**values, **overrides})

    with pytest.raises(FupinError) as exc:
        earn(voucher_no="")
    assert exc.value.details["codes"] == {"voucher_no": "required"}
    with pytest.raises(FupinError) as exc:
        earn(period_end=dt.date(2018, 12, 31))
    assert exc.value.details["codes"] == {"period_end": "before_start"}
    assert (
        code_of(earn, period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 6, 30))
        == "income_before_asset"
    )
    earn()
    assert code_of(earn) == "voucher_duplicate"
    assert code_of(earn, voucher_no="收-002", actor=users.village) == "forbidden"
    assert code_of(earn, voucher_no="收-002", actor=users.town_b) == "not_found"
    assert IncomeEntry.objects.count() == 1
    assert Event.objects.filter(verb="assets.income_added").count() == 1


def test_income_ledger_totals_by_kind_and_period(regions, users, funded):
    project, _one, _two = funded
    shed = register(project, regions.village_a, "1000.00", actor=users.town)
    shop = register(project, regions.village_a, "2000.00", name="扶贫车间", actor=users.town)
    for asset, kind, amount, received, voucher in (
        (shed, "rent", "1500.00", dt.date(2019, 7, 5), "a1"),
        (shed, "rent", "1500.00", dt.date(2020, 1, 5), "a2"),
        (shop, "dividend", "800.40", dt.date(2019, 12, 20), "b1"),
        (shop, "sales", "99.99", dt.date(2019, 3, 1), "b2"),
    ):
        income_add(
            asset_id=asset.pk,
            kind=kind,
            period_start=dt.date(2019, 1, 1),
            period_end=dt.date(2019, 12, 31),
            amount=amount,
            received_on=received,
            voucher_no=voucher,
            actor=users.town,
        )
    entries = income_list(user=users.town, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    totals = income_totals(entries=entries)
    assert totals["total"] == D("2400.39")
    assert {k["kind"]: k["amount"] for k in totals["kinds"]} == {
        "rent": D("1500.00"),
        "dividend": D("800.40"),
        "sales": D("99.99"),
        "other": D("0.00"),
    }
    rows = {a.pk: a for a in asset_list(user=users.village)}
    assert (rows[shed.pk].income, rows[shed.pk].last_received) == (
        D("3000.00"),
        dt.date(2020, 1, 5),
    )
    assert rows[shop.pk].income == D("900.39")
    assert not income_list(user=users.town_b).exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_assets_cannot_take_the_same_paid_money_at_once(regions):
    from fupin.accounts.tests.factories import UserFactory
    from fupin.core.testing import race

    county = UserFactory(role="county_officer", region=regions.county)
    town = UserFactory(role="town_officer", region=regions.town_a)
    project = ProjectFactory(region=regions.village_a, status="approved")
    source = FundSourceFactory(region=regions.county, amount=D("50000.00"))
    allocation = allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount="50000.00",
        allocated_on=dt.date(2018, 3, 1),
        actor=county,
    )
    disbursement_add(
        allocation_id=allocation.pk,
        amount="50000.00",
        voucher_no="v",
        paid_on=dt.date(2018, 4, 1),
        actor=town,
    )
    project.status = "accepted"
    project.save()
    outcomes = race(
        lambda: register(
            project,
            regions.village_a,
            "30000.00",
            [{"source_id": source.pk, "amount": "30000.00"}],
            actor=town,
        )
    )
    assert outcomes == ["funding_exceeds_disbursed", "won"]
    assert AssetFunding.objects.get().amount == D("30000.00")
