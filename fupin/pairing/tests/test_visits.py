import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.pairing.models import Pairing, Visit
from fupin.pairing.selectors import (
    my_households,
    overdue_by_cadre,
    overdue_households,
    visit_compliance,
    visit_compliance_by_region,
)
from fupin.pairing.services import visit_record
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.policy.services import policy_set
from fupin.registry.models import Household
from fupin.registry.tests.factories import HouseholdFactory

ON = dt.date(2024, 6, 30)
START = dt.date(2024, 1, 1)


def visit(household, day, cadre=None):
    """Write a visit on a day (as a bulk load would)."""
    cadre = cadre or household.pairings.first().cadre
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return Visit.objects.create(
        cadre=cadre,
        household=household,
        visited_at=at,
        visited_on=day,
        found="看望",
        idempotency_key=f"k-{household.pk}-{day}-{Visit.objects.count()}",
    )


def paired(village, *, start=START, **fields):
    household = HouseholdFactory(village=village, **fields)
    unit = AidUnitFactory(region_id=village.code[:6] + "000000")
    PairingFactory(household=household, cadre=CadreFactory(unit=unit), start_date=start)
    return household


def compliance(regions, on=ON):
    return visit_compliance_by_region(parent_code=regions.county.code, on=on)


def test_overdue_boundary_exactly_visit_days_then_one_day_more(regions):
    # not_lifted: 30 days by default
    household = paired(regions.village_a)
    visit(household, ON - dt.timedelta(days=30))
    assert compliance(regions) == {regions.town_a.code: (1, 1)}
    assert compliance(regions, ON + dt.timedelta(days=1)) == {regions.town_a.code: (1, 0)}


def test_lifted_supported_has_ninety_days_and_ordinary_households_do_not_count(regions):
    household = paired(regions.village_a, poverty_status="lifted", policy_support=True)
    paired(regions.village_a, poverty_status="none")
    visit(household, ON - dt.timedelta(days=90))
    assert compliance(regions) == {regions.town_a.code: (1, 1)}
    assert compliance(regions, ON + dt.timedelta(days=1)) == {regions.town_a.code: (1, 0)}


def test_never_visited_is_on_time_while_the_pairing_is_younger_than_visit_days(regions):
    paired(regions.village_a, start=ON - dt.timedelta(days=30))
    paired(regions.village_b, start=ON - dt.timedelta(days=31))
    HouseholdFactory(village=regions.village_b)  # no cadre and never visited: overdue
    assert compliance(regions) == {regions.town_a.code: (1, 1), regions.town_b.code: (2, 0)}


def test_a_visit_after_the_date_does_not_count(regions):
    household = paired(regions.village_a)
    visit(household, ON + dt.timedelta(days=1))
    assert compliance(regions) == {regions.town_a.code: (1, 0)}


def test_a_region_override_of_visit_days_changes_the_result(regions):
    in_a = paired(regions.village_a)
    in_b = paired(regions.village_b)
    visit(in_a, ON - dt.timedelta(days=45))
    visit(in_b, ON - dt.timedelta(days=45))
    assert compliance(regions) == {regions.town_a.code: (1, 0), regions.town_b.code: (1, 0)}
    policy_set(
        key="pairing.visit_days.not_lifted",
        value="60",
        region_code=regions.town_a.code,
        valid_from=dt.date(2024, 1, 1),
        reason="试行",
    )
    assert compliance(regions) == {regions.town_a.code: (1, 1), regions.town_b.code: (1, 0)}
    # the town's own figure reads the same override
    assert visit_compliance_by_region(parent_code=regions.town_a.code, on=ON) == {
        regions.village_a.code: (1, 1)
    }
    # a value set for the county applies to both towns; the town's own value still wins in A
    policy_set(
        key="pairing.visit_days.not_lifted",
        value="50",
        region_code=regions.county.code,
        valid_from=dt.date(2024, 1, 1),
        reason="试行",
    )
    assert compliance(regions) == {regions.town_a.code: (1, 1), regions.town_b.code: (1, 1)}
    assert compliance(regions, ON + dt.timedelta(days=6)) == {
        regions.town_a.code: (1, 1),
        regions.town_b.code: (1, 0),
    }


