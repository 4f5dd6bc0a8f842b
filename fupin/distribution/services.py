"""Writes of the income distribution: draft a plan from the registry and policy, move it, pay it."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fupin.core.bulk import history_bulk_record
from fupin.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.distribution import choices as c
from fupin.distribution import rule
from fupin.distribution.models import (
    ZERO,
    DistributionLine,
    DistributionPlan,
    VillageFundEntry,
)
from fupin.distribution.planfile import coded, parameters_parse
from fupin.distribution.selectors import DRAFT, KEEP_FUND, PAY
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.models import Household, Person

RULE_KEYS = {
    "line": "distribution.line",
    "cap": "distribution.cap",
    "weights": "distribution.weights",
    "welfare_share": "distribution.welfare_share",
    "fund_share": "distribution.fund_share",
}
NOTICE_DAYS_KEY = "distribution.notice_days"
RESOLUTION_KINDS = frozenset({"distribution_plan"})
CENT = Decimal("0.01")


def _need(actor, perm: str, region_code: str, message) -> None:
    """Refuse an actor without the permission on the region (a system run may do anything)."""
    if actor is not None and not actor.has_perm(perm, Region(code=region_code)):
        raise Forbidden(message, {"region": region_code})


def _village(code: str, actor) -> Region:
    village = Region.objects.filter(code=code).first()
    prefix = actor.scope_prefix if actor is not None else ""
    if village is None or prefix is None or not code.startswith(prefix):
        raise NotFound("region", {"code": code})
    if village.level != Level.VILLAGE:
        raise Refused("not_a_village", _("收益分配方案只能按村制定"), {"village": code})
    return village


def _move(plan: DistributionPlan, target: str, actor) -> str:
    """Check a move of the plan along TRANSITIONS by the actor; return the status it leaves."""
    transition_check(
        c.TRANSITIONS,
        plan.status,
        target,
        role=role_of(actor),
        message=_("分配方案当前状态不能进行此操作"),
    )
    return plan.status


def _locked(plan: DistributionPlan) -> DistributionPlan:
    return DistributionPlan.objects.select_for_update().get(pk=plan.pk)


def plan_parameters(*, village_code: str, year: int, amount) -> rule.Parameters:
    """Return the rule's parameters: the amount and the policy in force at the end of the year."""
    on = dt.date(year, 12, 31)
    values = {
        name: policy_get(key, region_code=village_code, on=on) for name, key in RULE_KEYS.items()
    }
    return parameters_parse(amount=amount, **values)


def registry_households(*, village_code: str, year: int, categories) -> list[rule.Household]:
    """Return the village's households of the categories with their size and income of the year.

    Size is the year's recorded household size, else the members at the year's end; per-capita
    net income is net / size rounded half-up to the fen (as the household file shows it). A
    household without an income record of the year is refused (`income_missing`).
    """
    end = dt.date(year, 12, 31)
    members = (
        Person.objects.filter(household=OuterRef("pk"))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Household.objects.filter(village_id=village_code)
        .with_category()
        .filter(category__in=list(categories))
        .annotate(
            income=FilteredRelation("incomes", condition=Q(incomes__year=year)),
            members_at_end=Coalesce(Subquery(members), 0),
        )
        .order_by("household_no")
        .values_list(
            "household_no",
            "category",
            "members_at_end",
            "income__id",
            "income__size",
            "income__wage",
            "income__business",
            "income__property_income",
            "income__transfer",
            "income__production_cost",
        )
    )
    households, missing = [], []
    for no, category, members_n, income_id, size, wage, business, prop, transfer, cost in rows:
        if income_id is None:
            missing.append(no)
            continue
        size = size or members_n
        net = wage + business + prop + transfer - cost
        # A household with no member left is refused by the rule (size_invalid), not divided by 0.
        per_capita = (net / size).quantize(CENT, ROUND_HALF_UP) if size else ZERO
        households.append(rule.Household(no, category, size, per_capita))
    if missing:
        raise Refused(
            "income_missing",
            _("以下农户没有该年度的收入数据，不能制定分配方案"),
            {
                "village": village_code,
                "year": year,
                "households": missing[:50],
                "count": len(missing),
            },
        )
    return households


