"""Each rule at its boundary (just below, equal, just above), with leap days and year boundaries."""

from decimal import Decimal

import pytest

from analytics.screening import Params
from analytics.screening.tests.helpers import PARAMS, household, pid, rules_of, run

Y = 2024


def income(no: str, year: int, wage: str, cost: str = "0") -> str:
    return f"{no},{year},{wage},0,0,0,{cost}"


def test_low_income_is_net_below_threshold_times_size(tmp_path):
    # T = 6000, size 2: the line is 12,000 yuan of net income.
    population = household("A", 2) + household("B", 2) + household("C", 2) + household("D", 2)
    incomes = [
        income("A", Y, "12000.00", "0.01"),  # 11,999.99
        income("B", Y, "12000.00"),
        income("C", Y, "12000.01"),
        income("D", Y - 1, "100"),  # no row for Y: not judged
    ]
    warnings, *_ = run(tmp_path, {"population": population, "income": incomes})
    assert rules_of(warnings, "A") == ["low_income"]
    assert warnings["A"]["per_capita_income"] == "6000.00"  # 5,999.995 rounds away from zero
    assert "B" not in warnings and "C" not in warnings and "D" not in warnings


def test_income_drop_is_strictly_below_the_kept_share_of_last_year(tmp_path):
    population = []
    for no in "ABCDEF":
        population += household(no)
    incomes = [
        income("A", Y - 1, "100000"),
        income("A", Y, "69999.99"),
        income("B", Y - 1, "100000"),
        income("B", Y, "70000.00"),
        income("C", Y - 1, "100000"),
        income("C", Y, "70000.01"),
        income("D", Y - 1, "0"),  # nothing to drop from
        income("D", Y, "7000", "7000"),
        income("E", Y, "7000"),  # no row for Y − 1
        income("F", Y - 2, "100000"),  # Y − 2 is not Y − 1
        income("F", Y, "7000"),
    ]
    warnings, *_ = run(tmp_path, {"population": population, "income": incomes})
    assert rules_of(warnings, "A") == ["income_drop"]
    assert "income_drop" not in rules_of(warnings, "B")
    assert "C" not in warnings
    assert rules_of(warnings, "D") == ["low_income"]
    assert rules_of(warnings, "E") == []
    assert rules_of(warnings, "F") == []


def test_medical_burden_absolute_and_ratio(tmp_path):
    rich = income
    people = {no: pid() for no in "ABCDEFGH"}
    population = [f"{no},{people[no]},某,head,370481101201" for no in people]
    incomes = [
        rich("A", Y, "1000000"),
        rich("B", Y, "1000000"),
        rich("C", Y, "1000000"),
        rich("D", Y, "10000"),
        rich("E", Y, "10000"),
        rich("F", Y, "0", "500"),  # negative net counts as zero
    ]
    medical = [
        f"{people['A']},{Y}-06-01,30000,19999.99",
        f"{people['B']},{Y}-06-01,30000,20000.00",
        f"{people['C']},{Y}-06-01,15000,10000.00",
        f"{people['C']},{Y}-07-01,15000,10000.01",  # Σ of the year: 20,000.01
        f"{people['D']},{Y}-06-01,8000,5000.00",  # = 0.5 × 10,000: not above
        f"{people['E']},{Y}-06-01,8000,5000.01",
        f"{people['F']},{Y}-06-01,1,0.01",
        f"{people['G']},{Y}-06-01,8000,5000",  # no income row: only the absolute test
        f"{people['H']},{Y - 1}-12-31,90000,90000",  # a year boundary on each side
        f"{people['H']},{Y + 1}-01-01,90000,90000",
    ]
    warnings, *_ = run(tmp_path, {"population": population, "income": incomes, "medical": medical})
    assert rules_of(warnings, "A") == []
    assert rules_of(warnings, "B") == ["medical_burden"]
    assert rules_of(warnings, "C") == ["medical_burden"]
    assert "medical_burden" not in rules_of(warnings, "D")
    assert "medical_burden" in rules_of(warnings, "E")
    assert "medical_burden" in rules_of(warnings, "F")
    assert rules_of(warnings, "G") == []
    assert rules_of(warnings, "H") == []


