import pytest

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.pairing.services import pairing_allocate
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.registry.tests.factories import HouseholdFactory

KEYS = ["region", "needing", "covered", "uncovered", "cadres_active", "cadres_over_capacity"]


def bearer(user):
    return {"Authorization": f"Bearer {token_create(user=user)[1]}"}


@pytest.fixture
def county_officer(regions):
    return UserFactory(username="county", role="county_officer", region=regions.county)


def test_coverage_of_a_county_and_its_towns(client, regions, county_officer):
    # given two cadres in town A, one over capacity, and households in both towns
    busy = CadreFactory(unit=AidUnitFactory(region=regions.town_a, level="town"))
    CadreFactory(unit=AidUnitFactory(region=regions.town_a, level="town"))
    for _ in range(6):
        PairingFactory(cadre=busy, household=HouseholdFactory(village=regions.village_a))
    HouseholdFactory(village=regions.village_b)  # needing, uncovered
    HouseholdFactory(village=regions.village_b, poverty_status="none")  # not needing
    left = CadreFactory(unit=AidUnitFactory(region=regions.town_b, level="town"), active=False)
    PairingFactory(cadre=left, household=HouseholdFactory(village=regions.village_b))
    # when the county officer asks for the county
    response = client.get(
        "/api/v1/pairing/coverage", {"region": regions.county.code}, headers=bearer(county_officer)
    )
    # then the county and each town have the figures, with exactly these keys
    assert response.status_code == 200, response.json()
    body = response.json()
    assert list(body) == [*KEYS, "children"]
    assert {k: body[k] for k in KEYS} == {
        "region": "370481000000",
        "needing": 8,
        "covered": 6,
        "uncovered": 2,
        "cadres_active": 2,
        "cadres_over_capacity": 1,
    }
    assert body["children"] == [
        {
            "region": regions.town_a.code,
            "needing": 6,
            "covered": 6,
            "uncovered": 0,
            "cadres_active": 2,
            "cadres_over_capacity": 1,
        },
        {
            "region": regions.town_b.code,
            "needing": 2,
            "covered": 0,
            "uncovered": 2,
            "cadres_active": 0,
            "cadres_over_capacity": 0,
        },
    ]


def test_coverage_follows_the_allocation(client, regions, county_officer):
    CadreFactory(unit=AidUnitFactory(region=regions.county))
    for _ in range(3):
        HouseholdFactory(village=regions.village_a)
    pairing_allocate(region_code=regions.county.code)
    body = client.get("/api/v1/pairing/coverage", headers=bearer(county_officer)).json()
    assert body["region"] == regions.county.code  # the user's own region by default
    assert (body["needing"], body["covered"], body["uncovered"]) == (3, 3, 0)


def test_coverage_outside_the_scope_is_not_found(client, regions):
    town_a = UserFactory(role="town_officer", region=regions.town_a)
    for code in (regions.town_b.code, regions.county.code, "370481999000"):
        response = client.get("/api/v1/pairing/coverage", {"region": code}, headers=bearer(town_a))
        assert response.status_code == 404, code
        assert response.json()["error"]["code"] == "not_found"
    inside = client.get(
        "/api/v1/pairing/coverage", {"region": regions.village_a.code}, headers=bearer(town_a)
    )
    assert inside.status_code == 200
    assert inside.json()["children"] == []


def test_coverage_needs_a_role_that_sees_pairing(client, regions):
    dept = UserFactory(role="department", region=regions.city)
    response = client.get("/api/v1/pairing/coverage", headers=bearer(dept))
    assert response.status_code == 404
