import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.core.errors import FupinError, NotFound
from fupin.oversight.selectors import (
    NO_DATA,
    Figure,
    Row,
    days_score,
    rank_rows,
    records_cases,
    records_households,
    scorecard_compute,
    scorecard_get,
    total_score,
)
from fupin.oversight.tests.conftest import END, START
from fupin.policy.services import policy_set

D = Decimal


def by_region(card):
    return {row.region: row for row in card.rows}


def test_town_scorecard_figures_totals_and_ranks_as_worked_out_by_hand(scenario):
    r = scenario.regions
    card = scorecard_compute(region=r.county, start=START, end=END)
    assert card.as_of == END
    assert card.weights == {
        "pairing": D(30),
        "visits": D(0),
        "ontime": D(20),
        "days": D(20),
        "plans": D(30),
        "rounds": D(0),
    }
    assert card.targets == {"days": D(20)}
    rows = by_region(card)
    a, b = rows[r.town_a.code], rows[r.town_b.code]
    assert a.figures["pairing"] == Figure(6, 3, D("0.5"), D("0.5"))
    assert a.figures["ontime"] == Figure(2, 1, D("0.5"), D("0.5"))
    assert a.figures["days"] == Figure(2, None, D("20.0"), D(1))
    assert a.figures["plans"] == Figure(2, 1, D("0.5"), D("0.5"))
    assert a.total == D("60.00")
    assert b.figures["pairing"] == Figure(2, 2, D(1), D(1))
    assert b.figures["ontime"] == Figure(1, 1, D(1), D(1))
    assert b.figures["days"] == Figure(1, None, D("40.0"), D("0.5"))
    assert b.figures["plans"] == Figure(0, 0, None, None)
    assert b.total == D("85.71")
    assert [(row.region, row.rank) for row in card.rows] == [
        (r.town_b.code, 1),
        (r.town_a.code, 2),
    ]


def test_city_scorecard_sums_each_county_and_leaves_a_county_without_data_unranked(scenario):
    r = scenario.regions
    card = scorecard_compute(region=r.city, start=START, end=END)
    rows = by_region(card)
    tengzhou, shanting = rows[r.county.code], rows[r.county_2.code]
    assert tengzhou.figures["pairing"] == Figure(8, 5, D("0.625"), D("0.625"))
    assert tengzhou.figures["ontime"] == Figure(3, 2, D("0.6667"), D("0.6667"))
    assert tengzhou.figures["days"] == Figure(3, None, D("30.0"), D("0.6667"))
    assert tengzhou.figures["plans"] == Figure(2, 1, D("0.5"), D("0.5"))
    assert tengzhou.rank == 1
    assert shanting.total is None and shanting.rank is None
    assert [row.region for row in card.rows] == [r.county.code, r.county_2.code]


def test_the_weights_of_the_ranked_region_decide_the_total(scenario):
    r = scenario.regions
    policy_set(
        key="assessment.weights",
        value="pairing=100",
        region_code=r.county.code,
        valid_from=dt.date(2025, 6, 1),
        reason="只考核结对",
    )
    rows = by_region(scorecard_compute(region=r.county, start=START, end=END))
    assert rows[r.town_a.code].total == D("50.00")
    assert rows[r.town_b.code].total == D("100.00")
    # The city's ranking of counties keeps the city's (shipped) weights.
    assert scorecard_compute(region=r.city, start=START, end=END).weights["pairing"] == D(20)


def test_unknown_indicator_in_the_weights_is_refused(scenario):
    policy_set(
        key="assessment.weights",
        value="pairing=50,speed=50",
        region_code=scenario.regions.county.code,
        valid_from=dt.date(2016, 1, 1),
        reason="笔误",
    )
    with pytest.raises(FupinError) as error:
        scorecard_compute(region=scenario.regions.county, start=START, end=END)
    assert error.value.code == "unknown_indicator"
    assert error.value.details["unknown"] == ["speed"]


def test_a_period_that_ends_before_it_starts_is_refused(scenario):
    with pytest.raises(FupinError) as error:
        scorecard_compute(region=scenario.regions.county, start=END, end=START)
    assert error.value.code == "invalid_period"


def test_an_open_period_takes_its_figures_today(scenario):
    r = scenario.regions
    card = scorecard_compute(
        region=r.county, start=START, end=dt.date(2026, 12, 31), today=dt.date(2026, 2, 1)
    )
    assert card.as_of == dt.date(2026, 2, 1)
    # The pairing begun on 2026-01-05 now counts.
    assert by_region(card)[r.town_a.code].figures["pairing"].hits == 4


