import datetime as dt
from collections import Counter

import pytest

from fupin.core.errors import FupinError
from fupin.pairing.models import AllocationRun, Pairing
from fupin.pairing.services import cadre_add, cadre_set_active, pairing_allocate
from fupin.pairing.tests.factories import (
    AidUnitFactory,
    CadreFactory,
    PairingFactory,
    UnitVillageFactory,
)
from fupin.registry.tests.factories import HouseholdFactory, id_number

COUNTY = "370481000000"


def unit_in(village, **kwargs):
    unit = AidUnitFactory(region_id=village.code[:6] + "000000", **kwargs)
    UnitVillageFactory(unit=unit, village=village)
    return unit


def cadre_of(unit, **kwargs):
    return CadreFactory(unit=unit, **kwargs)


def active_pairs():
    return set(Pairing.objects.active().values_list("household_id", "cadre_id"))


def test_preference_village_then_town_then_county_then_fewest_then_lowest_id(county):
    # given cadres of a unit paired with village A, one with village A2, and a county unit
    c_a = cadre_of(unit_in(county.village_a))
    c_a2 = cadre_of(unit_in(county.village_a2))
    c_county = cadre_of(AidUnitFactory(region=county.county))
    h_a = HouseholdFactory(village=county.village_a)
    h_a2 = HouseholdFactory(village=county.village_a2)
    h_a3 = HouseholdFactory(village=county.village_a3)  # no unit paired with village A3
    h_b = HouseholdFactory(village=county.village_b)  # another town
    # when the county is allocated
    result = pairing_allocate(region_code=COUNTY)
    # then each household gets the cadre the rules prefer
    by_household = {h: (cadre, tier) for h, cadre, tier in result.assignments}
    assert by_household[h_a.pk] == (c_a.pk, 0)
    assert by_household[h_a2.pk] == (c_a2.pk, 0)
    # same town: c_a and c_a2 both hold one household, so the lowest id wins
    assert by_household[h_a3.pk] == (min(c_a.pk, c_a2.pk), 1)
    # same county: the county unit's cadre holds none
    assert by_household[h_b.pk] == (c_county.pk, 2)
    assert active_pairs() == {(h, cadre) for h, (cadre, _t) in by_household.items()}
    assert (result.kept, result.ended, result.added, result.uncovered_count) == (0, 0, 4, 0)


def test_only_households_needing_a_cadre_are_paired(county):
    cadre_of(unit_in(county.village_a))
    HouseholdFactory(village=county.village_a, poverty_status="none")
    HouseholdFactory(village=county.village_a, poverty_status="lifted", policy_support=False)
    supported = HouseholdFactory(
        village=county.village_a, poverty_status="lifted", policy_support=True
    )
    monitored = HouseholdFactory(
        village=county.village_a, poverty_status="none", monitoring_type="edge", risk_state="open"
    )
    result = pairing_allocate(region_code=COUNTY)
    assert {h for h, _c, _t in result.assignments} == {supported.pk, monitored.pk}
    assert result.needing == 2


def test_capacity_is_respected_and_uncovered_reasons_are_given(county):
    cadre = cadre_of(unit_in(county.village_a))
    households = [HouseholdFactory(village=county.village_a) for _ in range(6)]
    elsewhere = HouseholdFactory(village=county.village_c)  # another county, no cadre there
    result = pairing_allocate(region_code="370400000000")
    assert Pairing.objects.active().filter(cadre=cadre).count() == 5
    assert [u["household_no"] for u in result.uncovered] == [
        households[5].household_no,
        elsewhere.household_no,
    ]
    assert [u["reason"] for u in result.uncovered] == [
        "no_capacity_in_county",
        "no_cadre_in_county",
    ]
    run = AllocationRun.objects.get()
    assert (run.added, run.uncovered, run.needing) == (5, 2, 7)
    assert run.uncovered_list == result.uncovered


def test_capacity_comes_from_policy(county):
    from fupin.policy.services import policy_set

    policy_set(
        key="pairing.cadre_capacity",
        value="2",
        region_code=COUNTY,
        valid_from=dt.date(2016, 1, 1),
        reason="测试",
    )
    cadre_of(unit_in(county.village_a))
    for _ in range(3):
        HouseholdFactory(village=county.village_a)
    result = pairing_allocate(region_code=COUNTY)
    assert (result.added, result.uncovered_count) == (2, 1)


def test_existing_pairings_are_kept_even_against_preference(county):
    preferred = cadre_of(unit_in(county.village_a))
    other = cadre_of(AidUnitFactory(region=county.county))
    household = HouseholdFactory(village=county.village_a)
    PairingFactory(cadre=other, household=household)
    result = pairing_allocate(region_code=COUNTY)
    assert (result.kept, result.added, result.ended) == (1, 0, 0)
    assert active_pairs() == {(household.pk, other.pk)}
    assert not Pairing.objects.filter(cadre=preferred).exists()
    # a second run changes nothing
    again = pairing_allocate(region_code=COUNTY)
    assert (again.kept, again.added, again.ended) == (1, 0, 0)


