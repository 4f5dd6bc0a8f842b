"""The demo's units and cadres cover every household needing a cadre (issue 5, "Done when")."""

import pytest
from django.core.management import call_command

from fupin.accounts.models import User
from fupin.accounts.services import token_create
from fupin.core.demo import demo_load
from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage, VillagePost
from fupin.pairing.services import needing_q
from fupin.registry.models import Household

CITY = "370400000000"


@pytest.fixture
def demo(db):
    return demo_load(households=600, seed=7)


def test_the_demo_pairs_every_household_needing_a_cadre(demo, client, capsys):
    needing = Household.objects.filter(needing_q()).count()
    cadres = Cadre.objects.count()
    assert needing > 50
    # about 21 cadres per 48 households (plus a poverty officer per village)
    assert 0.4 * needing <= cadres <= 0.8 * needing + 2 * UnitVillage.objects.count()
    assert AidUnit.objects.filter(level="city").exists()
    assert VillagePost.objects.filter(role="first_secretary").count() == UnitVillage.objects.count()
    assert Cadre.history.count() == cadres

    call_command("pair", region=CITY)
    out = capsys.readouterr().out
    assert f"保留 {Pairing.objects.active().count()}，结束 0，新增 0，仍未覆盖 0" in out

    city = User.objects.get(username="city")
    body = client.get(
        "/api/v1/pairing/coverage",
        {"region": CITY},
        headers={"Authorization": f"Bearer {token_create(user=city)[1]}"},
    ).json()
    assert (body["needing"], body["covered"], body["uncovered"]) == (needing, needing, 0)
    assert body["cadres_active"] == cadres
    assert body["cadres_over_capacity"] == 0
    assert sum(child["needing"] for child in body["children"]) == needing
    assert all(child["uncovered"] == 0 for child in body["children"])


def test_the_demo_has_a_year_of_visits_key_regions_and_leaders_with_rounds(demo, client):
    import datetime as dt

    from django.utils import timezone

    from fupin.pairing.models import RoundVisit, Visit
    from fupin.pairing.selectors import (
        leader_progress,
        my_households,
        rounds_progress_by_region,
        visit_compliance_by_region,
    )
    from fupin.regions.models import Region

    today = timezone.localdate()
    assert Visit.objects.count() > Household.objects.filter(needing_q()).count()
    assert Visit.objects.filter(visited_on__lt=today - dt.timedelta(days=300)).exists()
    figures = visit_compliance_by_region(parent_code=CITY, on=today)
    needing = sum(n for n, _ok in figures.values())
    on_time = sum(ok for _n, ok in figures.values())
    assert needing == Household.objects.filter(needing_q()).count()
    # most households visited on time, some overdue
    assert 0.7 * needing <= on_time < needing
    assert Region.objects.filter(level=9, is_key=True).count() >= 3
    villages = Region.objects.filter(level=12).count()
    assert 0.05 * villages <= Region.objects.filter(level=12, is_key=True).count() <= 0.3 * villages
    leaders = {
        row.position
        for row in leader_progress(prefix="3704", start=dt.date(today.year, 1, 1), end=today)
    }
    assert leaders == {"city_secretary", "county_secretary", "town_secretary", "village_secretary"}
    assert RoundVisit.objects.exists()
    progress = rounds_progress_by_region(
        parent_code=CITY, start=dt.date(today.year, 1, 1), end=today
    )
    assert all(0 < visited <= targets for targets, visited in progress.values())
    cadre = User.objects.get(username="cadre")
    assert my_households(user=cadre)
    from fupin.core.demo import DEMO_PASSWORD

    for username in ("sec_city", "sec_county", "sec_town", "sec_village"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
    assert client.get("/pairing/rounds/").status_code == 200
    client.force_login(cadre)
    assert "visit-form" in client.get("/pairing/my/").content.decode()