def test_medical_counts_the_leap_day_and_every_member(tmp_path):
    head, child = pid("19800101"), pid("20120229")  # born on a leap day
    population = [f"A,{head},甲,head,370481101201", f"A,{child},乙,son,370481101201"]
    medical = [f"{head},20240229,20000,10000", f"{child},2024/12/31,20000,10000"]
    warnings, _summary, rejected, _run = run(
        tmp_path, {"population": population, "medical": medical}
    )
    assert rejected == []
    assert rules_of(warnings, "A") == ["medical_burden"]


def test_disaster_absolute_and_ratio(tmp_path):
    population = []
    for no in "ABCDEF":
        population += household(no)
    incomes = [income(no, Y, "1000000") for no in "ABC"] + [income(no, Y, "10000") for no in "DE"]
    disaster = [
        f"A,{Y}-03-01,9999.99",
        f"B,{Y}-03-01,10000",
        f"C,{Y}-03-01,5000",
        f"C,{Y}-12-31,5000.01",
        f"D,{Y}-03-01,5000",
        f"E,{Y}-01-01,5000.01",
        f"F,{Y - 1}-12-31,50000",
    ]
    warnings, *_ = run(
        tmp_path, {"population": population, "income": incomes, "disaster": disaster}
    )
    assert rules_of(warnings, "A") == []
    assert rules_of(warnings, "B") == ["disaster"]
    assert rules_of(warnings, "C") == ["disaster"]
    assert rules_of(warnings, "D") == []
    assert rules_of(warnings, "E") == ["disaster"]
    assert rules_of(warnings, "F") == []


def test_severe_disability_is_grade_one_or_two_certified_in_the_year(tmp_path):
    people = {no: pid() for no in "ABCDE"}
    population = [f"{no},{people[no]},某,head,370481101201" for no in people]
    disability = [
        f"{people['A']},1,{Y}-01-01",
        f"{people['B']},二级,{Y}-12-31",
        f"{people['C']},3,{Y}-06-01",
        f"{people['D']},1,{Y - 1}-12-31",
        f"{people['E']},2,{Y + 1}-01-01",
    ]
    warnings, *_ = run(tmp_path, {"population": population, "disability": disability})
    assert sorted(warnings) == ["A", "B"]
    assert rules_of(warnings, "A") == ["severe_disability"]


@pytest.mark.parametrize(
    ("birth", "flagged"),
    [
        (f"{Y - 5}0101", False),
        (f"{Y - 6}1231", True),  # six in the year, by birth year alone
        (f"{Y - 15}0101", True),
        (f"{Y - 16}1231", False),
        ("20120229", True),
    ],
)
def test_dropout_by_age_from_the_birth_year(tmp_path, birth, flagged):
    head, child = pid("19800101"), pid(birth)
    population = [f"A,{head},甲,head,370481101201", f"A,{child},乙,son,370481101201"]
    education = [f"{child},{Y},dropped_out", f"{head},{Y},dropped_out"]
    warnings, *_ = run(tmp_path, {"population": population, "education": education})
    assert (rules_of(warnings, "A") == ["dropout"]) is flagged


def test_dropout_needs_the_year_and_the_status(tmp_path):
    child = pid("20140101")
    population = [f"A,{child},乙,head,370481101201"]
    education = [f"{child},{Y - 1},dropped_out", f"{child},{Y},enrolled", f"{child},{Y},在读"]
    warnings, *_ = run(tmp_path, {"population": population, "education": education})
    assert warnings == {}


def test_unsafe_house_takes_the_latest_assessment_by_the_end_of_the_year(tmp_path):
    population = []
    for no in "ABCDE":
        population += household(no)
    housing = [
        f"A,C,{Y}-12-31",
        f"A,A,{Y + 1}-01-01",  # after the year: ignored
        f"B,D,{Y - 3}-05-01",
        f"B,A,{Y}-02-29",  # repaired since
        f"C,d,{Y - 2}-05-01",
        f"D,A,{Y}-06-01",
        f"D,C,{Y}-06-01",  # two on the same day: the worse counts
        f"E,B,{Y}-06-01",
    ]
    warnings, *_ = run(tmp_path, {"population": population, "housing": housing})
    assert sorted(warnings) == ["A", "C", "D"]


