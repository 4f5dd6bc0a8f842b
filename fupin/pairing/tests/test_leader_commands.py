"""Setting leaders' posts and key regions from the command line (issue 5 §4)."""

import pytest
from django.core.management import CommandError, call_command

from fupin.accounts.models import User
from fupin.accounts.tests.factories import UserFactory
from fupin.core.models import Event
from fupin.regions.models import Region


def test_a_user_gets_a_leaders_post_and_loses_it(regions, capsys):
    user = UserFactory(username="shuji", role="town_officer", region=regions.town_a)
    call_command("user", "position", "shuji", "town_secretary")
    assert User.objects.get(pk=user.pk).position == "town_secretary"
    assert Event.objects.filter(verb="user.position_set").count() == 1
    call_command("user", "position", "shuji", "none")
    assert User.objects.get(pk=user.pk).position == ""
    assert [h.position for h in user.history.order_by("-history_id")[:2]] == ["", "town_secretary"]
    with pytest.raises(CommandError, match="unknown_user"):
        call_command("user", "position", "nobody", "town_secretary")


def test_key_towns_and_villages_are_marked_with_history(regions, capsys):
    call_command("keyregions", regions.town_a.code, regions.village_b.code)
    assert set(Region.objects.filter(is_key=True).values_list("code", flat=True)) == {
        regions.town_a.code,
        regions.village_b.code,
    }
    assert "changed 2 of 2" in capsys.readouterr().out
    call_command("keyregions", regions.town_a.code, "--off")
    assert not Region.objects.get(pk=regions.town_a.pk).is_key
    assert regions.town_a.history.filter(is_key=True).exists()
    with pytest.raises(CommandError, match="not_town_or_village"):
        call_command("keyregions", regions.county.code)
    with pytest.raises(CommandError, match="unknown_region"):
        call_command("keyregions", "370481999999")
