import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import NotFound
from fupin.policy.services import policy_set
from fupin.registry.models import Household, HouseholdIncome
from fupin.registry.selectors import (
    HouseholdFilters,
    category_counts,
    household_get,
    household_incomes,
    household_list,
)
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory

CASES = [
    # (fields, category) — first match wins, in DOMAIN.md's order
    (
        {"poverty_status": "not_lifted", "monitoring_type": "unstable", "risk_state": "open"},
        "not_lifted",
    ),
    (
        {
            "poverty_status": "lifted",
            "policy_support": True,
            "monitoring_type": "unstable",
            "risk_state": "open",
        },
        "monitored",
    ),
    ({"poverty_status": "none", "monitoring_type": "edge", "risk_state": "open"}, "monitored"),
    (
        {
            "poverty_status": "lifted",
            "policy_support": True,
            "monitoring_type": "unstable",
            "risk_state": "eliminated",
        },
        "lifted_supported",
    ),
    ({"poverty_status": "lifted", "policy_support": False}, "lifted"),
    ({"poverty_status": "lifted", "policy_support": None}, "lifted"),
    (
        {"poverty_status": "none", "monitoring_type": "sudden", "risk_state": "eliminated"},
        "ordinary",
    ),
    ({"poverty_status": "none"}, "ordinary"),
    (
        {
            "poverty_status": "not_lifted",
            "removal_reason": "deceased",
            "removed_on": dt.date(2020, 1, 1),
        },
        "",
    ),
]


@pytest.mark.parametrize(("fields", "category"), CASES)
def test_support_category_in_python_and_in_sql_agree(regions, fields, category):
    household = HouseholdFactory(village=regions.village_a, **fields)
    assert household.support_category == category
    assert Household.objects.with_category().get(pk=household.pk).category == category
    for other in ["not_lifted", "monitored", "lifted_supported", "lifted", "ordinary"]:
        assert Household.objects.in_category(other).filter(pk=household.pk).exists() == (
            other == category
        )


def test_category_counts_are_scoped(regions):
    HouseholdFactory.create_batch(2, village=regions.village_a, poverty_status="not_lifted")
    HouseholdFactory(village=regions.village_b, poverty_status="not_lifted")
    HouseholdFactory(
        village=regions.village_a,
        poverty_status="none",
        removal_reason="moved",
        removed_on=dt.date(2020, 1, 1),
    )
    town_a = UserFactory(role="town_officer", region=regions.town_a)
    county = UserFactory(role="county_officer", region=regions.county)
    assert category_counts(user=town_a)["not_lifted"] == 2
    assert category_counts(user=town_a)["removed"] == 1
    assert category_counts(user=county)["not_lifted"] == 3


def test_list_search_by_name_id_or_number_stays_in_scope(regions):
    mine = PersonFactory(household__village=regions.village_a, name="王五")
    theirs = PersonFactory(household__village=regions.village_b, name="王五")
    officer = UserFactory(role="town_officer", region=regions.town_a)
    for q in ["王五", mine.id_number, mine.id_number.lower(), mine.household.household_no]:
        assert list(household_list(user=officer, filters=HouseholdFilters(q=q))) == [mine.household]
    assert not household_list(user=officer, filters=HouseholdFilters(q=theirs.id_number)).exists()
    with pytest.raises(NotFound):
        household_get(user=officer, household_no=theirs.household.household_no)


def test_per_capita_income_against_the_line(regions):
    household = HouseholdFactory(village=regions.village_a)
    PersonFactory(household=household, relation="head")
    PersonFactory(household=household, relation="spouse")
    PersonFactory(
        household=household, relation="son", left_on=dt.date(2019, 6, 1), left_reason="moved"
    )
    IncomeFactory(
        household=household, year=2019, wage=3000, business=2000, transfer=1500, production_cost=500
    )
    IncomeFactory(household=household, year=2018, size=3, wage=3000, business=0, transfer=1000)
    policy_set(
        key="poverty.line",
        value="3100",
        region_code=regions.county.code,
        valid_from=dt.date(2019, 1, 1),
        reason="测试",
    )
    years = {y.income.year: y for y in household_incomes(household=household)}
    # 2019: the son left in June, so two members at the year's end
    assert (years[2019].size, years[2019].net, years[2019].per_capita) == (
        2,
        Decimal("6000.00"),
        Decimal("3000.00"),
    )
    assert years[2019].line == Decimal("3100") and years[2019].below_line is True
    # 2018: the size given with the income wins
    assert (years[2018].size, years[2018].per_capita, years[2018].below_line) == (
        3,
        Decimal("1333.33"),
        True,
    )


def test_database_refuses_two_active_heads_and_duplicate_active_ids(regions):
    household = HouseholdFactory(village=regions.village_a)
    head = PersonFactory(household=household, relation="head")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(household=household, relation="head")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(household__village=regions.village_b, id_number=head.id_number)


def test_database_refuses_policy_support_without_lifted_status(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdFactory(
            village=regions.village_a, poverty_status="not_lifted", policy_support=True
        )


def test_database_refuses_income_sub_items_above_their_total(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeFactory(household__village=regions.village_a, wage=100, public_welfare_wage=200)


def test_changes_leave_field_history(regions):
    household = HouseholdFactory(village=regions.village_a, poverty_status="not_lifted")
    household.poverty_status = "lifted"
    household.save()
    latest, first = household.history.all()[:2]
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("poverty_status", "not_lifted", "lifted")
    ]


def test_exact_two_decimal_sub_items_equal_to_their_total_are_accepted(regions):
    income = IncomeFactory(
        household__village=regions.village_a,
        transfer=Decimal("0.30"),
        pension=Decimal("0.10"),
        dibao=Decimal("0.20"),
    )
    saved = HouseholdIncome.objects.get(pk=income.pk)
    assert (saved.transfer, saved.pension, saved.dibao) == (
        Decimal("0.30"),
        Decimal("0.10"),
        Decimal("0.20"),
    )