def test_existing_pairings_count_against_capacity(county):
    cadre = cadre_of(unit_in(county.village_a))
    spare = cadre_of(AidUnitFactory(region=county.county))
    for _ in range(5):
        PairingFactory(cadre=cadre, household=HouseholdFactory(village=county.village_a))
    new = HouseholdFactory(village=county.village_a)
    result = pairing_allocate(region_code=COUNTY)
    assert result.assignments == [(new.pk, spare.pk, 2)]


def test_pairings_end_when_household_no_longer_needs_or_cadre_left(county):
    unit = unit_in(county.village_a)
    leaving = cadre_of(unit)
    staying = cadre_of(unit)
    exited = HouseholdFactory(village=county.village_a)
    removed = HouseholdFactory(village=county.village_a)
    orphaned = HouseholdFactory(village=county.village_a)
    p_exited = PairingFactory(cadre=staying, household=exited)
    p_removed = PairingFactory(cadre=staying, household=removed)
    p_orphaned = PairingFactory(cadre=leaving, household=orphaned)
    exited.poverty_status = "lifted"
    exited.policy_support = False
    exited.save()
    removed.removal_reason = "moved"
    removed.removed_on = dt.date(2020, 1, 1)
    removed.save()
    cadre_set_active(cadre=leaving, active=False, reason="调离")

    result = pairing_allocate(region_code=COUNTY)

    for pairing, reason in (
        (p_exited, "household_no_longer_needs"),
        (p_removed, "household_no_longer_needs"),
        (p_orphaned, "cadre_left"),
    ):
        pairing.refresh_from_db()
        assert pairing.end_reason == reason
        assert pairing.end_date is not None
        assert pairing.history.first().history_type == "~"
    assert result.ended == 3
    # the orphaned household gets the remaining cadre
    assert result.assignments == [(orphaned.pk, staying.pk, 0)]


def test_a_run_limited_to_households_touches_only_them(county):
    cadre = cadre_of(unit_in(county.village_a))
    one = HouseholdFactory(village=county.village_a)
    HouseholdFactory(village=county.village_a)
    result = pairing_allocate(region_code=COUNTY, households=[one.pk])
    assert result.assignments == [(one.pk, cadre.pk, 0)]
    assert AllocationRun.objects.get().households_only


def test_dry_run_writes_no_pairing_and_is_deterministic(county):
    unit = unit_in(county.village_a)
    for _ in range(3):
        cadre_of(unit)
    cadre_of(AidUnitFactory(region=county.county))
    for village in (county.village_a, county.village_a2, county.village_b) * 4:
        HouseholdFactory(village=village)
    first = pairing_allocate(region_code=COUNTY, dry_run=True)
    second = pairing_allocate(region_code=COUNTY, dry_run=True)
    assert not Pairing.objects.exists()
    assert first.assignments == second.assignments
    assert len(first.assignments) == 12
    real = pairing_allocate(region_code=COUNTY)
    assert real.assignments == first.assignments
    # every new pairing has its field history
    assert Pairing.history.filter(history_type="+").count() == 12
    # fewest households first: the four cadres hold 3 each
    loads = Counter(Pairing.objects.active().values_list("cadre_id", flat=True))
    assert sorted(loads.values()) == [3, 3, 3, 3]


def test_unknown_region_is_not_found(county):
    with pytest.raises(FupinError) as caught:
        pairing_allocate(region_code="370481999000")
    assert caught.value.code == "not_found"


def test_cadre_id_number_is_validated(county):
    unit = AidUnitFactory(region=county.county)
    with pytest.raises(FupinError) as caught:
        good = id_number(4241)
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        cadre_add(name="甲", id_number=bad, unit=unit)
    assert caught.value.code == "id_checksum"
    cadre = cadre_add(name="乙", id_number=id_number(4242), unit=unit)
    assert cadre.history.count() == 1


def test_a_cadres_login_must_have_the_cadre_role(county):
    from fupin.accounts.tests.factories import UserFactory

    unit = AidUnitFactory(region=county.county)
    officer = UserFactory(role="town_officer", region=county.town_a)
    with pytest.raises(FupinError) as caught:
        cadre_add(name="甲", id_number=id_number(4243), unit=unit, user=officer)
    assert caught.value.code == "not_a_cadre_account"
    login = UserFactory(role="cadre", region=county.village_a)
    assert cadre_add(name="乙", id_number=id_number(4244), unit=unit, user=login).user == login