def _fraction_text(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001")))


@transaction.atomic
def plan_draft(
    *, village_code: str, year: int, amount, actor
) -> tuple[DistributionPlan, rule.Result]:
    """Draft a village's plan of a year from the registry and policy (one live plan a year)."""
    village = _village(village_code, actor)
    _need(actor, DRAFT, village.code, _("您不能为该村制定收益分配方案"))
    if (
        DistributionPlan.objects.filter(village=village, year=year)
        .exclude(status=c.PlanStatus.CANCELLED)
        .exists()
    ):
        raise Conflict(
            "plan_exists",
            _("该村该年度已有收益分配方案（作废后才能重新制定）"),
            {"village": village.code, "year": year},
        )
    params = plan_parameters(village_code=village.code, year=year, amount=amount)
    households = registry_households(
        village_code=village.code, year=year, categories=params.weights.keys()
    )
    try:
        result = rule.distribute(params, households)
    except rule.RuleError as exc:
        raise coded(exc) from exc
    plan = DistributionPlan(
        village=village,
        year=year,
        amount=params.amount,
        parameters={
            **params.as_dict(),
            "level": _fraction_text(result.level),
            "multiplier": _fraction_text(result.multiplier),
        },
        welfare_pool=result.welfare_pool,
        fund_direct=result.fund_direct,
        village_fund=result.village_fund,
        households_total=result.households_total,
        households=len(result.amounts),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    history_attribute(plan, actor)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # another draft of the same village and year won the race
        raise Conflict(
            "plan_exists",
            _("该村该年度已有收益分配方案（作废后才能重新制定）"),
            {"village": village.code, "year": year},
        ) from None
    ids = dict(
        Household.objects.filter(household_no__in=list(result.amounts)).values_list(
            "household_no", "pk"
        )
    )
    DistributionLine.objects.bulk_create(
        [
            DistributionLine(
                plan=plan,
                household_id=ids[h.household_no],
                category=h.category,
                size=h.size,
                per_capita_income=h.per_capita_income,
                amount=result.amounts[h.household_no],
            )
            for h in households
            if h.household_no in result.amounts
        ],
        batch_size=1000,
    )
    history_bulk_record(queryset=plan.lines.all(), history_type="+", actor=actor)
    event_record(
        actor=actor,
        verb="distribution.plan_drafted",
        obj=plan,
        data={"year": year, "amount": str(plan.amount), **result.summary()},
    )
    return plan, result


@transaction.atomic
def plan_resolve(*, plan: DistributionPlan, resolution_id: int | None, actor) -> DistributionPlan:
    """Record the council resolution that adopts the draft (理事会决议)."""
    from fupin.councils.selectors import resolution_require

    plan = _locked(plan)
    _need(actor, DRAFT, plan.village_id, _("您不能登记该村的理事会决议"))
    before = _move(plan, c.PlanStatus.RESOLVED, actor)
    resolution = resolution_require(
        resolution_id=resolution_id, village_code=plan.village_id, kinds=RESOLUTION_KINDS
    )
    used = (
        DistributionPlan.objects.filter(resolution=resolution)
        .exclude(status=c.PlanStatus.CANCELLED)
        .exclude(pk=plan.pk)
    )
    if used.exists():
        raise Conflict(
            "resolution_used",
            _("该决议已用于另一分配方案"),
            {"resolution": resolution.pk},
        )
    plan.resolution = resolution
    plan.status = c.PlanStatus.RESOLVED
    history_attribute(plan, actor)
    plan.save(update_fields=["resolution", "status"])
    event_record(
        actor=actor,
        verb="distribution.plan_resolved",
        obj=plan,
        data={"from": before, "resolution": resolution.pk},
    )
    return plan


@transaction.atomic
def plan_notice(*, plan: DistributionPlan, started_on: dt.date, actor) -> DistributionPlan:
    """Post the plan's public notice (公示) from a date; it ends after the policy's days."""
    plan = _locked(plan)
    _need(actor, DRAFT, plan.village_id, _("您不能公示该村的分配方案"))
    before = _move(plan, c.PlanStatus.NOTICED, actor)
    adopted_on = plan.resolution.adopted_on
    if started_on < adopted_on:
        raise Refused(
            "notice_before_resolution",
            _("公示不能早于理事会决议日期"),
            {"fields": {"started_on": _("不能早于 %(date)s") % {"date": adopted_on}}},
        )
    days = policy_get(NOTICE_DAYS_KEY, region_code=plan.village_id, on=started_on)
    plan.notice_started_on = started_on
    plan.notice_ends_on = started_on + dt.timedelta(days=int(days) - 1)
    plan.status = c.PlanStatus.NOTICED
    history_attribute(plan, actor)
    plan.save(update_fields=["notice_started_on", "notice_ends_on", "status"])
    event_record(
        actor=actor,
        verb="distribution.plan_noticed",
        obj=plan,
        data={"from": before, "started_on": started_on.isoformat(), "days": int(days)},
    )
    return plan


@transaction.atomic
def plan_take_effect(
    *, plan: DistributionPlan, on: dt.date, actor, voucher_no: str = ""
) -> DistributionPlan:
    """Put the plan in effect after its notice: the village fund receives its share that day."""
    plan = _locked(plan)
    _need(actor, PAY, plan.village_id, _("您不能确认该村分配方案生效"))
    before = _move(plan, c.PlanStatus.EFFECTIVE, actor)
    if on <= plan.notice_ends_on:
        raise Conflict(
            "notice_running",
            _("公示期未满，方案不能生效"),
            {"notice_ends_on": plan.notice_ends_on.isoformat(), "on": on.isoformat()},
        )
    plan.status = c.PlanStatus.EFFECTIVE
    plan.effective_on = on
    if not plan.lines.filter(amount__gt=0).exists():
        _move(plan, c.PlanStatus.PAID, actor)
        plan.status = c.PlanStatus.PAID
        plan.paid_on = on
    history_attribute(plan, actor)
    plan.save(update_fields=["status", "effective_on", "paid_on"])
    if plan.village_fund > 0:
        entry = VillageFundEntry(
            village_id=plan.village_id,
            date=on,
            kind=c.FundEntryKind.IN,
            amount=plan.village_fund,
            reason=_("%(year)s 年度收益分配转入") % {"year": plan.year},
            plan=plan,
            voucher_no=voucher_no.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        history_attribute(entry, actor)
        entry.save()
    event_record(
        actor=actor,
        verb="distribution.plan_effective",
        obj=plan,
        data={"from": before, "on": on.isoformat(), "village_fund": str(plan.village_fund)},
    )
    return plan


@transaction.atomic
def plan_cancel(*, plan: DistributionPlan, reason: str, actor) -> DistributionPlan:
    """Cancel a plan not yet in effect (it is kept, marked cancelled, with the reason)."""
    plan = _locked(plan)
    _need(actor, DRAFT, plan.village_id, _("您不能作废该村的分配方案"))
    before = _move(plan, c.PlanStatus.CANCELLED, actor)
    if not reason.strip():
        raise InvalidInput({"reason": _("必填")}, message=_("请填写作废原因"))
    plan.status = c.PlanStatus.CANCELLED
    plan.cancel_reason = reason.strip()[:200]
    history_attribute(plan, actor, plan.cancel_reason)
    plan.save(update_fields=["status", "cancel_reason"])
    event_record(
        actor=actor,
        verb="distribution.plan_cancelled",
        obj=plan,
        reason=plan.cancel_reason,
        data={"from": before},
    )
    return plan


@transaction.atomic
def plan_pay(
    *,
    plan: DistributionPlan,
    paid_on: dt.date,
    voucher_no: str,
    actor,
    household_nos: list[str] | None = None,
) -> int:
    """Record the payment of the plan's unpaid lines (or of the listed households) with a voucher.

    When every line with money is paid the plan is paid. Returns the number of lines paid.
    """
    plan = _locked(plan)
    _need(actor, PAY, plan.village_id, _("您不能登记该村的分配发放"))
    if plan.status != c.PlanStatus.EFFECTIVE:
        raise Conflict(
            "plan_not_effective",
            _("分配方案生效后才能登记发放"),
            {"status": plan.status},
        )
    voucher_no = voucher_no.strip()
    problems = {}
    if not voucher_no:
        problems["voucher_no"] = _("必填")
    if paid_on < plan.effective_on:
        problems["paid_on"] = _("不能早于方案生效日期 %(date)s") % {"date": plan.effective_on}
    if problems:
        raise InvalidInput(problems, message=_("发放信息不完整"))
    lines = plan.lines.filter(amount__gt=0)
    if household_nos is not None:
        wanted = set(household_nos)
        found = dict(
            lines.filter(household__household_no__in=wanted).values_list(
                "household__household_no", "paid"
            )
        )
        unknown = sorted(wanted - found.keys())
        if unknown:
            raise Refused(
                "line_not_found",
                _("这些农户不在本方案的应发名单中"),
                {"households": unknown},
            )
        paid = sorted(no for no, done in found.items() if done)
        if paid:
            raise Conflict("line_paid", _("这些农户已登记发放"), {"households": paid})
        lines = lines.filter(household__household_no__in=wanted)
    pending = lines.filter(paid=False)
    ids = list(pending.values_list("pk", flat=True))
    count = DistributionLine.objects.filter(pk__in=ids).update(
        paid=True, paid_on=paid_on, voucher_no=voucher_no
    )
    if count:
        history_bulk_record(
            queryset=DistributionLine.objects.filter(pk__in=ids), history_type="~", actor=actor
        )
    if not plan.lines.filter(amount__gt=0, paid=False).exists():
        _move(plan, c.PlanStatus.PAID, actor)
        plan.status = c.PlanStatus.PAID
        plan.paid_on = max(
            plan.lines.filter(paid=True).values_list("paid_on", flat=True), default=paid_on
        )
        history_attribute(plan, actor)
        plan.save(update_fields=["status", "paid_on"])
    event_record(
        actor=actor,
        verb="distribution.lines_paid",
        obj=plan,
        data={"lines": count, "paid_on": paid_on.isoformat(), "voucher_no": voucher_no},
    )
    return count


@transaction.atomic
def fund_entry_add(
    *,
    village_code: str,
    date: dt.date,
    kind: str,
    amount,
    reason: str,
    actor,
    voucher_no: str = "",
) -> VillageFundEntry:
    """Record money in or out of a village's poverty fund; the balance never goes below zero."""
    village = _village(village_code, actor)
    _need(actor, KEEP_FUND, village.code, _("您不能登记该村扶贫基金收支"))
    problems = {}
    if kind not in c.FundEntryKind.values:
        problems["kind"] = _("收支类型不正确")
    try:
        amount = rule.parse_money(amount, field="amount")
    except rule.RuleError as exc:
        problems["amount"] = _(exc.message)
    else:
        if amount <= 0:
            problems["amount"] = _("金额须大于 0")
    if not reason.strip():
        problems["reason"] = _("必填")
    if kind == c.FundEntryKind.OUT and not voucher_no.strip():
        problems["voucher_no"] = _("支出须填写凭证号")
    if problems:
        raise InvalidInput(problems, message=_("收支信息不完整"))
    entry = VillageFundEntry(
        village=village,
        date=date,
        kind=kind,
        amount=amount,
        reason=reason.strip()[:200],
        voucher_no=voucher_no.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    history_attribute(entry, actor)
    entry.save()
    if kind == c.FundEntryKind.OUT:
        _refuse_overdraft(village.code, date)
    event_record(
        actor=actor,
        verb="distribution.fund_entry_added",
        obj=entry,
        data={"kind": kind, "amount": str(amount), "date": date.isoformat()},
    )
    return entry


def _refuse_overdraft(village_code: str, since: dt.date) -> None:
    """Refuse an entry after which the fund's running balance is below zero on some day."""
    balance = ZERO
    entries = VillageFundEntry.objects.filter(village_id=village_code).order_by(
        "date", "kind", "id"
    )
    for date, kind, amount in entries.values_list("date", "kind", "amount"):
        balance += amount if kind == c.FundEntryKind.IN else -amount
        if date >= since and balance < 0:
            raise Conflict(
                "fund_overdrawn",
                _("村扶贫基金余额不足"),
                {"village": village_code, "date": date.isoformat(), "short": str(-balance)},
            )
