import datetime as dt

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.pairing.models import RoundVisit
from fupin.pairing.selectors import leader_progress, round_targets, rounds_progress_by_region
from fupin.pairing.services import round_visit_record
from fupin.regions.models import Region
from fupin.regions.services import region_create
from fupin.registry.tests.factories import HouseholdFactory

START = dt.date(2024, 1, 1)
END = dt.date(2024, 12, 31)


def at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def key(region):
    Region.objects.filter(pk=region.pk).update(is_key=True)
    region.refresh_from_db()
    return region


@pytest.fixture
def rounds(regions):
    """Key town A, key villages A and A2; households needing a cadre in villages A and B."""
    regions.village_a2 = region_create(code="370481101202", name="洪二村")
    key(regions.town_a)
    key(regions.village_a)
    key(regions.village_a2)
    key(regions.town_c)
    regions.h_a = HouseholdFactory(village=regions.village_a)
    regions.h_a2 = HouseholdFactory(village=regions.village_a)
    regions.h_b = HouseholdFactory(village=regions.village_b)
    HouseholdFactory(village=regions.village_a, poverty_status="none")  # not a target
    regions.city_sec = UserFactory(
        role="city_admin", region=regions.city, position="city_secretary"
    )
    regions.county_sec = UserFactory(
        role="county_officer", region=regions.county, position="county_secretary"
    )
    regions.town_sec = UserFactory(
        role="town_officer", region=regions.town_a, position="town_secretary"
    )
    regions.village_sec = UserFactory(
        role="village_officer", region=regions.village_b, position="village_secretary"
    )
    return regions


def record(leader, n, **target):
    return round_visit_record(
        leader=leader, idempotency_key=f"r-{leader.pk}-{n}", visited_at=at(START), **target
    )[0]


def progress(prefix):
    return {
        row.leader_id: (row.targets, row.visited)
        for row in leader_progress(prefix=prefix, start=START, end=END)
    }


def test_targets_per_position(rounds):
    assert progress(rounds.city.prefix) == {
        rounds.city_sec.pk: (2, 0),  # key towns A and C
        rounds.county_sec.pk: (2, 0),  # key villages A and A2
        rounds.town_sec.pk: (2, 0),  # households needing a cadre in town A
        rounds.village_sec.pk: (1, 0),  # in village B
    }
    assert [t.code for t in round_targets(user=rounds.county_sec, start=START, end=END)] == [
        rounds.village_a.code,
        rounds.village_a2.code,
    ]


def test_progress_counts_distinct_targets_visited_in_the_period(rounds):
    record(rounds.city_sec, 1, region=rounds.town_a)
    record(rounds.city_sec, 2, region=rounds.town_a)  # the same town twice counts once
    record(rounds.county_sec, 1, region=rounds.village_a)
    record(rounds.town_sec, 1, household=rounds.h_a)
    record(rounds.town_sec, 2, household=rounds.h_a2)
    late = record(rounds.village_sec, 1, household=rounds.h_b)
    RoundVisit.objects.filter(pk=late.pk).update(visited_on=END + dt.timedelta(days=1))
    assert progress(rounds.city.prefix) == {
        rounds.city_sec.pk: (2, 1),
        rounds.county_sec.pk: (2, 1),
        rounds.town_sec.pk: (2, 2),
        rounds.village_sec.pk: (1, 0),
    }
    # by child region: the leaders whose region lies in each child (the city secretary in none)
    assert rounds_progress_by_region(parent_code=rounds.city.code, start=START, end=END) == {
        rounds.county.code: (2 + 2 + 1, 1 + 2 + 0)
    }
    assert rounds_progress_by_region(parent_code=rounds.county.code, start=START, end=END) == {
        rounds.town_a.code: (2, 2),
        rounds.town_b.code: (1, 0),
    }
    targets = round_targets(user=rounds.city_sec, start=START, end=END)
    assert [(t.code, t.last_visit) for t in targets] == [
        (rounds.town_c.code, None),
        (rounds.town_a.code, START),
    ]


def test_a_round_visit_outside_the_leaders_targets_is_refused(rounds):
    cases = [
        (rounds.city_sec, {"region": rounds.village_a}),  # a village is not a city target
        (rounds.county_sec, {"region": rounds.village_c}),  # another county's village
        (rounds.county_sec, {"region": rounds.village_b}),  # not a key village
        (rounds.town_sec, {"household": rounds.h_b}),  # another town's household
        (rounds.village_sec, {"region": rounds.village_b}),
    ]
    for n, (leader, target) in enumerate(cases):
        with pytest.raises(FupinError) as error:
            record(leader, 100 + n, **target)
        assert error.value.code == "not_a_round_target"
    officer = UserFactory(role="town_officer", region=rounds.town_a)
    with pytest.raises(FupinError) as error:
        record(officer, 1, household=rounds.h_a)
    assert error.value.code == "not_a_leader"


def test_round_visits_are_idempotent(rounds):
    first = record(rounds.town_sec, 1, household=rounds.h_a)
    again = record(rounds.town_sec, 1, household=rounds.h_a)
    assert first.pk == again.pk and RoundVisit.objects.count() == 1
    with pytest.raises(FupinError) as error:
        round_visit_record(
            leader=rounds.village_sec,
            idempotency_key=f"r-{rounds.town_sec.pk}-1",
            household=rounds.h_b,
        )
    assert error.value.code == "idempotency_key_reused"