def test_ranks_share_equal_totals_and_skip_after_a_tie():
    rows = [
        Row("4", "", 9, {}, D("80.00")),
        Row("1", "", 9, {}, None),
        Row("3", "", 9, {}, D("80.00")),
        Row("2", "", 9, {}, D("90.00")),
        Row("5", "", 9, {}, D("70.00")),
    ]
    assert [(row.region, row.rank) for row in rank_rows(rows)] == [
        ("2", 1),
        ("3", 2),
        ("4", 2),
        ("5", 4),
        ("1", None),
    ]


def test_days_score_is_full_up_to_the_target_then_falls_as_target_over_median():
    assert days_score(D(20), D(20)) == D(1)
    assert days_score(D(5), D(20)) == D(1)
    assert days_score(D(80), D(20)) == D("0.25")
    assert days_score(None, D(20)) is None


def test_an_indicator_without_data_leaves_the_total_and_the_rest_are_rescaled():
    weights = {"pairing": D(20), "visits": D(20), "plans": D(60)}
    figures = {
        "pairing": Figure(1, 1, D(1), D(1)),
        "visits": NO_DATA,
        "plans": Figure(2, 1, D("0.5"), D("0.5")),
    }
    assert total_score(figures, weights) == D("62.50")  # 100 × (20 + 30) / 80
    assert total_score({"visits": NO_DATA}, weights) is None


@given(
    scores=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=100),
            st.one_of(st.none(), st.integers(min_value=0, max_value=10000)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_total_stays_within_0_and_100_and_is_full_only_for_full_scores(scores):
    names = [f"i{n}" for n in range(len(scores))]
    weights = {name: D(w) for name, (w, _s) in zip(names, scores, strict=True)}
    figures = {
        name: NO_DATA if s is None else Figure(1, 1, D(s) / 10000, D(s) / 10000)
        for name, (_w, s) in zip(names, scores, strict=True)
    }
    total = total_score(figures, weights)
    counted = [(w, s) for w, s in scores if s is not None and w]
    if not counted:
        assert total is None
    else:
        assert D(0) <= total <= D(100)
        assert (total == D(100)) == all(s == 10000 for _w, s in counted)


def test_a_town_officer_reads_their_own_town_and_not_another(scenario):
    r = scenario.regions
    card = scorecard_get(user=scenario.town_a, region_code=None, start=START, end=END)
    assert card.region == r.town_a
    assert [row.region for row in card.rows] == [r.village_a.code]
    with pytest.raises(NotFound):
        scorecard_get(user=scenario.town_a, region_code=r.town_b.code, start=START, end=END)
    with pytest.raises(NotFound):
        scorecard_get(user=scenario.village, region_code=None, start=START, end=END)


def test_the_records_behind_the_figures(scenario):
    r = scenario.regions
    missing = records_households(
        user=scenario.county, indicator="pairing", region=r.town_a, on=END, missing=True
    )
    assert missing.count() == 3
    assert scenario.a4 in missing
    all_needing = records_households(
        user=scenario.county, indicator="pairing", region=r.town_a, on=END, missing=False
    )
    assert all_needing.count() == 6
    plans = records_households(
        user=scenario.county, indicator="plans", region=r.town_a, on=END, missing=True
    )
    assert list(plans) == [scenario.a6]
    cases = list(records_cases(user=scenario.county, region=r.town_a, start=START, end=END))
    assert [(c.decision_due, c.decided_on) for c in cases] == [
        (dt.date(2025, 3, 20), dt.date(2025, 3, 18)),
        (dt.date(2025, 4, 10), dt.date(2025, 4, 15)),
    ]
    assert not records_cases(user=scenario.town_a, region=r.town_b, start=START, end=END).exists()


@given(
    totals=st.lists(
        st.one_of(st.none(), st.integers(min_value=0, max_value=10000)), min_size=1, max_size=12
    )
)
def test_a_higher_total_always_ranks_better_and_a_rank_counts_the_better_ones(totals):
    rows = [
        Row(f"{n:02d}", "", 9, {}, None if t is None else D(t) / 100) for n, t in enumerate(totals)
    ]
    ranked = rank_rows(rows)
    for row in ranked:
        if row.total is None:
            assert row.rank is None
        else:
            better = sum(
                1 for other in ranked if other.total is not None and other.total > row.total
            )
            assert row.rank == better + 1
    assert [r.total is None for r in ranked] == sorted(r.total is None for r in ranked)
