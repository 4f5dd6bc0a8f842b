"""Idempotency keys: the same key and request get the first record; another request is refused."""

import pytest

from fupin.accounts.models import User
from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import Conflict, Refused
from fupin.core.idempotency import key_read, replayed, saved_once
from fupin.core.testing import code_of


def test_a_key_is_trimmed_and_must_be_of_one_to_the_limit_characters():
    assert key_read("  k-1 ") == "k-1"
    assert key_read("", required=False) == ""
    for bad in ("", "   ", None, "x" * 101):
        assert code_of(key_read, bad) == "idempotency_key_required"
        with pytest.raises(Refused) as refused:
            key_read(bad)
        assert "Idempotency-Key" in str(refused.value.message) and "100" in str(
            refused.value.message
        )
    assert key_read("x" * 120, limit=120) == "x" * 120


def test_the_same_request_gets_the_first_record_and_another_is_refused(regions):
    first = UserFactory(username="key-1", first_name="王一", region=regions.county)
    earlier = User.objects.filter(username="key-1")
    assert replayed(earlier, same=lambda u: u.first_name == "王一", what="账号") == first
    with pytest.raises(Conflict) as conflict:
        replayed(earlier, same=lambda u: u.first_name == "李二", what="账号")
    assert conflict.value.code == "idempotency_key_reused"
    assert str(conflict.value.message) == "该 Idempotency-Key 已用于其他账号"
    assert replayed(User.objects.filter(username="none"), same=lambda u: True, what="账号") is None


def test_a_second_send_at_the_same_moment_gets_the_winners_record(regions):
    winner = UserFactory(username="key-2", first_name="王一", region=regions.county)
    earlier = User.objects.filter(username="key-2")
    # The loser built its record before the winner's was committed; the key's constraint stops it.
    record, created = saved_once(
        User(username="key-2", first_name="王一", role=winner.role, region=winner.region),
        earlier,
        same=lambda u: True,
        what="账号",
    )
    assert (record, created) == (winner, False)
    assert earlier.count() == 1
    with pytest.raises(Conflict):
        saved_once(
            User(username="key-2", first_name="李二", role=winner.role, region=winner.region),
            earlier,
            same=lambda u: u.first_name == "李二",
            what="账号",
        )
    fresh, created = saved_once(
        User(username="key-3", role=winner.role, region=winner.region),
        User.objects.filter(username="key-3"),
        same=bool,
        what="账号",
    )
    assert created and fresh.pk is not None
