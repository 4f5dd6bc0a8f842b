"""Plans from the registry and policy: draft, resolution, notice, effect, payments, the fund."""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.errors import Forbidden, FupinError, NotFound
from fupin.core.models import Event
from fupin.councils.tests.factories import council_with_members, resolution_adopted
from fupin.distribution.models import DistributionPlan, VillageFundEntry
from fupin.distribution.selectors import (
    distributed_by_region,
    fund_entries,
    household_received,
    village_fund_balance,
)
from fupin.distribution.services import (
    fund_entry_add,
    plan_cancel,
    plan_draft,
    plan_notice,
    plan_pay,
    plan_resolve,
    plan_take_effect,
)
from fupin.distribution.tests.conftest import YEAR, household
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import IncomeFactory

D = Decimal
pytestmark = pytest.mark.django_db


def amounts(plan):
    return {
        line.household.household_no: str(line.amount)
        for line in plan.lines.select_related("household").order_by("household__household_no")
    }


def test_a_draft_applies_the_rule_to_the_villages_eligible_households_and_the_years_policy(
    village,
):
    # Policy of 2020 (shipped, illustrative): L 3609, C 5400, weights 1 / 1 / 0.6, shares 0.2 and
    # 0.1. B 10000: welfare 2000, fund 1000, R 7000. Step 1: HA1 2·1109 = 2218, HA2 609, HA3 none.
    # R2 4173 < headroom 3582 + 1791 + 4200, λ = 4173 / (2 + 1 + 1.8) = 869.375: HA1 + 1738.75,
    # HA2 + 869.375, HA3 + 1564.875. HA2 1478.375 and HA3 1564.875 tie on half a cent: the missing
    # cent goes to the smaller number, HA2.
    plan, result = plan_draft(
        village_code=village.code, year=YEAR, amount="10000", actor=village.village_officer
    )
    assert amounts(plan) == {"HA1": "3956.75", "HA2": "1478.38", "HA3": "1564.87"}
    assert (plan.welfare_pool, plan.fund_direct, plan.village_fund, plan.households_total) == (
        D("2000.00"),
        D("1000.00"),
        D("1000.00"),
        D("7000.00"),
    )
    assert plan.households == 3
    assert plan.status == "draft"
    assert plan.parameters["line"] == "3609.00"
    assert plan.parameters["weights"] == {
        "not_lifted": "1",
        "monitored": "1",
        "lifted_supported": "0.6",
    }
    assert plan.parameters["multiplier"] == "869.3750"
    line = plan.lines.get(household=village.homes["HA3"])
    assert (line.category, line.size, line.per_capita_income) == (
        "lifted_supported",
        3,
        D("4000.00"),
    )
    assert plan.lines.model.history.filter(plan_id=plan.pk).count() == 3
    assert Event.objects.filter(verb="distribution.plan_drafted").count() == 1


def test_policy_of_the_village_decides_the_rule(village):
    policy_set(
        key="distribution.weights",
        value="not_lifted=1",
        region_code=village.regions.town_a.code,
        valid_from=dt.date(2020, 1, 1),
        reason="本镇只分配给未脱贫户",
        actor=None,
    )
    plan, _result = plan_draft(
        village_code=village.code, year=YEAR, amount="1000", actor=village.town_officer
    )
    assert amounts(plan) == {"HA1": "700.00"}


def test_one_live_plan_per_village_and_year(village):
    plan, _ = plan_draft(village_code=village.code, year=YEAR, amount="100", actor=None)
    with pytest.raises(FupinError) as exc:
        plan_draft(village_code=village.code, year=YEAR, amount="100", actor=None)
    assert exc.value.code == "plan_exists"
    plan_cancel(plan=plan, reason="金额有误", actor=village.village_officer)
    again, _ = plan_draft(village_code=village.code, year=YEAR, amount="200", actor=None)
    assert DistributionPlan.objects.get(pk=plan.pk).status == "cancelled"
    assert again.amount == D("200.00")


def test_an_eligible_household_without_the_years_income_is_refused(village):
    household("HA7", "monitored", 2, 0, village.regions.village_a, income=False)
    with pytest.raises(FupinError) as exc:
        plan_draft(village_code=village.code, year=YEAR, amount="100", actor=None)
    assert exc.value.code == "income_missing"
    assert exc.value.details["households"] == ["HA7"]
    assert not DistributionPlan.objects.exists()


def test_the_recorded_size_of_the_year_wins_over_the_members(village):
    income = village.homes["HA1"].incomes.get()
    income.size = 4
    income.save()
    plan, _ = plan_draft(village_code=village.code, year=YEAR, amount="10000", actor=None)
    line = plan.lines.get(household=village.homes["HA1"])
    assert (line.size, line.per_capita_income) == (4, D("1250.00"))


