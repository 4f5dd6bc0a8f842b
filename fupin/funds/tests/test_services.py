import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.core.models import Event
from fupin.core.testing import code_of, race
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan, Repayment
from fupin.funds.selectors import fund_balances, loan_get, loan_is_overdue, loan_list
from fupin.funds.services import (
    allocation_add,
    disbursement_add,
    loan_add,
    repayment_add,
    source_add,
)
from fupin.funds.tests.factories import DAY, FundSourceFactory, ProjectFactory
from fupin.registry.tests.factories import HouseholdFactory

D = Decimal


# Sources ------------------------------------------------------------------------------------------


def test_the_county_records_a_special_fund_with_its_level(regions, users):
    source = source_add(
        kind="special",
        level="central",
        year=2018,
        region_code=regions.county.code,
        amount="1200000.00",
        document_no="鲁财农指〔2018〕1号",
        actor=users.county,
    )
    assert (source.amount, source.region_id) == (D("1200000.00"), regions.county.code)
    assert Event.objects.filter(verb="funds.source_added", object_id=str(source.pk)).exists()
    assert source.history.count() == 1


@pytest.mark.parametrize(
    ("kind", "level", "amount", "field", "code"),
    [
        ("special", "", "100", "level", "required"),
        ("integrated", "county", "100", "level", "only_special"),
        ("integrated", "", "0", "amount", "not_positive"),
        ("integrated", "", "10.001", "amount", "too_many_decimals"),
        ("integrated", "", "abc", "amount", "not_a_number"),
        ("bonds", "", "100", "kind", "unknown_choice"),
    ],
)
def test_a_bad_source_is_refused_by_field(regions, users, kind, level, amount, field, code):
    with pytest.raises(FupinError) as exc:
        source_add(
            kind=kind,
            level=level,
            year=2018,
            region_code=regions.county.code,
            amount=amount,
            actor=users.county,
        )
    assert exc.value.code == "invalid_input"
    assert exc.value.details["codes"][field] == code
    assert not FundSource.objects.exists()


def test_a_town_officer_cannot_record_sources_and_never_sees_other_regions(regions, users):
    assert (
        code_of(
            source_add,
            kind="other",
            year=2018,
            region_code=regions.town_a.code,
            amount="1",
            actor=users.town,
        )
        == "forbidden"
    )
    assert (
        code_of(
            source_add,
            kind="other",
            year=2018,
            region_code=regions.county.code,
            amount="1",
            actor=users.town,
        )
        == "not_found"
    )


# Allocations --------------------------------------------------------------------------------------


@pytest.fixture
def source(regions):
    return FundSourceFactory(region=regions.county, amount=D("1000.00"))


@pytest.fixture
def project(regions):
    return ProjectFactory(region=regions.village_a)


def allocate(source, project, amount, actor):
    return allocation_add(
        source_id=source.pk,
        project_id=project.pk,
        amount=amount,
        allocated_on=DAY,
        document_no="滕扶〔2018〕3号",
        actor=actor,
    )


def test_allocations_may_use_the_whole_source_but_not_a_cent_more(source, project, users):
    allocate(source, project, "600.00", users.county)
    allocate(source, project, "400.00", users.county)
    with pytest.raises(FupinError) as exc:
        allocate(source, project, "0.01", users.county)
    assert exc.value.code == "fund_overspent"
    assert exc.value.details["available"] == "0.00"
    assert Allocation.objects.count() == 2
    assert Event.objects.filter(verb="funds.allocated").count() == 2


def test_an_over_allocation_writes_nothing(source, project, users):
    allocate(source, project, "999.99", users.county)
    events = Event.objects.count()
    assert code_of(allocate, source=source, project=project, amount="0.02", actor=users.county) == (
        "fund_overspent"
    )
    assert Allocation.objects.count() == 1
    assert Allocation.history.count() == 1
    assert Event.objects.count() == events


def test_only_approved_projects_inside_the_source_region_receive_funds(regions, source, users):
    proposed = ProjectFactory(region=regions.village_a, status="proposed")
    assert code_of(allocate, source=source, project=proposed, amount="1", actor=users.county) == (
        "project_not_approved"
    )
    other_county = ProjectFactory(region=regions.village_c, status="building")
    assert (
        code_of(allocate, source=source, project=other_county, amount="1", actor=users.city)
        == "project_outside_source_region"
    )


