import datetime as dt

import pytest

from fupin.core.errors import FupinError
from fupin.core.models import Event
from fupin.pairing.models import Pairing
from fupin.pairing.services import (
    cadre_update,
    pairing_add,
    pairings_add,
    pairings_end,
    unit_update,
)
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.registry.tests.factories import HouseholdFactory


def test_pairings_added_at_once_have_history_and_an_event_each(regions):
    cadre = CadreFactory(unit=AidUnitFactory(region=regions.county))
    one, two = (HouseholdFactory(village=regions.village_a) for _ in range(2))
    added = pairings_add(
        pairs=[(cadre.pk, one.pk, dt.date(2020, 1, 1)), (cadre.pk, two.pk, dt.date(2020, 2, 1))],
        reason="导入结对",
    )
    assert [p.household_id for p in added] == [one.pk, two.pk]
    assert [p.history.get().history_change_reason for p in added] == ["导入结对"] * 2
    assert Event.objects.filter(verb="pairing.added").count() == 2


def test_pairings_added_at_once_refuse_an_active_pairing_as_the_single_service_does(regions):
    cadre = CadreFactory(unit=AidUnitFactory(region=regions.county))
    household = HouseholdFactory(village=regions.village_a)
    pairing_add(cadre=cadre, household=household)
    with pytest.raises(FupinError) as caught:
        pairings_add(pairs=[(cadre.pk, household.pk, dt.date(2020, 1, 1))])
    assert caught.value.code == "pairing_exists"


def test_pairings_ended_at_once_have_history_and_an_event_each(regions):
    pairing = PairingFactory(
        cadre=CadreFactory(unit=AidUnitFactory(region=regions.county)),
        household=HouseholdFactory(village=regions.village_a),
    )
    assert pairings_end(endings=[(pairing, dt.date(2021, 3, 1), "reallocated")]) == 1
    pairing.refresh_from_db()
    assert (pairing.end_date, pairing.end_reason) == (dt.date(2021, 3, 1), "reallocated")
    assert pairing.history.first().history_type == "~"
    assert Event.objects.get(verb="pairing.ended").data == {"reason": "reallocated"}
    with pytest.raises(FupinError) as caught:
        pairings_end(endings=[(pairing, dt.date(2021, 4, 1), "reallocated")])
    assert caught.value.code == "pairing_ended"


def test_a_bad_end_reason_is_refused_before_anything_is_written(regions):
    pairing = PairingFactory(
        cadre=CadreFactory(unit=AidUnitFactory(region=regions.county)),
        household=HouseholdFactory(village=regions.village_a),
    )
    with pytest.raises(FupinError) as caught:
        pairings_end(endings=[(pairing, dt.date(2021, 3, 1), "bored")])
    assert caught.value.code == "invalid_end_reason"
    assert Pairing.objects.active().filter(pk=pairing.pk).exists()


def test_a_unit_and_a_cadre_are_changed_with_history_and_events(regions):
    unit = AidUnitFactory(region=regions.county, level="county")
    unit_update(unit=unit, level="town", reason="导入帮扶单位")
    assert unit.history.first().history_change_reason == "导入帮扶单位"
    with pytest.raises(FupinError):
        unit_update(unit=unit, level="galaxy")
    cadre = CadreFactory(unit=unit)
    assert cadre_update(cadre=cadre, name=cadre.name) is False
    assert cadre_update(cadre=cadre, position="队员", active=False) is True
    cadre.refresh_from_db()
    assert (cadre.position, cadre.active) == ("队员", False)
    assert Event.objects.get(verb="pairing.cadre_updated").data == {
        "fields": ["position", "active"]
    }
