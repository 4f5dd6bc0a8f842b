"""The differentiated income distribution rule (差异化分配), exact to the cent, without Django.

Amounts are `Decimal` with two places at the edges; every intermediate value is a `Fraction`, so
the level t of step 1, the multiplier λ of step 2 and the cent remainders are exact. The levels
are found by sorting the breakpoints of the piecewise-linear sums, never by bisection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

# The support categories of fupin (fupin.registry.choices.SupportCategory), in their order.
SUPPORT_CATEGORIES = ("not_lifted", "monitored", "lifted_supported", "lifted", "ordinary")

CENT = Decimal("0.01")


def gettext_noop(message: str) -> str:
    """Mark a message for translation; the Django side translates it when it shows the error."""
    return message


MESSAGES = {
    "number_invalid": gettext_noop("不是有效的数字"),
    "money_precision": gettext_noop("金额最多两位小数"),
    "amount_negative": gettext_noop("分配金额不能为负数"),
    "line_negative": gettext_noop("标准线不能为负数"),
    "cap_below_line": gettext_noop("封顶线不能低于标准线"),
    "share_out_of_range": gettext_noop("比例须在 0 到 1 之间"),
    "shares_over_one": gettext_noop("公益岗位比例与村扶贫基金比例之和不能超过 1"),
    "weights_invalid": gettext_noop("类别权重格式应为 类别=权重，用逗号分隔"),
    "weight_negative": gettext_noop("类别权重不能为负数（不参与分配的类别请不要列出）"),
    "category_unknown": gettext_noop("未知的帮扶类别"),
    "size_invalid": gettext_noop("家庭人口数须为不小于 1 的整数"),
    "household_no_missing": gettext_noop("户编号不能为空"),
    "household_duplicate": gettext_noop("户编号重复"),
}


class RuleError(ValueError):
    """Bad input of the rule: a stable code, a Chinese message (see MESSAGES) and details."""

    def __init__(self, code: str, **details):
        self.code = code
        self.message = MESSAGES[code]
        self.details = details
        super().__init__(f"{code}: {self.message} {details or ''}".rstrip())


@dataclass(frozen=True)
class Household:
    """One household offered to the rule: its number, support category, size and income."""

    household_no: str
    category: str
    size: int
    per_capita_income: Decimal


@dataclass(frozen=True)
class Parameters:
    """The amount to distribute and the policy of the rule."""

    amount: Decimal
    line: Decimal
    cap: Decimal
    weights: Mapping[str, Decimal]
    welfare_share: Decimal
    fund_share: Decimal

    def as_dict(self) -> dict:
        """Return the parameters as JSON-ready strings."""
        return {
            "amount": str(self.amount),
            "line": str(self.line),
            "cap": str(self.cap),
            "weights": {k: str(v) for k, v in self.weights.items()},
            "welfare_share": str(self.welfare_share),
            "fund_share": str(self.fund_share),
        }


@dataclass(frozen=True)
class Share:
    """The exact steps of one eligible household (before the cents are settled)."""

    step1: Fraction
    step2: Fraction

    @property
    def exact(self) -> Fraction:
        return self.step1 + self.step2


@dataclass
class Result:
    """The plan: the pools, the households' total and each eligible household's amount."""

    welfare_pool: Decimal
    fund_direct: Decimal
    village_fund: Decimal
    households_total: Decimal
    amounts: dict[str, Decimal]
    level: Fraction | None = None  # t of step 1 when the money is short of the line
    multiplier: Fraction | None = None  # λ of step 2 when the ceiling is not reached by all
    shares: dict[str, Share] = field(default_factory=dict)

    def summary(self) -> dict:
        """Return the summary of the plan (amounts as strings with two decimals)."""
        return {
            "welfare_pool": f"{self.welfare_pool:.2f}",
            "village_fund": f"{self.village_fund:.2f}",
            "households_total": f"{self.households_total:.2f}",
            "households": len(self.amounts),
        }


# --- parsing of texts (file and command line) -------------------------------------------------


def parse_decimal(text, *, field: str, **where) -> Decimal:
    """Return a finite Decimal from a text or number, or raise `number_invalid`."""
    if isinstance(text, Decimal):
        value = text
    else:
        try:
            value = Decimal(str(text).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise RuleError("number_invalid", field=field, value=str(text), **where) from None
    if not value.is_finite():
        raise RuleError("number_invalid", field=field, value=str(text), **where)
    return value


def parse_money(text, *, field: str, **where) -> Decimal:
    """Return an amount in yuan with two decimals, or raise `number_invalid`/`money_precision`."""
    value = parse_decimal(text, field=field, **where)
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise RuleError("money_precision", field=field, value=str(text), **where)
    return value.quantize(CENT)


def parse_size(text, **where) -> int:
    """Return a household size (an integer ≥ 1), or raise `size_invalid`."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise RuleError("size_invalid", field="size", value=str(text), **where) from None
    if not value.is_finite() or value != value.to_integral_value() or value < 1:
        raise RuleError("size_invalid", field="size", value=str(text), **where)
    return int(value)