def test_the_town_cannot_allocate_and_out_of_scope_is_not_found(regions, source, project, users):
    town_source = FundSourceFactory(region=regions.town_a)
    assert code_of(allocate, source=town_source, project=project, amount="1", actor=users.town) == (
        "forbidden"
    )
    assert code_of(allocate, source=source, project=project, amount="1", actor=users.town) == (
        "not_found"
    )
    assert code_of(
        allocate, source=town_source, project=project, amount="1", actor=users.town_b
    ) == ("not_found")


# Disbursements ------------------------------------------------------------------------------------


def pay(allocation, amount, voucher, actor, paid_on=dt.date(2018, 4, 1)):
    return disbursement_add(
        allocation_id=allocation.pk, amount=amount, voucher_no=voucher, paid_on=paid_on, actor=actor
    )


def test_disbursements_stay_within_the_allocation(source, project, users):
    allocation = allocate(source, project, "500.00", users.county)
    pay(allocation, "300.00", "记-001", users.town)
    pay(allocation, "200.00", "记-002", users.town)
    with pytest.raises(FupinError) as exc:
        pay(allocation, "0.01", "记-003", users.town)
    assert exc.value.code == "disbursement_exceeds_allocation"
    assert exc.value.details["available"] == "0.00"
    assert Disbursement.objects.count() == 2
    assert Disbursement.history.count() == 2


def test_every_disbursement_needs_its_voucher_once(source, project, users):
    allocation = allocate(source, project, "500.00", users.county)
    with pytest.raises(FupinError) as exc:
        pay(allocation, "10.00", "  ", users.town)
    assert exc.value.details["codes"] == {"voucher_no": "required"}
    pay(allocation, "10.00", "记-001", users.town)
    assert code_of(
        pay, allocation=allocation, amount="10.00", voucher="记-001", actor=users.town
    ) == ("voucher_duplicate")
    assert (
        code_of(
            pay,
            allocation=allocation,
            amount="10.00",
            voucher="记-002",
            actor=users.town,
            paid_on=dt.date(2018, 2, 1),
        )
        == "paid_before_allocated"
    )
    assert Disbursement.objects.count() == 1


def test_the_village_reads_but_does_not_pay(source, project, users):
    allocation = allocate(source, project, "500.00", users.county)
    assert code_of(pay, allocation=allocation, amount="1", voucher="x", actor=users.village) == (
        "forbidden"
    )
    assert code_of(pay, allocation=allocation, amount="1", voucher="x", actor=users.town_b) == (
        "not_found"
    )


# Balances -----------------------------------------------------------------------------------------


def test_balances_by_region_year_and_kind_add_up(regions, users):
    # given a county source and a town source in 2018, a county source in 2019
    county_2018 = FundSourceFactory(region=regions.county, amount=D("1000.00"), kind="integrated")
    town_2018 = FundSourceFactory(
        region=regions.town_a, amount=D("300.00"), kind="special", level="county"
    )
    FundSourceFactory(region=regions.county, amount=D("50.50"), kind="donation", year=2019)
    project_a = ProjectFactory(region=regions.village_a)
    project_b = ProjectFactory(region=regions.village_b)
    a1 = allocate(county_2018, project_a, "400.00", users.county)
    allocate(county_2018, project_b, "250.25", users.county)
    t1 = allocate(town_2018, project_a, "300.00", users.county)
    pay(a1, "100.10", "v1", users.town)
    pay(t1, "299.99", "v2", users.town)
    # when the county asks for its balances
    figures = fund_balances(user=users.county, region_code=regions.county.code)
    # then every breakdown adds up to the totals, to the cent
    assert {k: figures[k] for k in ("amount", "allocated", "disbursed", "balance")} == {
        "amount": D("1350.50"),
        "allocated": D("950.25"),
        "disbursed": D("400.09"),
        "balance": D("950.41"),
    }
    assert figures["unallocated"] == D("400.25")
    assert figures["undisbursed"] == D("550.16")
    assert figures["own"]["amount"] == D("1050.50")  # the county's own sources
    town_a = next(c for c in figures["children"] if c["region"] == regions.town_a.code)
    assert (town_a["amount"], town_a["allocated"], town_a["disbursed"]) == (
        D("300.00"),
        D("300.00"),
        D("299.99"),
    )
    for name in ("amount", "allocated", "disbursed", "balance"):
        assert figures["own"][name] + sum(c[name] for c in figures["children"]) == figures[name]
        assert sum(y[name] for y in figures["years"]) == figures[name]
        assert sum(k[name] for k in figures["kinds"]) == figures[name]
    assert [y["year"] for y in figures["years"]] == [2018, 2019]
    # and a year narrows it
    assert fund_balances(user=users.county, region_code=regions.county.code, year=2019)[
        "amount"
    ] == D("50.50")
    # and the town sees only its own sources
    assert fund_balances(user=users.town)["amount"] == D("300.00")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("500"), places=2), min_size=1, max_size=8
    )
)
def test_allocated_never_exceeds_the_source_whatever_is_asked(regions, users, amounts):
    source = FundSourceFactory(region=regions.county, amount=D("1000.00"))
    project = ProjectFactory(region=regions.village_a)
    accepted = D("0")
    for amount in amounts:
        try:
            allocate(source, project, amount, users.county)
            accepted += amount
        except FupinError as exc:
            assert exc.code == "fund_overspent"
            assert accepted + amount > source.amount
    allocated = Allocation.objects.filter(source=source).values_list("amount", flat=True)
    assert sum(allocated, D("0")) == accepted <= source.amount
    # whatever was refused would have overspent what was left at that moment
    assert all(accepted + a > source.amount for a in amounts if a not in allocated) or not (
        set(amounts) - set(allocated)
    )


