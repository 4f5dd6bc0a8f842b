"""Out of scope reads exactly like absent, in every answer that names another record.

Issue 10, defect 25: a project's beneficiary endpoint answered `household_outside_project` for
another town's household but `unknown_household` for a number that does not exist, so a town
officer could tell which household numbers exist elsewhere. The same held for a council
resolution cited by number (another village's resolution was `resolution_mismatch`, with its
village in the details).
"""

import datetime as dt
import json
from decimal import Decimal

from fupin.councils.tests.factories import council_with_members, resolution_adopted
from fupin.distribution.models import DistributionPlan
from fupin.projects.tests.factories import project_in


def _post(client, token, path, body):
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _shape(response):
    """Return what a caller can read of a refusal, with the asked value itself left out."""
    error = response.json()["error"]
    return response.status_code, error["code"], error["message"]


def test_a_beneficiary_of_another_town_reads_like_one_that_does_not_exist(client, world):
    project = project_in(world.regions.village_a, "operating")
    path = f"/api/v1/projects/{project.pk}/beneficiaries"
    away = _post(
        client, world.town_a_token, path, {"year": 2024, "households": [{"household_no": "H-B-1"}]}
    )
    absent = _post(
        client, world.town_a_token, path, {"year": 2024, "households": [{"household_no": "H-X-9"}]}
    )
    assert away.status_code == 422, away.content
    assert _shape(away) == _shape(absent)
    codes = away.json()["error"]["details"]
    absent_codes = absent.json()["error"]["details"]
    assert json.dumps(codes).replace("H-B-1", "N") == json.dumps(absent_codes).replace("H-X-9", "N")
    assert "unknown_household" in json.dumps(codes)
    # In scope and outside the project's village: the officer may be told so.
    inside = _post(
        client,
        world.county_token,
        path,
        {"year": 2024, "households": [{"household_no": "H-B-1"}]},
    )
    assert "household_outside_project" in json.dumps(inside.json())


def test_a_resolution_of_another_village_reads_like_one_that_does_not_exist(client, world):
    plan = DistributionPlan.objects.create(
        village=world.regions.village_a,
        year=2019,
        amount=Decimal("100.00"),
        welfare_pool=Decimal("20.00"),
        fund_direct=Decimal("10.00"),
        village_fund=Decimal("80.00"),
        households_total=Decimal("0.00"),
        households=0,
    )
    away_council = council_with_members(world.regions.village_b, members=3)
    away = resolution_adopted(away_council, "distribution_plan", held_on=dt.date(2019, 6, 1))
    path = f"/api/v1/distribution/plans/{plan.pk}/resolve"
    other = _post(client, world.town_a_token, path, {"resolution_id": away.pk})
    absent = _post(client, world.town_a_token, path, {"resolution_id": away.pk + 1000})
    assert other.status_code in (400, 404, 422), other.content
    assert _shape(other) == _shape(absent)
    assert world.regions.village_b.code not in other.content.decode()