def parse_weights(text: str) -> dict[str, Decimal]:
    """Return the weights of `"not_lifted=1,monitored=1,lifted_supported=0.6"`."""
    weights: dict[str, Decimal] = {}
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        category, sep, value = part.partition("=")
        category = category.strip().lower()
        if not sep or not category or category in weights:
            raise RuleError("weights_invalid", value=part)
        weights[category] = parse_decimal(value, field="weights", category=category)
    return weights


# --- the rule ----------------------------------------------------------------------------------


def _fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def _half_up(value: Fraction) -> Decimal:
    """Round an exact amount half-up to the cent."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-2).quantize(CENT)


def validate(params: Parameters, households: Iterable[Household]) -> list[Household]:
    """Check the parameters and households; return the households as a list."""
    for name in ("amount", "line", "cap"):
        parse_money(getattr(params, name), field=name)
    if params.amount < 0:
        raise RuleError("amount_negative", field="amount", value=str(params.amount))
    if params.line < 0:
        raise RuleError("line_negative", field="line", value=str(params.line))
    if params.cap < params.line:
        raise RuleError("cap_below_line", line=str(params.line), cap=str(params.cap))
    for name in ("welfare_share", "fund_share"):
        value = getattr(params, name)
        if not Decimal(0) <= value <= Decimal(1):
            raise RuleError("share_out_of_range", field=name, value=str(value))
    if params.welfare_share + params.fund_share > 1:
        raise RuleError(
            "shares_over_one",
            welfare_share=str(params.welfare_share),
            fund_share=str(params.fund_share),
        )
    for category, weight in params.weights.items():
        if category not in SUPPORT_CATEGORIES:
            raise RuleError("category_unknown", field="weights", value=category)
        if weight < 0:
            raise RuleError("weight_negative", category=category, value=str(weight))
    households = list(households)
    seen: set[str] = set()
    for h in households:
        if not h.household_no:
            raise RuleError("household_no_missing")
        if h.household_no in seen:
            raise RuleError("household_duplicate", household_no=h.household_no)
        seen.add(h.household_no)
        if h.category not in SUPPORT_CATEGORIES:
            raise RuleError("category_unknown", household_no=h.household_no, value=h.category)
        if not isinstance(h.size, int) or h.size < 1:
            raise RuleError("size_invalid", household_no=h.household_no, value=str(h.size))
        parse_money(h.per_capita_income, field="per_capita_income", household_no=h.household_no)
    return households


def _level(points: list[tuple[Fraction, int]], target: Fraction) -> Fraction:
    """Return t with Σ n·max(0, t − y) = target, for points (y, n) sorted by y, target > 0."""
    people = 0
    below = Fraction(0)  # Σ n·y of the points at or below the current breakpoint
    for i, (y, n) in enumerate(points):
        people += n
        below += n * y
        nxt = points[i + 1][0] if i + 1 < len(points) else None
        # On [y, nxt] the sum is people·t − below; stop in the first segment that reaches target.
        if nxt is None or people * nxt - below >= target:
            return (target + below) / people
    raise AssertionError("unreachable")


def _multiplier(items: list[tuple[Fraction, Fraction, Fraction]], target: Fraction) -> Fraction:
    """Return λ with Σ min(λ·a, h) = target for items (λ_i = h/a, a, h) sorted by λ_i."""
    capped = Fraction(0)  # Σ h of the items whose ceiling λ_i is at or below λ
    slope = sum(a for _, a, _ in items)
    for breakpoint, a, h in items:
        # Up to this breakpoint the sum is capped + λ·slope; stop in the first segment reaching it.
        if capped + breakpoint * slope >= target:
            return (target - capped) / slope
        capped += h
        slope -= a
    raise AssertionError("unreachable: the caller checked Σh > target")


def distribute(params: Parameters, households: Iterable[Household]) -> Result:
    """Apply the rule and return the plan (raise RuleError on bad input)."""
    households = validate(params, households)
    amount = _fraction(params.amount)
    welfare_pool = _half_up(amount * _fraction(params.welfare_share))
    fund_direct = _half_up(amount * _fraction(params.fund_share))
    # Two half-cent round-ups may together pass B by a cent; the fund gives way (ADR 0023).
    fund_direct = min(fund_direct, params.amount - welfare_pool)
    rest = amount - _fraction(welfare_pool) - _fraction(fund_direct)

    eligible = [h for h in households if h.category in params.weights]
    line, cap = _fraction(params.line), _fraction(params.cap)
    income = {h.household_no: _fraction(h.per_capita_income) for h in eligible}

    # Step 1, up to the line; weights play no part.
    need = sum(
        (h.size * max(Fraction(0), line - income[h.household_no]) for h in eligible), Fraction(0)
    )
    level = None
    if need <= rest:
        top = line
    else:
        points = sorted((income[h.household_no], h.size) for h in eligible)
        level = top = _level(points, rest)
    step1 = {
        h.household_no: h.size * max(Fraction(0), top - income[h.household_no]) for h in eligible
    }
    rest2 = rest - sum(step1.values(), Fraction(0))

    # Step 2, the rest by weight, never above the ceiling.
    headroom = {
        h.household_no: max(
            Fraction(0), h.size * (cap - income[h.household_no]) - step1[h.household_no]
        )
        for h in eligible
    }
    multiplier = None
    if sum(headroom.values(), Fraction(0)) <= rest2:
        step2 = dict(headroom)
    else:
        slope = {h.household_no: _fraction(params.weights[h.category]) * h.size for h in eligible}
        items = sorted(
            (headroom[no] / slope[no], slope[no], headroom[no])
            for no in headroom
            if headroom[no] and slope[no]
        )
        if sum((h for _, _, h in items), Fraction(0)) <= rest2:
            # Only households of weight 0 keep headroom: λ grows without bound, the rest stays.
            step2 = {no: headroom[no] if slope[no] else Fraction(0) for no in headroom}
        else:
            multiplier = _multiplier(items, rest2)
            step2 = {no: min(multiplier * slope[no], headroom[no]) for no in headroom}

    shares = {h.household_no: Share(step1[h.household_no], step2[h.household_no]) for h in eligible}
    amounts, total = settle_cents({no: s.exact for no, s in shares.items()})
    return Result(
        welfare_pool=welfare_pool,
        fund_direct=fund_direct,
        village_fund=params.amount - welfare_pool - total,
        households_total=total,
        amounts={h.household_no: amounts[h.household_no] for h in eligible},
        level=level,
        multiplier=multiplier,
        shares=shares,
    )


def number_key(household_no: str) -> tuple:
    """Return the order of household numbers: digit runs by value (H9 before H10), then text."""
    parts = re.split(r"(\d+)", household_no)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), household_no


def settle_cents(exact: Mapping[str, Fraction]) -> tuple[dict[str, Decimal], Decimal]:
    """Cut each amount down to the cent and give the missing cents to the largest remainders."""
    cents: dict[str, int] = {}
    remainders: dict[str, Fraction] = {}
    for no, value in exact.items():
        scaled = value * 100
        cents[no] = scaled.numerator // scaled.denominator
        remainders[no] = scaled - cents[no]
    total = _half_up(sum(exact.values(), Fraction(0)))
    missing = int(total * 100) - sum(cents.values())
    for no in sorted(remainders, key=lambda no: (-remainders[no], number_key(no)))[:missing]:
        cents[no] += 1
    return {no: Decimal(c).scaleb(-2).quantize(CENT) for no, c in cents.items()}, total
