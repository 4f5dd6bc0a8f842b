import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.errors import FupinError, NotFound
from fupin.core.models import Event
from fupin.oversight.models import Scorecard
from fupin.oversight.selectors import scorecard_compute, scorecard_get
from fupin.oversight.services import scorecard_close
from fupin.oversight.tests.conftest import END, START, needing
from fupin.pairing.models import Pairing
from fupin.policy.services import policy_set

D = Decimal


def ranking(card):
    return [(row.region, row.total, row.rank) for row in card.rows]


def test_closing_freezes_the_published_ranking_whatever_changes_afterwards(scenario):
    r = scenario.regions
    before = scorecard_get(user=scenario.county, region_code=None, start=START, end=END)
    snapshot = scorecard_close(
        parent_code=r.county.code, start=START, end=END, actor=scenario.county
    )
    assert snapshot.weights["pairing"] == "30"
    assert snapshot.as_of == END
    # Later: town A's missing households get cadres, town B gains an unpaired one, weights change.
    cadre = Pairing.objects.first().cadre
    Pairing.objects.filter(start_date__gt=END).update(start_date=dt.date(2025, 2, 1))
    for _n in range(3):
        needing(r.village_b)
    for household in scenario.a4, needing(r.village_a):
        Pairing.objects.create(household=household, cadre=cadre, start_date=dt.date(2025, 2, 1))
    policy_set(
        key="assessment.weights",
        value="pairing=100",
        region_code=r.county.code,
        valid_from=dt.date(2016, 1, 1),
        reason="改权重",
    )
    live = scorecard_compute(region=r.county, start=START, end=END)
    assert ranking(live) != ranking(before)
    after = scorecard_get(user=scenario.county, region_code=None, start=START, end=END)
    assert after.status == "closed"
    assert (
        ranking(after)
        == ranking(before)
        == [
            (r.town_b.code, D("85.71"), 1),
            (r.town_a.code, D("60.00"), 2),
        ]
    )
    assert {k: f for k, f in after.rows[1].figures.items()} == before.rows[1].figures
    assert after.weights == before.weights
    event = Event.objects.get(verb="oversight.scorecard_closed")
    assert event.actor == scenario.county
    assert event.region_code == r.county.code
    assert event.data["ranking"] == [[r.town_b.code, "85.71", 1], [r.town_a.code, "60.00", 2]]


def test_a_period_is_closed_once(scenario):
    r = scenario.regions
    scorecard_close(parent_code=r.county.code, start=START, end=END, actor=scenario.county)
    with pytest.raises(FupinError) as error:
        scorecard_close(parent_code=r.county.code, start=START, end=END, actor=scenario.county)
    assert (error.value.code, error.value.status) == ("invalid_transition", 409)
    assert error.value.details == {
        "from": "closed",
        "to": "closed",
        "allowed": [],
        "region": r.county.code,
        "start": str(START),
        "end": str(END),
    }
    assert str(error.value.message) == "该考核期已关闭，排名已发布，不能再次关闭"
    assert Scorecard.objects.count() == 1


def test_a_period_not_over_cannot_be_closed(scenario):
    with pytest.raises(FupinError) as error:
        scorecard_close(
            parent_code=scenario.regions.county.code,
            start=START,
            end=END,
            actor=scenario.county,
            today=END,
        )
    assert error.value.code == "period_not_over"


def test_the_city_closes_its_counties_and_a_county_its_towns_only(scenario):
    r = scenario.regions
    with pytest.raises(FupinError) as error:
        scorecard_close(parent_code=r.county.code, start=START, end=END, actor=scenario.city)
    assert error.value.code == "forbidden"
    with pytest.raises(FupinError) as error:
        scorecard_close(parent_code=r.town_a.code, start=START, end=END, actor=scenario.county)
    assert error.value.code == "forbidden"
    with pytest.raises(FupinError) as error:
        scorecard_close(parent_code=r.town_a.code, start=START, end=END, actor=scenario.town_a)
    assert error.value.code == "forbidden"
    with pytest.raises(NotFound):
        scorecard_close(parent_code=r.city.code, start=START, end=END, actor=scenario.county)
    snapshot = scorecard_close(parent_code=r.city.code, start=START, end=END, actor=scenario.city)
    assert [row.region_id for row in snapshot.rows.order_by("region_id")] == [
        r.county_2.code,
        r.county.code,
    ]
    unranked = snapshot.rows.get(region=r.county_2)
    assert unranked.total is None and unranked.rank is None


def test_a_system_run_may_close_any_region(scenario):
    snapshot = scorecard_close(
        parent_code=scenario.regions.town_a.code, start=START, end=END, actor=None
    )
    assert snapshot.closed_by is None
    assert snapshot.rows.get().region_id == scenario.regions.village_a.code
