"""The distribution rule: the issue's examples to the cent, bad input, and invariants."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.distribution.rule import (
    SUPPORT_CATEGORIES,
    Household,
    Parameters,
    RuleError,
    distribute,
    parse_money,
    parse_size,
    parse_weights,
    settle_cents,
)

D = Decimal
WEIGHTS = {"not_lifted": D(1), "monitored": D(1), "lifted_supported": D("0.6")}


def params(amount, line="4000", cap="5000", welfare="0.2", fund="0.1", weights=WEIGHTS):
    return Parameters(D(amount), D(line), D(cap), dict(weights), D(welfare), D(fund))


def home(no, category, size, income):
    return Household(no, category, size, D(income))


def money(result):
    return {no: str(amount) for no, amount in result.amounts.items()}


def test_the_support_categories_are_the_registrys():
    from fupin.registry.choices import SupportCategory

    assert tuple(SupportCategory.values) == SUPPORT_CATEGORIES


def test_line_reached_with_money_left_step_two_shares_by_weight():
    # B 10000: welfare 2000, fund 1000, R 7000. Step 1 needs 2000 + 500 + 600 = 3100, all reach
    # 4000; R2 = 3900 < headroom 6000, so λ·(2·1 + 1·1 + 3·0.6) = 3900 gives λ = 812.5:
    # H1 2000 + 1625, H2 500 + 812.5, H3 600 + 3·0.6·812.5 = 600 + 1462.5. H4 (lifted) and H5
    # (ordinary) have no weight and are not eligible.
    result = distribute(
        params("10000"),
        [
            home("H1", "not_lifted", 2, "3000"),
            home("H2", "monitored", 1, "3500"),
            home("H3", "lifted_supported", 3, "3800"),
            home("H4", "lifted", 2, "2000"),
            home("H5", "ordinary", 1, "100"),
        ],
    )
    assert money(result) == {"H1": "3625.00", "H2": "1312.50", "H3": "2062.50"}
    assert result.level is None
    assert result.multiplier == Fraction(1625, 2)
    assert result.summary() == {
        "welfare_pool": "2000.00",
        "village_fund": "1000.00",
        "households_total": "7000.00",
        "households": 3,
    }
    assert result.fund_direct == D("1000.00")


def test_money_short_of_the_line_lifts_the_poorest_first_toward_one_level():
    # B 1860: welfare 372, fund 186, R 1302 < need 2·1000 + 500 + 3·100 = 2800. At t = 3500 the
    # sum is 2·500 = 1000 < 1302; at 3900 it is 2·900 + 400 = 2200, so t = 3500 + 302/3 = 3600⅔:
    # H1 2·600⅔ = 1201.333…, H2 100.666…, H3 (3900) nothing. Cut down: 1201.33 + 100.66 = 1301.99;
    # the missing cent goes to the larger remainder (H2, ⅔ of a cent).
    result = distribute(
        params("1860"),
        [
            home("H1", "not_lifted", 2, "3000"),
            home("H2", "monitored", 1, "3500"),
            home("H3", "lifted_supported", 3, "3900"),
        ],
    )
    assert result.level == Fraction(10802, 3)
    assert money(result) == {"H1": "1201.33", "H2": "100.67", "H3": "0.00"}
    assert result.summary() == {
        "welfare_pool": "372.00",
        "village_fund": "186.00",
        "households_total": "1302.00",
        "households": 3,
    }


def test_money_short_within_the_first_segment_reaches_only_the_poorest():
    # R = 700: t = 3000 + 700/2 = 3350 < 3500, so only H1 is lifted.
    result = distribute(
        params("1000"),
        [home("H2", "monitored", 1, "3500"), home("H1", "not_lifted", 2, "3000")],
    )
    assert result.level == 3350
    assert money(result) == {"H2": "0.00", "H1": "700.00"}


def test_ceiling_reached_the_rest_goes_to_the_village_fund():
    # R 7000; step 1 pays 2000 + 500; headroom to the 4500 ceiling is 2·500 + 500 = 1000 + 500
    # ≤ R2 4500, so each is paid to the ceiling and 3000 stays: village fund 1000 + 3000.
    result = distribute(
        params("10000", cap="4500"),
        [home("H1", "not_lifted", 2, "3000"), home("H2", "monitored", 1, "3500")],
    )
    assert money(result) == {"H1": "3000.00", "H2": "1000.00"}
    assert result.summary() == {
        "welfare_pool": "2000.00",
        "village_fund": "4000.00",
        "households_total": "4000.00",
        "households": 2,
    }


def test_a_household_already_above_the_ceiling_gets_nothing():
    result = distribute(
        params("1000", welfare="0", fund="0"),
        [home("H1", "not_lifted", 1, "6000"), home("H2", "monitored", 1, "4999.50")],
    )
    assert money(result) == {"H1": "0.00", "H2": "0.50"}
    assert result.village_fund == D("999.50")


def test_step_two_with_room_for_everyone_pays_each_to_the_ceiling():
    # R 3000, both at the line 4000 already; headroom to 4200: H1 (1 person) 200, H2 (2) 400;
    # 600 ≤ 3000, so both reach the ceiling and 2400 stays in the village fund.
    result = distribute(
        params("3000", cap="4200", welfare="0", fund="0"),
        [home("H1", "monitored", 1, "4000"), home("H2", "lifted_supported", 2, "4000")],
    )
    assert money(result) == {"H1": "200.00", "H2": "400.00"}
    assert result.village_fund == D("2400.00")


def test_step_two_multiplier_with_a_capped_household():
    # R 1000, all at the line 4000, ceiling 4300: headroom H1 (1, w 1) 300, H2 (3, w 0.6) 900.
    # Breakpoints: H1 at λ 300, H2 at 900/1.8 = 500. At λ 300 the sum is 300 + 540 = 840 < 1000,
    # so H1 is capped and 300 + 1.8·λ = 1000 gives λ = 388.88…: H2 700.
    result = distribute(
        params("1000", cap="4300", welfare="0", fund="0"),
        [home("H1", "monitored", 1, "4000"), home("H2", "lifted_supported", 3, "4000")],
    )
    assert result.multiplier == Fraction(3500, 9)
    assert money(result) == {"H1": "300.00", "H2": "700.00"}


def test_ties_in_the_cent_remainders_go_to_the_smaller_household_number():
    # 100.00 among three equal households: 33.333… each, one cent missing, all remainders ⅓:
    # the smallest household number (H001) takes it, whatever the order of the input.
    households = [home(no, "not_lifted", 1, "3000") for no in ("H003", "H001", "H002")]
    result = distribute(params("100", welfare="0", fund="0"), households)
    assert money(result) == {"H003": "33.33", "H001": "33.34", "H002": "33.33"}
    # 0.02 among them: ⅔ of a cent each, two cents missing: H001 and H002.
    result = distribute(params("0.02", welfare="0", fund="0"), households)
    assert money(result) == {"H003": "0.00", "H001": "0.01", "H002": "0.01"}
    assert result.households_total == D("0.02")


def test_household_numbers_compare_by_their_digits():
    # Fixed-width codes compare as text anyway; "H9" comes before "H10" and "2" before "10".
    thirds = {no: Fraction(1, 3) for no in ("H10", "H9", "H11")}
    amounts, _ = settle_cents(thirds)
    assert amounts == {"H10": D("0.33"), "H9": D("0.34"), "H11": D("0.33")}
    amounts, _ = settle_cents({no: Fraction(1, 300) for no in ("10", "2", "3")})
    assert amounts == {"10": D("0.00"), "2": D("0.01"), "3": D("0.00")}  # ⅓ cent each: 1 cent
    amounts, _ = settle_cents({no: Fraction(1, 150) for no in ("10", "2", "3")})
    assert amounts == {"10": D("0.00"), "2": D("0.01"), "3": D("0.01")}


def test_a_larger_remainder_wins_over_a_smaller_household_number():
    amounts, total = settle_cents({"A": Fraction(1, 300), "B": Fraction(2, 300), "C": Fraction(1)})
    assert total == D("1.01")
    assert amounts == {"A": D("0.00"), "B": D("0.01"), "C": D("1.00")}


def test_the_pools_are_rounded_half_up_and_the_fund_gives_way_to_keep_b():
    result = distribute(params("0.05", welfare="0.5", fund="0.1"), [])
    assert result.welfare_pool == D("0.03")  # 0.025 → 0.03
    assert result.fund_direct == D("0.01")  # 0.005 → 0.01
    assert result.village_fund == D("0.02")
    # 0.01 halved twice: 0.005 + 0.005 would round to 0.02 > B; the fund gets what is left.
    result = distribute(params("0.01", welfare="0.5", fund="0.5"), [])
    assert (result.welfare_pool, result.fund_direct, result.village_fund) == (
        D("0.01"),
        D("0.00"),
        D("0.00"),
    )


def test_no_eligible_household_leaves_everything_to_the_village_fund():
    result = distribute(params("500"), [home("H1", "lifted", 1, "100")])
    assert result.amounts == {}
    assert result.summary() == {
        "welfare_pool": "100.00",
        "village_fund": "400.00",
        "households_total": "0.00",
        "households": 0,
    }


def test_a_negative_income_is_lifted_from_below_zero():
    # Per-capita net income is negative when costs pass income: step 1 pays 2·4050 = 8100; the
    # remaining 1900 is below the headroom 2·1000, so all of it goes to the household.
    result = distribute(
        params("10000", welfare="0", fund="0"), [home("H1", "not_lifted", 2, "-50")]
    )
    assert result.shares["H1"].step1 == 8100
    assert money(result) == {"H1": "10000.00"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": "-1"}, "amount_negative"),
        ({"line": "-1"}, "line_negative"),
        ({"cap": "3999.99"}, "cap_below_line"),
        ({"welfare": "0.6", "fund": "0.5"}, "shares_over_one"),
        ({"welfare": "-0.1"}, "share_out_of_range"),
        ({"fund": "1.5"}, "share_out_of_range"),
        ({"amount": "10.001"}, "money_precision"),
        ({"weights": {"not_lifted": D(-1)}}, "weight_negative"),
        ({"weights": {"poor": D(1)}}, "category_unknown"),
    ],
)
def test_bad_parameters_are_refused_with_a_code(change, code):
    base = {"amount": "100"}
    base.update(change)
    with pytest.raises(RuleError) as exc:
        distribute(params(**base), [home("H1", "not_lifted", 1, "3000")])
    assert exc.value.code == code
    assert exc.value.message


@pytest.mark.parametrize(
    ("households", "code"),
    [
        ([home("H1", "poor", 1, "3000")], "category_unknown"),
        ([home("H1", "", 1, "3000")], "category_unknown"),
        ([home("H1", "not_lifted", 0, "3000")], "size_invalid"),
        (
            [home("H1", "not_lifted", 1, "3000"), home("H1", "lifted", 1, "1")],
            "household_duplicate",
        ),
        ([home("", "not_lifted", 1, "3000")], "household_no_missing"),
        ([home("H1", "not_lifted", 1, "3000.123")], "money_precision"),
    ],
)
def test_bad_households_are_refused_with_a_code(households, code):
    with pytest.raises(RuleError) as exc:
        distribute(params("100"), households)
    assert exc.value.code == code


def test_a_weight_of_zero_lifts_to_the_line_but_shares_nothing_above_it():
    # R 3000: step 1 pays H1 (weight 0) 1000 and H2 1000; R2 1000 < headroom 1000 + 1000. Only
    # H2 has a weight: λ·1 = 1000 fills exactly its headroom; H1 gets nothing in step 2.
    weights = {"not_lifted": D(0), "monitored": D(1)}
    households = [home("H1", "not_lifted", 1, "3000"), home("H2", "monitored", 1, "3000")]
    result = distribute(params("3000", welfare="0", fund="0", weights=weights), households)
    assert money(result) == {"H1": "1000.00", "H2": "2000.00"}
    # With 1500 for step 2 (more than H2's headroom, less than both): the rest goes to the fund.
    result = distribute(params("3500", welfare="0", fund="0", weights=weights), households)
    assert money(result) == {"H1": "1000.00", "H2": "2000.00"}
    assert result.village_fund == D("500.00")
    # With room for everyone the rule pays every household to the ceiling, weight 0 or not.
    result = distribute(params("5000", welfare="0", fund="0", weights=weights), households)
    assert money(result) == {"H1": "2000.00", "H2": "2000.00"}
    assert result.village_fund == D("1000.00")


def test_a_known_category_without_a_weight_is_not_an_error_but_not_eligible():
    result = distribute(
        params("100"), [home("H1", "lifted", 1, "0"), home("H2", "ordinary", 1, "0")]
    )
    assert result.amounts == {}


def test_parsing_of_texts():
    assert parse_weights("not_lifted=1, monitored=1,lifted_supported=0.6") == WEIGHTS
    assert parse_money("1,000.5", field="amount") == D("1000.50")
    assert parse_size("3") == 3
    assert parse_size("2.0") == 2
    for text, code in [
        ("x", "number_invalid"),
        ("NaN", "number_invalid"),
        ("Infinity", "number_invalid"),
        ("1.005", "money_precision"),
    ]:
        with pytest.raises(RuleError) as exc:
            parse_money(text, field="amount")
        assert exc.value.code == code
    for text in ("0", "1.5", "two", ""):
        with pytest.raises(RuleError) as exc:
            parse_size(text)
        assert exc.value.code == "size_invalid"
    for text in ("not_lifted", "not_lifted=1,not_lifted=2", "=1"):
        with pytest.raises(RuleError) as exc:
            parse_weights(text)
        assert exc.value.code == "weights_invalid"
    with pytest.raises(RuleError) as exc:
        parse_weights("not_lifted=a")
    assert exc.value.code == "number_invalid"


# --- properties --------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=10**8).map(lambda c: D(c).scaleb(-2))
share = st.integers(min_value=0, max_value=1000).map(lambda m: D(m).scaleb(-3))


@st.composite
def cases(draw):
    line = draw(st.integers(min_value=0, max_value=800_000))
    cap = line + draw(st.integers(min_value=0, max_value=300_000))
    welfare = draw(share)
    fund = draw(share.filter(lambda f: f + welfare <= 1))
    weights = draw(
        st.dictionaries(
            st.sampled_from(SUPPORT_CATEGORIES),
            st.integers(min_value=0, max_value=30).map(lambda w: D(w) / 10),
            max_size=5,
        )
    )
    numbers = draw(st.lists(st.integers(0, 999), unique=True, max_size=25))
    households = [
        Household(
            f"H{no:03d}",
            draw(st.sampled_from(SUPPORT_CATEGORIES)),
            draw(st.integers(min_value=1, max_value=9)),
            D(draw(st.integers(min_value=-100_000, max_value=1_200_000))).scaleb(-2),
        )
        for no in numbers
    ]
    p = Parameters(draw(cents), D(line).scaleb(-2), D(cap).scaleb(-2), weights, welfare, fund)
    return p, households


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_parts_add_up_to_b_and_nobody_is_negative_or_above_the_ceiling(case):
    p, households = case
    result = distribute(p, households)
    assert result.welfare_pool + result.village_fund + sum(result.amounts.values()) == p.amount
    assert result.households_total == sum(result.amounts.values(), D(0))
    assert result.village_fund >= result.fund_direct >= 0
    by_no = {h.household_no: h for h in households}
    assert set(result.amounts) == {h.household_no for h in households if h.category in p.weights}
    for no, amount in result.amounts.items():
        h = by_no[no]
        assert amount >= 0
        assert amount.as_tuple().exponent == -2
        # Never above the ceiling, even after the cents are settled.
        assert amount <= max(D(0), h.size * (p.cap - h.per_capita_income))
        # Each amount is its exact share cut down, plus at most one cent.
        assert abs(Fraction(amount) - result.shares[no].exact) < Fraction(1, 100)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_step_one_keeps_the_order_of_incomes_and_lifts_toward_one_level(case):
    """A poorer household never ends step 1 above a richer one's level nor receives less per head.

    When the money reaches the line, everyone below it ends exactly at it; when it does not,
    everyone below the level t ends exactly at t and nobody above t receives anything.
    """
    p, households = case
    result = distribute(p, households)
    eligible = sorted(
        (h for h in households if h.category in p.weights), key=lambda h: h.per_capita_income
    )
    after = {
        h.household_no: Fraction(h.per_capita_income) + result.shares[h.household_no].step1 / h.size
        for h in eligible
    }
    for poorer, richer in zip(eligible, eligible[1:], strict=False):
        assert after[poorer.household_no] <= after[richer.household_no]
        assert (
            result.shares[poorer.household_no].step1 / poorer.size
            >= result.shares[richer.household_no].step1 / richer.size
        )
    top = Fraction(p.line) if result.level is None else result.level
    for h in eligible:
        assert after[h.household_no] == max(top, Fraction(h.per_capita_income))
    rest = Fraction(p.amount) - Fraction(result.welfare_pool) - Fraction(result.fund_direct)
    if result.level is not None:
        # t solves Σ n·max(0, t − y) = R exactly.
        assert result.level < p.line
        assert sum((s.step1 for s in result.shares.values()), Fraction(0)) == rest
        assert all(s.step2 == 0 for s in result.shares.values())


@settings(max_examples=200, deadline=None)
@given(cases())
def test_step_two_gives_the_same_amount_per_weighted_person_to_everyone_below_the_ceiling(case):
    p, households = case
    result = distribute(p, households)
    if result.multiplier is None:
        return
    # λ solves Σ min(λ·w·n, h) = R₂ exactly: the households take all of R, nothing is left.
    rest = Fraction(p.amount) - Fraction(result.welfare_pool) - Fraction(result.fund_direct)
    assert sum((s.exact for s in result.shares.values()), Fraction(0)) == rest
    for h in households:
        if h.category not in p.weights:
            continue
        share = result.shares[h.household_no]
        headroom = max(
            Fraction(0), h.size * (Fraction(p.cap) - Fraction(h.per_capita_income)) - share.step1
        )
        weighted = result.multiplier * Fraction(p.weights[h.category]) * h.size
        assert share.step2 == min(weighted, headroom)
