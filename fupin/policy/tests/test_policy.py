import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.core.models import Event
from fupin.policy.keys import policy_keys
from fupin.policy.models import PolicyValue
from fupin.policy.selectors import policy_get, policy_resolve_all
from fupin.policy.services import policy_set

D = dt.date


def test_shipped_defaults_cite_their_source(db):
    for definition in policy_keys().values():
        assert definition.defaults, definition.key
        for default in definition.defaults:
            assert default.source
    rows = PolicyValue.objects.filter(region__isnull=True, created_by__isnull=True)
    assert rows.filter(key="poverty.line", value="3372", sourced=True).exists()
    assert rows.filter(key="monitoring.income_threshold", value="6000", sourced=True).exists()
    assert rows.filter(sourced=False).exists()  # illustrative values are marked as such


def test_newest_value_not_after_the_date_wins(db):
    assert policy_get("poverty.line", region_code=None, on=D(2016, 6, 1)) == Decimal("3372")
    assert policy_get("poverty.line", region_code=None, on=D(2018, 1, 1)) == Decimal("3609")
    with pytest.raises(FupinError) as exc:
        policy_get("poverty.line", region_code=None, on=D(2014, 12, 31))
    assert exc.value.code == "policy_missing"


def test_a_region_inherits_from_its_ancestors_and_the_nearest_wins(regions):
    policy_set(
        key="poverty.line",
        value="4000",
        region_code=regions.province.code,
        valid_from=D(2019, 1, 1),
        reason="省定标准",
    )
    policy_set(
        key="poverty.line",
        value="4200",
        region_code=regions.county.code,
        valid_from=D(2020, 1, 1),
        reason="县定标准",
    )
    village = regions.village_a.code
    assert policy_get("poverty.line", region_code=village, on=D(2018, 6, 1)) == Decimal("3609")
    assert policy_get("poverty.line", region_code=village, on=D(2019, 6, 1)) == Decimal("4000")
    assert policy_get("poverty.line", region_code=village, on=D(2020, 6, 1)) == Decimal("4200")
    # another county of the province only inherits the province's value
    assert policy_get(
        "poverty.line", region_code=regions.village_c.code, on=D(2020, 6, 1)
    ) == Decimal("4000")


def test_a_later_correction_for_the_same_date_wins_and_both_are_kept(regions):
    policy_set(
        key="monitoring.notice_days",
        value="5",
        region_code=regions.county.code,
        valid_from=D(2022, 1, 1),
        reason="初设",
    )
    policy_set(
        key="monitoring.notice_days",
        value="7",
        region_code=regions.county.code,
        valid_from=D(2022, 1, 1),
        reason="更正为 7 天",
    )
    assert (
        policy_get("monitoring.notice_days", region_code=regions.town_a.code, on=D(2022, 3, 1)) == 7
    )
    assert (
        PolicyValue.objects.filter(key="monitoring.notice_days", region=regions.county).count() == 2
    )


def test_every_change_records_who_and_why(regions):
    officer = UserFactory(role="county_officer", region=regions.county)
    row = policy_set(
        key="poverty.line",
        value="4100.50",
        region_code=regions.town_a.code,
        valid_from=D(2021, 1, 1),
        reason="乡镇试点",
        actor=officer,
    )
    assert (row.created_by, row.reason, row.value) == (officer, "乡镇试点", "4100.50")
    event = Event.objects.get(verb="policy.set")
    assert (event.actor, event.reason, event.region_code) == (
        officer,
        "乡镇试点",
        regions.town_a.code,
    )


@pytest.mark.parametrize(
    ("key", "value", "reason", "code"),
    [
        ("poverty.nope", "1", "r", "unknown_policy_key"),
        ("poverty.line", "abc", "r", "invalid_policy_value"),
        ("poverty.line", "-1", "r", "invalid_policy_value"),
        ("monitoring.notice_days", "5.5", "r", "invalid_policy_value"),
        ("poverty.line", "4000", "  ", "reason_required"),
    ],
)
def test_bad_values_are_refused(regions, key, value, reason, code):
    with pytest.raises(FupinError) as exc:
        policy_set(
            key=key,
            value=value,
            region_code=regions.county.code,
            valid_from=D(2021, 1, 1),
            reason=reason,
        )
    assert exc.value.code == code