# Concurrency -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_allocations_cannot_both_overspend(regions):
    county = UserFactory(role="county_officer", region=regions.county)
    source = FundSourceFactory(region=regions.county, amount=D("1000.00"))
    project = ProjectFactory(region=regions.village_a)
    outcomes = race(lambda: allocate(source, project, "600.00", county))
    assert outcomes == ["fund_overspent", "won"]
    assert Allocation.objects.get().amount == D("600.00")


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_disbursements_cannot_both_overpay(regions):
    county = UserFactory(role="county_officer", region=regions.county)
    town = UserFactory(role="town_officer", region=regions.town_a)
    source = FundSourceFactory(region=regions.county, amount=D("1000.00"))
    allocation = allocate(source, ProjectFactory(region=regions.village_a), "500.00", county)
    serial = iter(["v-1", "v-2"])
    lock = threading.Lock()

    def attempt():
        with lock:
            voucher = next(serial)
        pay(allocation, "300.00", voucher, town)

    assert race(attempt) == ["disbursement_exceeds_allocation", "won"]
    assert Disbursement.objects.get().amount == D("300.00")


# Microcredit --------------------------------------------------------------------------------------


@pytest.fixture
def household(regions):
    return HouseholdFactory(village=regions.village_a)


def lend(household, actor, **overrides):
    values = {
        "household_no": household.household_no,
        "bank": "滕州农商银行",
        "amount": "50000.00",
        "start_date": dt.date(2018, 1, 31),
        "term_months": 36,
        "rate": "0.0435",
        "subsidy_rate": "0.0435",
        "actor": actor,
    }
    return loan_add(**{**values, **overrides})


def test_a_loan_is_due_at_the_end_of_its_term(household, users):
    loan = lend(household, users.town, term_months=13)
    assert loan.due_date == dt.date(2019, 2, 28)  # 31 January + 13 months, the month's last day


def test_loan_limits_come_from_policy(household, users):
    assert code_of(lend, household=household, actor=users.town, amount="50000.01") == (
        "loan_over_limit"
    )
    assert code_of(lend, household=household, actor=users.town, term_months=37) == (
        "loan_term_too_long"
    )
    assert (
        code_of(
            lend, household=household, actor=users.town, subsidy_rate="0.01", subsidy_amount="10"
        )
        == "invalid_input"
    )
    assert code_of(lend, household=household, actor=users.village) == "forbidden"
    assert code_of(lend, household=household, actor=users.town_b) == "not_found"
    assert not Loan.objects.exists()


