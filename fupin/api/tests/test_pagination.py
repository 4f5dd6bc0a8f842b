"""The API's lists: numbered pages, and the changes a syncing system reads by cursor."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.api.pagination import page_of
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.registry.tests.factories import HouseholdFactory

START = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))


def test_pages_are_numbered_from_one_and_clamped(regions):
    rows = Region.objects.order_by("code")  # 10 regions in the fixture
    first = page_of(rows, 1, size=4)
    assert (first.count, first.page, first.pages) == (10, 1, 3)
    assert [r.code for r in first.rows] == [r.code for r in rows[:4]]
    last = page_of(rows, 99, size=4)
    assert (last.page, len(last.rows)) == (3, 2)
    assert page_of(rows, -5, size=4).page == 1
    empty = page_of(Region.objects.none(), 1)
    assert (empty.count, empty.page, empty.pages, empty.rows) == (0, 1, 1, [])


@pytest.fixture
def changed(regions):
    """Return five households of village A changed a minute apart, and a county token."""
    households = []
    for n in range(5):
        household = HouseholdFactory(village=regions.village_a, household_no=f"H-S-{n}")
        Household.objects.filter(pk=household.pk).update(updated_at=START + dt.timedelta(minutes=n))
        households.append(household)
    HouseholdFactory(village=regions.village_b, household_no="H-S-B")  # changed now
    county = UserFactory(username="sync", role="county_officer", region=regions.county)
    _token, raw = token_create(user=county)
    return households, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def numbers(answer) -> list[str]:
    return [row["household_no"] for row in answer["results"]]


def test_changes_are_read_oldest_first_and_a_row_changed_meanwhile_is_read_again(
    client, changed, monkeypatch, settings
):
    monkeypatch.setattr("fupin.api.pagination.PAGE_SIZE", 2)
    settings.FUPIN_SYNC_SETTLE_SECONDS = 0
    households, auth = changed
    since = (START + dt.timedelta(minutes=1)).isoformat()
    first = client.get("/api/v1/households", {"updated_since": since}, **auth).json()
    assert numbers(first) == ["H-S-1", "H-S-2"] and first["count"] == 5  # 4 here, B's now
    assert first["next_cursor"]
    # H-S-1 is changed while the next pages are read: it moves to the end and is read again,
    # and nothing between is passed over.
    Household.objects.filter(pk=households[1].pk).update(updated_at=START + dt.timedelta(hours=1))
    second = client.get("/api/v1/households", {"cursor": first["next_cursor"]}, **auth).json()
    assert numbers(second) == ["H-S-3", "H-S-4"]
    third = client.get("/api/v1/households", {"cursor": second["next_cursor"]}, **auth).json()
    assert numbers(third) == ["H-S-1", "H-S-B"]
    # The last cursor is where the next sync starts: nothing until something changes.
    fourth = client.get("/api/v1/households", {"cursor": third["next_cursor"]}, **auth).json()
    assert (numbers(fourth), fourth["count"], fourth["next_cursor"]) == (
        [],
        0,
        third["next_cursor"],
    )
    Household.objects.filter(pk=households[0].pk).update(updated_at=timezone.now())
    fifth = client.get("/api/v1/households", {"cursor": third["next_cursor"]}, **auth).json()
    assert numbers(fifth) == ["H-S-0"]


def test_rows_changed_in_the_last_seconds_are_left_for_the_next_call(client, changed, settings):
    _households, auth = changed
    since = START.isoformat()
    settings.FUPIN_SYNC_SETTLE_SECONDS = 0
    assert "H-S-B" in numbers(
        client.get("/api/v1/households", {"updated_since": since}, **auth).json()
    )
    settings.FUPIN_SYNC_SETTLE_SECONDS = 60
    answer = client.get("/api/v1/households", {"updated_since": since}, **auth).json()
    assert numbers(answer) == [f"H-S-{n}" for n in range(5)]


def test_page_numbers_give_no_cursor_and_changes_keep_the_scope(client, changed, regions, settings):
    _households, auth = changed
    settings.FUPIN_SYNC_SETTLE_SECONDS = 0
    answer = client.get("/api/v1/households", {"page": 1}, **auth).json()
    assert answer["next_cursor"] is None and answer["count"] == 6
    town = UserFactory(username="sync_b", role="town_officer", region=regions.town_b)
    _token, raw = token_create(user=town)
    theirs = client.get(
        "/api/v1/households",
        {"updated_since": START.isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    assert numbers(theirs) == ["H-S-B"]  # only town B's own row


def test_a_cursor_fupin_did_not_give_is_refused_in_chinese(client, changed):
    _households, auth = changed
    for query in (
        {"cursor": "not-a-cursor"},
        {"cursor": "MjAyNnwx"},  # "2026|1": no moment
        {"updated_since": START.isoformat(), "cursor": "x"},
    ):
        answer = client.get("/api/v1/households", query, **auth)
        assert answer.status_code == 422, query
        error = answer.json()["error"]
        assert error["code"] == "invalid_input"
        assert error["details"]["codes"] == {"cursor": "invalid_cursor"}
        assert "cursor" in error["details"]["fields"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["details"]["fields"]["cursor"])