def test_the_city_sees_its_counties(regions):
    paired(regions.village_a)
    paired(regions.village_c)
    assert visit_compliance_by_region(parent_code=regions.city.code, on=ON) == {
        regions.county.code: (1, 0),
        regions.county_2.code: (1, 0),
    }


def test_overdue_lists_are_scoped_and_count_per_cadre(regions):
    a = paired(regions.village_a)
    b = paired(regions.village_b)
    visit(a, ON - dt.timedelta(days=40))
    officer = UserFactory(role="town_officer", region=regions.town_a)
    county = UserFactory(role="county_officer", region=regions.county)
    rows = list(overdue_households(user=officer, on=ON))
    assert [(h.pk, h.last_visit) for h in rows] == [(a.pk, ON - dt.timedelta(days=40))]
    assert {h.pk for h in overdue_households(user=county, on=ON)} == {a.pk, b.pk}
    cadres = {c.pk: c.overdue for c in overdue_by_cadre(user=county, on=ON)}
    assert cadres == {a.pairings.get().cadre_id: 1, b.pairings.get().cadre_id: 1}
    figures = visit_compliance(user=county, on=ON)
    assert (figures["needing"], figures["on_time"], figures["overdue"]) == (2, 0, 2)


def test_visits_are_idempotent_and_a_cadre_records_only_for_paired_households(regions):
    login = UserFactory(role="cadre", region=regions.county)
    cadre = CadreFactory(user=login, unit=AidUnitFactory(region=regions.county))
    mine = HouseholdFactory(village=regions.village_a)
    PairingFactory(cadre=cadre, household=mine)
    other = paired(regions.village_a)
    first, created = visit_record(household=mine, idempotency_key="v1", actor=login, found="好")
    again, created_again = visit_record(
        household=mine, idempotency_key="v1", actor=login, found="好"
    )
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert Visit.objects.count() == 1
    assert first.cadre == cadre and first.visited_on == timezone.localdate()
    with pytest.raises(FupinError) as error:
        visit_record(household=other, idempotency_key="v2", actor=login, found="好")
    assert error.value.code == "household_not_paired"
    items = my_households(user=login)
    assert [(i.household.pk, i.last_visit, i.overdue) for i in items] == [
        (mine.pk, timezone.localdate(), False)
    ]


CATEGORY_FIELDS = {
    "not_lifted": ({"poverty_status": "not_lifted"}, 30),
    "lifted_supported": ({"poverty_status": "lifted", "policy_support": True}, 90),
    "monitored": (
        {"poverty_status": "lifted", "monitoring_type": "edge", "risk_state": "open"},
        30,
    ),
}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    homes=st.lists(
        st.tuples(
            st.sampled_from(sorted(CATEGORY_FIELDS)),
            st.one_of(st.none(), st.integers(min_value=-5, max_value=120)),  # days since last visit
            st.one_of(st.none(), st.integers(min_value=0, max_value=120)),  # days since paired
            st.booleans(),  # village A (town A) or village B (town B)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_compliance_counts_match_the_rule_household_by_household(regions, homes):
    Visit.objects.all().delete()
    Pairing.objects.all().delete()
    Household.objects.all().delete()
    unit = AidUnitFactory(region=regions.county)
    cadre = CadreFactory(unit=unit)
    expected: dict[str, list[int]] = {}
    for category, since_visit, since_paired, in_a in homes:
        fields, days = CATEGORY_FIELDS[category]
        village = regions.village_a if in_a else regions.village_b
        household = HouseholdFactory(village=village, **fields)
        if since_paired is not None:
            PairingFactory(
                cadre=cadre, household=household, start_date=ON - dt.timedelta(days=since_paired)
            )
        if since_visit is not None:
            visit(household, ON - dt.timedelta(days=since_visit), cadre=cadre)
        counted_visit = since_visit is not None and since_visit >= 0
        if counted_visit:
            on_time = since_visit <= days
        else:
            on_time = since_paired is not None and since_paired <= days
        town = (regions.town_a if in_a else regions.town_b).code
        figures = expected.setdefault(town, [0, 0])
        figures[0] += 1
        figures[1] += on_time
    assert compliance(regions) == {town: tuple(f) for town, f in expected.items()}
