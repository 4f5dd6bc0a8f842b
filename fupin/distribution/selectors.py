"""Reads of the income distribution: plans, lines, the village fund, figures for other apps."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from fupin.core.errors import Forbidden
from fupin.distribution import choices as c
from fupin.distribution.models import (
    ZERO,
    DistributionLine,
    DistributionPlan,
    VillageFundEntry,
)
from fupin.regions.codes import prefix_of
from fupin.regions.selectors import region_get

VIEW = "distribution.view_distributionplan"
DRAFT = "distribution.draft_plan"
PAY = "distribution.pay_plan"
KEEP_FUND = "distribution.add_villagefundentry"
VIEW_FUND = "distribution.view_villagefundentry"
EPOCH = dt.date(1900, 1, 1)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def distributed_by_region(*, region_code: str, start: dt.date, end: dt.date) -> dict:
    """Return the totals of the plans under a region that took effect between start and end.

    {"households": paid to households, "welfare": public-welfare pools, "village_fund": put in
    the village funds}, Decimal yuan; a plan counts from the day it took effect (docs/decisions/0024).
    """
    totals = DistributionPlan.objects.filter(
        village__code__startswith=prefix_of(region_code),
        status__in=c.IN_EFFECT,
        effective_on__range=(start, end),
    ).aggregate(
        households=Coalesce(Sum("households_total"), ZERO),
        welfare=Coalesce(Sum("welfare_pool"), ZERO),
        village_fund=Coalesce(Sum("village_fund"), ZERO),
    )
    return {key: _money(value) for key, value in totals.items()}


def village_fund_balance(*, region_code: str, on: dt.date) -> Decimal:
    """Return the balance of the village funds under a region at the end of a day (in − out)."""
    totals = VillageFundEntry.objects.filter(
        village__code__startswith=prefix_of(region_code), date__lte=on
    ).aggregate(
        money_in=Coalesce(Sum("amount", filter=Q(kind=c.FundEntryKind.IN)), ZERO),
        money_out=Coalesce(Sum("amount", filter=Q(kind=c.FundEntryKind.OUT)), ZERO),
    )
    return _money(totals["money_in"]) - _money(totals["money_out"])


def ledger_distribution(*, region_code: str, start: dt.date, end: dt.date) -> dict:
    """Return what the plans under a region gave out before and within a period, and the village
    funds' balance at its end, for the three-assets ledger (the assets app's extension point).

    {"before", "households", "welfare", "village_fund", "fund"}, Decimal yuan.
    """
    before = distributed_by_region(
        region_code=region_code, start=EPOCH, end=start - dt.timedelta(days=1)
    )
    within = distributed_by_region(region_code=region_code, start=start, end=end)
    return {
        "before": sum(before.values(), ZERO),
        "households": within["households"],
        "welfare": within["welfare"],
        "village_fund": within["village_fund"],
        "fund": village_fund_balance(region_code=region_code, on=end),
    }


def plans_of_income(*, user, village_codes: list[str], years: list[int]) -> list[DistributionPlan]:
    """Return the plans, not cancelled, of the villages for the years that the user may see: where
    a project's income went, on its file (the assets app's extension point)."""
    if not user.has_perm(VIEW):
        return []
    return list(
        DistributionPlan.objects.restrict(user)
        .filter(village__in=village_codes, year__in=years)
        .exclude(status=c.PlanStatus.CANCELLED)
        .select_related("village")
        .order_by("year", "village_id")
    )


def plan_list(*, user, region_code: str = "", year: int | None = None) -> QuerySet:
    """Return the plans the user may see, newest first, optionally under a region and of a year.

    A region outside the user's scope raises NotFound.
    """
    plans = DistributionPlan.objects.restrict(user).select_related("village")
    if region_code:
        plans = plans.filter(
            village__code__startswith=region_get(user=user, code=region_code).prefix
        )
    if year:
        plans = plans.filter(year=year)
    return plans.order_by("-year", "village_id", "-id")


def plan_get(*, user, plan_id: int) -> DistributionPlan:
    """Return a plan in the user's scope, or raise NotFound."""
    return DistributionPlan.objects.select_related(
        "village", "resolution__meeting", "created_by"
    ).get_restricted(user, pk=plan_id)


def plan_lines(*, plan: DistributionPlan) -> QuerySet:
    """Return the plan's lines in household order, with the household."""
    return plan.lines.select_related("household").order_by("household__household_no")


def fund_entries(*, user, village_code: str) -> tuple[list[dict], Decimal]:
    """Return a village's fund entries in date order with the running balance, and the balance.

    A village outside the user's scope raises NotFound.
    """
    region_get(user=user, code=village_code)
    if not user.has_perm(VIEW_FUND):
        raise Forbidden(details={"what": "village_fund"})
    entries = (
        VillageFundEntry.objects.restrict(user)
        .filter(village_id=village_code)
        .select_related("plan")
        .order_by("date", "id")
    )
    rows, balance = [], ZERO
    for entry in entries:
        balance += entry.amount if entry.kind == c.FundEntryKind.IN else -entry.amount
        rows.append({"entry": entry, "balance": balance})
    return rows, balance


def fund_balances(*, user, region_code: str = "") -> list[dict]:
    """Return each village fund in the user's scope with entries: village, in, out and balance."""
    entries = VillageFundEntry.objects.restrict(user)
    if region_code:
        entries = entries.filter(village__code__startswith=prefix_of(region_code))
    rows = (
        entries.values("village_id", "village__name")
        .annotate(
            money_in=Coalesce(Sum("amount", filter=Q(kind=c.FundEntryKind.IN)), ZERO),
            money_out=Coalesce(Sum("amount", filter=Q(kind=c.FundEntryKind.OUT)), ZERO),
        )
        .order_by("village_id")
    )
    return [
        {
            "village_code": row["village_id"],
            "village_name": row["village__name"],
            "money_in": _money(row["money_in"]),
            "money_out": _money(row["money_out"]),
            "balance": _money(row["money_in"]) - _money(row["money_out"]),
        }
        for row in rows
    ]


def household_received(*, household) -> list[DistributionLine]:
    """Return what a household was allotted by plans in effect, by year (newest first)."""
    return list(
        DistributionLine.objects.filter(household=household, plan__status__in=c.IN_EFFECT)
        .select_related("plan")
        .order_by("-plan__year", "-plan_id")
    )