def test_repayments_settle_the_loan_and_never_exceed_the_principal(household, users):
    loan = lend(household, users.town, amount="10000.00")
    repayment_add(
        loan_id=loan.pk,
        paid_on=dt.date(2018, 12, 20),
        principal="0",
        interest="435.00",
        voucher_no="还-1",
        actor=users.town,
    )
    with pytest.raises(FupinError) as exc:
        repayment_add(
            loan_id=loan.pk,
            paid_on=dt.date(2019, 1, 5),
            principal="10000.01",
            voucher_no="还-2",
            actor=users.town,
        )
    assert exc.value.code == "repayment_exceeds_principal"
    assert (
        code_of(
            repayment_add,
            loan_id=loan.pk,
            paid_on=dt.date(2019, 1, 5),
            principal="1",
            voucher_no="",
            actor=users.town,
        )
        == "invalid_input"
    )
    repayment_add(
        loan_id=loan.pk,
        paid_on=dt.date(2021, 1, 31),
        principal="10000.00",
        interest="0",
        voucher_no="还-2",
        actor=users.town,
    )
    loan.refresh_from_db()
    assert (loan.status, loan.repaid_on) == ("repaid", dt.date(2021, 1, 31))
    assert Repayment.objects.count() == 2
    assert (
        code_of(
            repayment_add,
            loan_id=loan.pk,
            paid_on=dt.date(2021, 2, 1),
            principal="1",
            voucher_no="还-3",
            actor=users.town,
        )
        == "loan_settled"
    )


def test_a_loan_is_overdue_from_the_day_after_its_due_date(household, users):
    loan = lend(household, users.town, amount="20000.00", start_date=dt.date(2018, 3, 15))
    due = loan.due_date
    assert due == dt.date(2021, 3, 15)

    def overdue_on(day):
        listed = loan_list(user=users.town, overdue_on=day).filter(pk=loan.pk).exists()
        assert loan_is_overdue(loan=loan_get(user=users.town, loan_id=loan.pk), on=day) is listed
        return listed

    assert not overdue_on(due)
    assert overdue_on(due + dt.timedelta(days=1))
    # partly repaid is still overdue; fully repaid is not
    repayment_add(
        loan_id=loan.pk, paid_on=due, principal="19999.99", voucher_no="r1", actor=users.town
    )
    assert overdue_on(due + dt.timedelta(days=1))
    repayment_add(
        loan_id=loan.pk,
        paid_on=due + dt.timedelta(days=2),
        principal="0.01",
        voucher_no="r2",
        actor=users.town,
    )
    assert not overdue_on(due + dt.timedelta(days=3))


def test_grace_days_of_policy_move_the_overdue_boundary(household, users):
    from fupin.policy.services import policy_set

    policy_set(
        key="funds.loan_grace_days",
        value="10",
        region_code=None,
        valid_from=dt.date(2016, 1, 1),
        reason="测试",
    )
    loan = lend(household, users.town, start_date=dt.date(2018, 3, 15))
    due = loan.due_date
    listed = loan_list(user=users.town, overdue_on=due + dt.timedelta(days=10))
    assert not listed.exists()
    assert loan_list(user=users.town, overdue_on=due + dt.timedelta(days=11)).count() == 1


def test_a_loan_is_only_for_the_support_categories_policy_names(regions, users):
    """Issue 10, defect 13: a microcredit loan was accepted for an ordinary household."""
    from fupin.policy.services import policy_set

    ordinary = HouseholdFactory(village=regions.village_a, poverty_status="none")
    lifted = HouseholdFactory(village=regions.village_a, poverty_status="lifted")
    with pytest.raises(FupinError) as refused:
        lend(ordinary, users.town)
    assert refused.value.code == "loan_household_not_eligible"
    assert "帮扶类别" in str(refused.value.message)
    assert refused.value.details["category"] == "ordinary"
    assert code_of(lend, household=lifted, actor=users.town) == "loan_household_not_eligible"
    assert not Loan.objects.exists()
    policy_set(
        key="funds.loan_eligible_categories",
        region_code=regions.county.code,
        valid_from=dt.date(2016, 1, 1),
        value="not_lifted,monitored,lifted_supported,lifted",
        reason="县扶贫办：脱贫不享受政策户也可申请",
        actor=users.county,
    )
    assert lend(lifted, users.town).household == lifted
    assert code_of(lend, household=ordinary, actor=users.town) == "loan_household_not_eligible"
