"""The allocation runs by itself when the county decides a monitoring case."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.assistance.services import measure_add
from fupin.monitoring.tests.factories import DECLARANT_ID, advance, post, walk_to_county
from fupin.pairing.models import AllocationRun, Pairing
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, UnitVillageFactory
from fupin.registry.models import Household, HouseholdIncome


@pytest.mark.django_db
def test_a_new_monitored_household_gets_a_cadre_and_frees_it_on_exit(client, regions, officers):
    # given a unit paired with village A and a cadre of it, and a cadre of the county
    unit = AidUnitFactory(region=regions.county)
    UnitVillageFactory(unit=unit, village=regions.village_a)
    cadre = CadreFactory(unit=unit)
    CadreFactory(unit=AidUnitFactory(region=regions.county))
    # when a declaration goes through to the county's inclusion
    body = {
        "name": "周大山",
        "id_number": DECLARANT_ID,
        "phone": "13700000001",
        "village_code": regions.village_a.code,
        "household_size": 1,
        "risk_types": ["illness"],
        "description": "住院",
    }
    response = post(client, "/api/v1/declarations", body, {"Idempotency-Key": "pairing-1"})
    assert response.status_code == 201, response.json()
    case_id = response.json()["case_id"]
    walk_to_county(client, officers, case_id)
    assert not Pairing.objects.exists()
    response = advance(
        client,
        officers,
        officers.county,
        case_id,
        "county_decide",
        data={"monitoring_type": "edge", "risk_types": ["illness"]},
    )
    assert response.status_code == 200, response.json()
    # then the household has the cadre of the unit paired with its village, nobody pressing a button
    household = Household.objects.get(household_no=response.json()["household_no"])
    pairing = Pairing.objects.active().get(household=household)
    assert pairing.cadre == cadre
    run = AllocationRun.objects.get()
    assert (run.region_id, run.added, run.households_only) == ("370481000000", 1, True)

    # when the exit is decided by the county
    today = timezone.localdate()
    Household.objects.filter(pk=household.pk).update(monitored_on=today - dt.timedelta(days=200))
    head = household.members.get()
    head.labor_ability = "ordinary"
    head.save()
    HouseholdIncome.objects.create(household=household, year=today.year - 1, size=1, wage=9000)
    measure_add(
        plan=household.assistance_plan,
        actor=officers.village,
        category="employment",
        description="务工",
        start_date=today,
    )
    exit_id = post(
        client,
        f"/api/v1/households/{household.household_no}/exit-cases",
        {"reason": "risk_eliminated"},
        officers.headers(officers.village),
    ).json()["id"]
    walk_to_county(client, officers, exit_id)
    response = advance(
        client,
        officers,
        officers.county,
        exit_id,
        "county_decide",
        data={"exit_reason": "risk_eliminated"},
    )
    assert response.status_code == 200, response.json()
    # then the pairing ends and the cadre's place is free
    pairing.refresh_from_db()
    assert (pairing.end_date, pairing.end_reason) == (today, "household_no_longer_needs")
    assert not Pairing.objects.active().filter(cadre=cadre).exists()
