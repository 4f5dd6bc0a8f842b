import datetime as dt
import json

import pytest
from django.utils import timezone

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.tests.factories import commitment_scan, photo
from fupin.pairing.models import RoundVisit, Visit, VisitPhoto
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.regions.models import Region
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory


def bearer(user, key=None):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


def post(client, path, body, user, key):
    return client.post(
        path, json.dumps(body), content_type="application/json", headers=bearer(user, key)
    )


@pytest.fixture
def field(regions):
    """A cadre (with a login) paired with one household of village A; another household unpaired."""
    login = UserFactory(username="cadre1", role="cadre", region=regions.county)
    cadre = CadreFactory(user=login, unit=AidUnitFactory(region=regions.county), name="钱干部")
    mine = HouseholdFactory(village=regions.village_a, household_no="H-MINE")
    PersonFactory(household=mine, name="孙户主", relation="head")
    PairingFactory(cadre=cadre, household=mine, start_date=dt.date(2020, 1, 1))
    other = HouseholdFactory(village=regions.village_a, household_no="H-OTHER")
    PairingFactory(
        household=other, cadre=CadreFactory(unit=cadre.unit), start_date=timezone.localdate()
    )
    regions.login, regions.cadre, regions.mine, regions.other = login, cadre, mine, other
    return regions


def test_a_cadre_records_a_visit_once_and_sees_it(client, field):
    body = {
        "household_no": "H-MINE",
        "found": "老人身体好转",
        "done": "送去药品",
        "problems": "房屋漏雨",
        "latitude": 35.0841,
        "longitude": 117.1652,
    }
    first = post(client, "/api/v1/pairing/visits", body, field.login, "visit-1")
    again = post(client, "/api/v1/pairing/visits", body, field.login, "visit-1")
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["latitude"] == pytest.approx(35.0841)
    assert Visit.objects.count() == 1
    mine = client.get("/api/v1/pairing/my-households", headers=bearer(field.login)).json()
    assert mine == [
        {
            "household_no": "H-MINE",
            "head_name": "孙户主",
            "village_name": field.village_a.name,
            "support_category": "not_lifted",
            "last_visit": timezone.localdate().isoformat(),
            "overdue": False,
        }
    ]
    visits = client.get(
        "/api/v1/pairing/households/H-MINE/visits", headers=bearer(field.login)
    ).json()
    assert [v["problems"] for v in visits] == ["房屋漏雨"]


def test_a_cadre_cannot_record_for_a_household_not_paired_with_them(client, field):
    response = post(
        client,
        "/api/v1/pairing/visits",
        {"household_no": "H-OTHER", "found": "x"},
        field.login,
        "k",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "household_not_paired"
    assert not Visit.objects.exists()


def test_missing_key_empty_visit_and_future_time_are_refused(client, field):
    no_key = post(
        client,
        "/api/v1/pairing/visits",
        {"household_no": "H-MINE", "found": "x"},
        field.login,
        None,
    )
    assert no_key.json()["error"]["code"] == "idempotency_key_required"
    empty = post(client, "/api/v1/pairing/visits", {"household_no": "H-MINE"}, field.login, "e")
    assert empty.status_code == 422
    assert "found" in empty.json()["error"]["details"]["fields"]
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    late = post(
        client,
        "/api/v1/pairing/visits",
        {"household_no": "H-MINE", "found": "x", "visited_at": future},
        field.login,
        "f",
    )
    assert "visited_at" in late.json()["error"]["details"]["fields"]


def test_an_officer_records_for_the_households_cadre_and_an_auditor_cannot(client, field):
    officer = UserFactory(role="village_officer", region=field.village_a)
    response = post(
        client,
        "/api/v1/pairing/visits",
        {"household_no": "H-OTHER", "found": "电话回访"},
        officer,
        "o",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cadre_id"] == field.other.pairings.get().cadre_id
    wrong = post(
        client,
        "/api/v1/pairing/visits",
        {"household_no": "H-OTHER", "found": "x", "cadre_id": field.cadre.pk},
        officer,
        "o2",
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "household_not_paired")
    auditor = UserFactory(role="auditor", region=field.county)
    refused = post(
        client, "/api/v1/pairing/visits", {"household_no": "H-MINE", "found": "x"}, auditor, "a"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


def test_photos_are_checked_by_content_and_sent_once(client, field):
    visit = post(
        client, "/api/v1/pairing/visits", {"household_no": "H-MINE", "found": "x"}, field.login, "v"
    ).json()
    path = f"/api/v1/pairing/visits/{visit['id']}/photos"
    first = client.post(path, {"file": photo()}, headers=bearer(field.login, "p1"))
    again = client.post(path, {"file": photo()}, headers=bearer(field.login, "p1"))
    assert (first.status_code, again.status_code) == (201, 200)
    pdf = client.post(path, {"file": commitment_scan()}, headers=bearer(field.login, "p2"))
    assert pdf.status_code == 422
    fake = commitment_scan(name="x.jpg", content=b"not an image", content_type="image/jpeg")
    assert client.post(path, {"file": fake}, headers=bearer(field.login, "p3")).status_code == 422
    assert VisitPhoto.objects.count() == 1
    other_cadre = UserFactory(role="cadre", region=field.county)
    refused = client.post(path, {"file": photo()}, headers=bearer(other_cadre, "p4"))
    assert refused.json()["error"]["code"] == "forbidden"


def test_compliance_overdue_and_rounds_endpoints(client, field):
    county = UserFactory(role="county_officer", region=field.county)
    compliance = client.get(
        "/api/v1/pairing/visit-compliance", {"region": field.county.code}, headers=bearer(county)
    ).json()
    assert (compliance["needing"], compliance["on_time"], compliance["overdue"]) == (2, 1, 1)
    town_a = next(c for c in compliance["children"] if c["region"] == field.town_a.code)
    assert (town_a["needing"], town_a["overdue"]) == (2, 1)
    overdue = client.get("/api/v1/pairing/overdue", headers=bearer(county)).json()
    assert [row["household_no"] for row in overdue["results"]] == ["H-MINE"]
    # H-OTHER, never visited, was paired today: not overdue yet
    assert overdue["count"] == 1
    Region.objects.filter(pk=field.village_a.pk).update(is_key=True)
    leader = UserFactory(role="county_officer", region=field.county, position="county_secretary")
    done = post(
        client, "/api/v1/pairing/rounds", {"region_code": field.village_a.code}, leader, "r1"
    )
    assert done.status_code == 201, done.json()
    assert RoundVisit.objects.get().leader == leader
    mine = client.get("/api/v1/pairing/rounds/mine", headers=bearer(leader)).json()
    assert [(t["code"], t["last_visit"]) for t in mine] == [
        (field.village_a.code, timezone.localdate().isoformat())
    ]
    progress = client.get("/api/v1/pairing/rounds/progress", headers=bearer(county)).json()
    assert [(p["leader_id"], p["targets"], p["visited"], p["share"]) for p in progress] == [
        (leader.pk, 1, 1, 1.0)
    ]
    wrong = post(client, "/api/v1/pairing/rounds", {"household_no": "H-MINE"}, leader, "r2")
    assert wrong.json()["error"]["code"] == "not_a_round_target"
