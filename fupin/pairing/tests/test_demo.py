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