def test_assistance_mismatch_needs_support_active_in_the_year_and_an_ordinary_or_absent_standing(
    tmp_path,
):
    people = {no: pid() for no in "ABCDEFGH"}
    population = [f"{no},{people[no]},某,head,370481101201" for no in people]
    civil = [
        f"{people['A']},dibao,{Y}-12-31,",  # starts on the last day
        f"{people['B']},tekun,2015-01-01,{Y}-01-01",  # ends on the first day
        f"{people['C']},dibao,2015-01-01,{Y - 1}-12-31",  # ended before
        f"{people['D']},dibao,{Y + 1}-01-01,",  # starts after
        f"{people['E']},低保,2015-01-01,",  # in the registry, supported
        f"{people['F']},特困,2015-01-01,",  # not in the registry
        f"{people['G']},dibao,2020-01-01,",  # monitored
    ]
    registry = ["A,ordinary", "B,ordinary", "C,ordinary", "D,ordinary", "E,lifted_supported"]
    registry += ["G,monitored", "H,ordinary"]
    warnings, *_ = run(tmp_path, {"population": population, "civil": civil}, registry=registry)
    assert sorted(warnings) == ["A", "B", "F"]
    assert warnings["A"]["registry_category"] == "ordinary"
    assert warnings["F"]["registry_category"] == ""


@pytest.mark.parametrize(
    ("net", "size", "expected"),
    [
        ("100.00", 3, "33.33"),
        ("100.01", 2, "50.01"),  # 50.005 → away from zero
        ("0.05", 2, "0.03"),
        ("0.01", 3, "0.00"),
        ("-0.05", 2, "-0.03"),
        ("-100.00", 3, "-33.33"),
    ],
)
def test_per_capita_income_rounds_half_away_from_zero(tmp_path, net, size, expected):
    population = household("A", size)
    amount = Decimal(net)
    wage, cost = (net, "0") if amount >= 0 else ("0", str(-amount))
    warnings, *_ = run(tmp_path, {"population": population, "income": [income("A", Y, wage, cost)]})
    assert warnings["A"]["per_capita_income"] == expected
    assert warnings["A"]["size"] == str(size)


def test_parameters_of_the_longest_matching_region_prefix(tmp_path):
    population = household("A") + household("B", village="370406100201")
    incomes = [income("A", Y, "7000"), income("B", Y, "7000")]
    higher = Params(**{**PARAMS.__dict__, "income_threshold": Decimal("7600")})
    lower = Params(**{**PARAMS.__dict__, "income_threshold": Decimal("5000")})
    warnings, *_ = run(
        tmp_path,
        {"population": population, "income": incomes},
        params=[("", PARAMS), ("370481", higher), ("37", lower)],
    )
    assert rules_of(warnings, "A") == ["low_income"]  # 7,000 < 7,600 of Tengzhou
    assert rules_of(warnings, "B") == []  # 7,000 ≥ 5,000 of Shandong


def test_summary_counts_per_county(tmp_path):
    population = household("A") + household("B") + household("C", village="370406100201")
    incomes = [income("A", Y, "100"), income("C", Y, "100")]
    _warnings, summary, _rejected, result = run(
        tmp_path, {"population": population, "income": incomes}
    )
    assert [
        (r["county_code"], r["households_screened"], r["households_flagged"]) for r in summary
    ] == [
        ("370406000000", "1", "1"),
        ("370481000000", "2", "1"),
    ]
    assert summary[1]["low_income"] == "1" and summary[1]["income_drop"] == "0"
    assert summary[1]["dropout"] == ""  # not run: no education feed
    assert result["households_screened"] == 3 and result["households_flagged"] == 2
    assert result["flags"]["low_income"] == 2 and result["flags"]["dropout"] is None