def test_officers_set_policy_only_within_their_subtree(regions):
    county = UserFactory(role="county_officer", region=regions.county)
    town = UserFactory(role="town_officer", region=regions.town_a)
    policy_set(
        key="poverty.line",
        value="4000",
        region_code=regions.town_a.code,
        valid_from=D(2021, 1, 1),
        reason="r",
        actor=county,
    )
    with pytest.raises(FupinError) as exc:
        policy_set(
            key="poverty.line",
            value="4000",
            region_code=regions.county_2.code,
            valid_from=D(2021, 1, 1),
            reason="r",
            actor=county,
        )
    assert exc.value.code == "forbidden"
    with pytest.raises(FupinError):
        policy_set(
            key="poverty.line",
            value="4000",
            region_code=regions.town_a.code,
            valid_from=D(2021, 1, 1),
            reason="r",
            actor=town,
        )


def test_resolve_all_lists_every_key_in_force(regions):
    resolved = policy_resolve_all(region_code=regions.village_a.code, on=D(2022, 1, 1))
    assert set(resolved) == set(policy_keys())
    assert resolved["monitoring.verify_days"].value == 5


def test_policy_commands(regions, capsys):
    call_command(
        "policy",
        "set",
        "poverty.line",
        "4000",
        "--region",
        regions.county.code,
        "--from",
        "2020-01-01",
        "--reason",
        "县定",
    )
    call_command("policy", "show", "--region", regions.village_a.code, "--date", "2020-06-01")
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("poverty.line\t"))
    assert "\t4000\t" in line and regions.county.code in line
    with pytest.raises(CommandError, match="invalid_date"):
        call_command("policy", "show", "--date", "2020-13-01")


def test_labels_and_units_follow_the_active_language(db):
    from django.utils import translation

    key = policy_keys()["monitoring.notice_days"]
    with translation.override("zh-hans"):
        assert (key.display_label, key.display_unit) == ("村级公示最少天数", "天")
    with translation.override("en"):
        assert (key.display_label, key.display_unit) == (
            "Minimum days of village public notice",
            "days",
        )


def test_a_weights_value_is_a_table_of_names_and_decimals():
    from fupin.policy.keys import PolicyKey

    key = PolicyKey("x.weights", "weights", "", "", "权重", "Weights", ())
    parsed = key.parse(" not_lifted=1, monitored = 1 ,lifted_supported=0.6 ")
    assert parsed == {
        "not_lifted": Decimal("1"),
        "monitored": Decimal("1"),
        "lifted_supported": Decimal("0.6"),
    }
    assert key.text(parsed) == "not_lifted=1,monitored=1,lifted_supported=0.6"
    for bad in ("", "a", "a=1,a=2", "a=-1", "a=x", "a b=1"):
        with pytest.raises(FupinError) as refused:
            key.parse(bad)
        assert refused.value.code == "invalid_policy_value"


def test_a_long_weights_table_is_stored_and_read_back_as_written(regions):
    value = ",".join(f"indicator_{n}=17.5" for n in range(6))
    assert len(value) > 64
    policy_set(
        key="assessment.weights",
        value=value,
        region_code=regions.county.code,
        valid_from=dt.date(2020, 1, 1),
        reason="考核办法调整",
    )
    read = policy_get("assessment.weights", region_code=regions.county.code, on=dt.date(2020, 6, 1))
    assert read == {f"indicator_{n}": Decimal("17.5") for n in range(6)}
    event = Event.objects.filter(verb="policy.set").latest("pk")
    assert event.data["value"] == value