@pytest.mark.parametrize(
    ("code", "amount", "error"),
    [
        ("370481102201", "100", "not_found"),  # village B, outside the officer's scope
        ("370481101000", "100", "not_a_village"),  # the town itself
        ("370481101201", "-5", "amount_negative"),
        ("370481101201", "5.555", "money_precision"),
    ],
)
def test_bad_drafts_are_refused(village, code, amount, error):
    with pytest.raises(FupinError) as exc:
        plan_draft(village_code=code, year=YEAR, amount=amount, actor=village.town_officer)
    assert exc.value.code == error


def test_who_may_draft(village):
    with pytest.raises(NotFound):
        plan_draft(
            village_code=village.code, year=YEAR, amount="1", actor=village.other_village_officer
        )
    with pytest.raises(Forbidden):
        plan_draft(village_code=village.code, year=YEAR, amount="1", actor=village.cadre)
    with pytest.raises(Forbidden):
        plan_draft(village_code=village.code, year=YEAR, amount="1", actor=village.county_officer)


@pytest.fixture
def draft(village):
    plan, _ = plan_draft(
        village_code=village.code, year=YEAR, amount="10000", actor=village.village_officer
    )
    return plan


def test_the_whole_life_of_a_plan(village, draft):
    officer, town = village.village_officer, village.town_officer
    plan = plan_resolve(plan=draft, resolution_id=village.resolution.pk, actor=officer)
    assert plan.status == "resolved"
    plan = plan_notice(plan=plan, started_on=dt.date(2021, 3, 2), actor=officer)
    assert (plan.status, plan.notice_ends_on) == ("noticed", dt.date(2021, 3, 8))  # 7 days
    with pytest.raises(FupinError) as exc:
        plan_take_effect(plan=plan, on=dt.date(2021, 3, 8), actor=town)
    assert exc.value.code == "notice_running"
    with pytest.raises(Forbidden):
        plan_take_effect(plan=plan, on=dt.date(2021, 3, 9), actor=officer)
    plan = plan_take_effect(plan=plan, on=dt.date(2021, 3, 9), actor=town, voucher_no="记-01")
    assert (plan.status, plan.effective_on) == ("effective", dt.date(2021, 3, 9))
    entry = VillageFundEntry.objects.get(plan=plan)
    assert (entry.kind, entry.amount, entry.date, entry.village_id) == (
        "in",
        D("1000.00"),
        dt.date(2021, 3, 9),
        village.code,
    )
    with pytest.raises(FupinError) as exc:
        plan_cancel(plan=plan, reason="x", actor=officer)
    assert exc.value.code == "invalid_transition"

    assert (
        plan_pay(
            plan=plan,
            paid_on=dt.date(2021, 3, 10),
            voucher_no="付-1",
            actor=town,
            household_nos=["HA2"],
        )
        == 1
    )
    plan.refresh_from_db()
    assert plan.status == "effective"
    with pytest.raises(FupinError) as exc:
        plan_pay(
            plan=plan,
            paid_on=dt.date(2021, 3, 11),
            voucher_no="付-2",
            actor=town,
            household_nos=["HA2"],
        )
    assert exc.value.code == "line_paid"
    with pytest.raises(FupinError) as exc:
        plan_pay(
            plan=plan,
            paid_on=dt.date(2021, 3, 11),
            voucher_no="付-2",
            actor=town,
            household_nos=["HA4"],
        )
    assert exc.value.code == "line_not_found"
    assert plan_pay(plan=plan, paid_on=dt.date(2021, 3, 12), voucher_no="付-2", actor=town) == 2
    plan.refresh_from_db()
    assert (plan.status, plan.paid_on) == ("paid", dt.date(2021, 3, 12))
    line = plan.lines.get(household=village.homes["HA2"])
    assert (line.paid, line.paid_on, line.voucher_no) == (True, dt.date(2021, 3, 10), "付-1")
    verbs = list(
        Event.objects.filter(verb__startswith="distribution.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "distribution.plan_drafted",
        "distribution.plan_resolved",
        "distribution.plan_noticed",
        "distribution.plan_effective",
        "distribution.lines_paid",
        "distribution.lines_paid",
    ]
    # What the household received, and the figures of the three-assets ledger.
    assert [
        (line.plan.year, line.amount) for line in household_received(household=village.homes["HA1"])
    ] == [(YEAR, D("3956.75"))]
    assert distributed_by_region(
        region_code=village.regions.town_a.code,
        start=dt.date(2021, 1, 1),
        end=dt.date(2021, 12, 31),
    ) == {"households": D("7000.00"), "welfare": D("2000.00"), "village_fund": D("1000.00")}
    assert village_fund_balance(region_code=village.code, on=dt.date(2021, 3, 9)) == D("1000.00")


def test_a_plan_needs_an_adopted_resolution_of_its_village_and_kind(village, draft):
    officer = village.village_officer
    other = resolution_adopted(council_with_members(village.regions.village_b), "distribution_plan")
    disposal = resolution_adopted(village.council, "disposal")
    for resolution_id, code in [
        (None, "resolution_required"),
        (999999, "resolution_required"),
        (other.pk, "resolution_required"),  # another village's reads like absent
        (disposal.pk, "resolution_mismatch"),
    ]:
        with pytest.raises(FupinError) as exc:
            plan_resolve(plan=draft, resolution_id=resolution_id, actor=officer)
        assert exc.value.code == code
    plan_resolve(plan=draft, resolution_id=village.resolution.pk, actor=officer)
    with pytest.raises(FupinError) as exc:
        plan_notice(plan=draft, started_on=dt.date(2021, 2, 28), actor=officer)
    assert exc.value.code == "notice_before_resolution"


def test_a_resolution_adopts_one_plan(village, draft):
    plan_resolve(plan=draft, resolution_id=village.resolution.pk, actor=None)
    for no in ("HA1", "HA2", "HA3"):
        IncomeFactory(household=village.homes[no], year=YEAR - 1, wage=1000, business=0, transfer=0)
    earlier, _ = plan_draft(village_code=village.code, year=YEAR - 1, amount="50", actor=None)
    with pytest.raises(FupinError) as exc:
        plan_resolve(plan=earlier, resolution_id=village.resolution.pk, actor=None)
    assert exc.value.code == "resolution_used"
    # A cancelled plan no longer holds its resolution.
    plan_cancel(plan=draft, reason="重新制定", actor=None)
    assert plan_resolve(plan=earlier, resolution_id=village.resolution.pk, actor=None).status == (
        "resolved"
    )


def test_steps_out_of_order_are_refused(village, draft):
    with pytest.raises(FupinError) as exc:
        plan_notice(plan=draft, started_on=dt.date(2021, 3, 2), actor=None)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(FupinError) as exc:
        plan_pay(plan=draft, paid_on=dt.date(2021, 3, 2), voucher_no="1", actor=None)
    assert exc.value.code == "plan_not_effective"
    with pytest.raises(FupinError) as exc:
        plan_cancel(plan=draft, reason=" ", actor=None)
    assert exc.value.code == "invalid_input"


def test_payments_need_a_voucher_and_a_date_after_the_effect(village, draft):
    plan_resolve(plan=draft, resolution_id=village.resolution.pk, actor=None)
    plan_notice(plan=draft, started_on=dt.date(2021, 3, 2), actor=None)
    plan_take_effect(plan=draft, on=dt.date(2021, 3, 20), actor=None)
    with pytest.raises(FupinError) as exc:
        plan_pay(plan=draft, paid_on=dt.date(2021, 3, 19), voucher_no=" ", actor=None)
    assert exc.value.code == "invalid_input"
    assert set(exc.value.details["fields"]) == {"paid_on", "voucher_no"}


def test_a_plan_with_nothing_for_households_is_paid_when_it_takes_effect(village):
    plan, _ = plan_draft(village_code=village.code, year=YEAR, amount="0", actor=None)
    assert set(amounts(plan).values()) == {"0.00"}
    plan_resolve(plan=plan, resolution_id=village.resolution.pk, actor=None)
    plan_notice(plan=plan, started_on=dt.date(2021, 3, 2), actor=None)
    plan = plan_take_effect(plan=plan, on=dt.date(2021, 3, 20), actor=None)
    assert (plan.status, plan.paid_on) == ("paid", dt.date(2021, 3, 20))
    assert not VillageFundEntry.objects.exists()


def test_the_village_fund_ledger_never_goes_below_zero(village):
    town = village.town_officer
    fund_entry_add(
        village_code=village.code,
        date=dt.date(2021, 1, 1),
        kind="in",
        amount="300",
        reason="上年结转",
        actor=town,
    )
    fund_entry_add(
        village_code=village.code,
        date=dt.date(2021, 2, 1),
        kind="out",
        amount="120.50",
        reason="修缮村道",
        voucher_no="付-9",
        actor=town,
    )
    with pytest.raises(FupinError) as exc:
        fund_entry_add(
            village_code=village.code,
            date=dt.date(2021, 1, 15),
            kind="out",
            amount="200",
            reason="提前支出",
            voucher_no="付-10",
            actor=town,
        )
    assert exc.value.code == "fund_overdrawn"
    with pytest.raises(FupinError) as exc:
        fund_entry_add(
            village_code=village.code,
            date=dt.date(2021, 3, 1),
            kind="out",
            amount="0",
            reason="",
            actor=town,
        )
    assert set(exc.value.details["fields"]) == {"amount", "reason", "voucher_no"}
    with pytest.raises(Forbidden):
        fund_entry_add(
            village_code=village.code,
            date=dt.date(2021, 3, 1),
            kind="in",
            amount="1",
            reason="x",
            actor=village.village_officer,
        )
    rows, balance = fund_entries(user=town, village_code=village.code)
    assert [row["balance"] for row in rows] == [D("300.00"), D("179.50")]
    assert balance == D("179.50")
