"""The councils API over real HTTP, with a token and no cookie."""

import datetime as dt
import json
import urllib.error
import urllib.request

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.councils.services import member_end
from fupin.councils.tests.factories import council_with_members, resolution_adopted


def get(live_server, path: str, token: str):
    request = urllib.request.Request(
        live_server.url + path, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_the_detail_carries_the_same_figures_as_the_list(live_server, regions):
    """Issue 10, defect 12: the detail answered `members_serving: null` and other nulls."""
    officer = UserFactory(role="village_officer", region=regions.village_a)
    council = council_with_members(regions.village_a, members=5)
    resolution_adopted(council, "distribution_plan", held_on=dt.date(2018, 6, 1))
    resolution_adopted(council, "distribution_plan", held_on=dt.date(2019, 6, 1))
    member_end(
        member=council.members.get(name="理事1"),
        end_date=dt.date(2019, 12, 1),
        reason="resigned",
        actor=officer,
    )
    token = token_create(user=officer)[1]

    status, detail = get(live_server, f"/api/v1/councils/{council.pk}", token)
    _status, listed = get(live_server, "/api/v1/councils", token)

    assert status == 200
    assert detail["members_serving"] == 4
    assert detail["poor_representatives"] == 1
    assert detail["last_meeting"] == "2019-06-01"
    assert len(detail["members"]) == 5 and len(detail["meetings"]) == 2
    summary = {k: v for k, v in detail.items() if k not in ("members", "meetings")}
    assert listed == [summary]
    assert None not in summary.values()


def post(live_server, path: str, token: str, body: dict):
    request = urllib.request.Request(
        live_server.url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_refusals_answer_the_status_of_their_kind(live_server, regions):
    """Issue 11: a council's refusals had no status (400); a rule says 422, a clash 409."""
    officer = UserFactory(role="village_officer", region=regions.village_a)
    council = council_with_members(regions.village_a, members=5)
    token = token_create(user=officer)[1]
    meeting = {"held_on": "2020-01-10", "attendees": 2, "minutes": "议事"}

    no_quorum = post(live_server, f"/api/v1/councils/{council.pk}/meetings", token, meeting)
    no_minutes = post(
        live_server, f"/api/v1/councils/{council.pk}/meetings", token, meeting | {"minutes": " "}
    )
    twice = post(
        live_server,
        "/api/v1/councils",
        token,
        {"village_code": regions.village_a.code, "name": "又一个", "established_on": "2020-01-01"},
    )

    assert (no_quorum[0], no_quorum[1]["error"]["code"]) == (422, "no_quorum")
    assert no_minutes[0] == 422
    assert no_minutes[1]["error"]["details"] == {
        "fields": {"minutes": "必填"},
        "codes": {"minutes": "required"},
    }
    assert (twice[0], twice[1]["error"]["code"]) == (409, "council_exists")
