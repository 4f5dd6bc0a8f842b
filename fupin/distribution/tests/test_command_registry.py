"""`fupin distribute plan --village CODE --year Y --amount B`: a draft from the registry."""

import json

import pytest
from django.core.management import CommandError, call_command

from fupin.distribution.models import DistributionPlan
from fupin.distribution.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_registry_mode_stores_a_draft_and_writes_the_same_files(village, tmp_path, capsys):
    call_command(
        "distribute",
        "plan",
        "--village",
        village.code,
        "--year",
        str(YEAR),
        "--amount",
        "10000",
        "--by",
        village.village_officer.username,
        "--out",
        str(tmp_path / "plan.csv"),
        "--summary",
        str(tmp_path / "s.json"),
    )
    plan = DistributionPlan.objects.get()
    assert (plan.status, plan.created_by) == ("draft", village.village_officer)
    assert (tmp_path / "plan.csv").read_text("utf-8").splitlines() == [
        "household_no,amount",
        "HA1,3956.75",
        "HA2,1478.38",
        "HA3,1564.87",
    ]
    assert json.loads((tmp_path / "s.json").read_text("utf-8")) == {
        "welfare_pool": "2000.00",
        "village_fund": "1000.00",
        "households_total": "7000.00",
        "households": 3,
    }
    assert f"#{plan.pk}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--line", "4000"], "option_conflict"),
        (["--input", "x.csv"], "option_conflict"),
        (["--year", "2019"], "income_missing"),
        (["--year", str(YEAR), "--by", "nobody"], "unknown_user"),
        (["--year", str(YEAR), "--out", "/nonexistent/dir/plan.csv"], "out_dir_missing"),
    ],
)
def test_registry_mode_refusals_store_nothing(village, extra, code):
    argv = ["plan", "--village", village.code, "--amount", "100"]
    if "--year" not in extra:
        argv += ["--year", str(YEAR)]
    with pytest.raises(CommandError) as exc:
        call_command("distribute", *argv, *extra)
    assert str(exc.value).startswith(f"{code}: ")
    assert not DistributionPlan.objects.exists()


def test_the_registry_mode_may_write_the_summary_alone(village, tmp_path):
    argv = ["plan", "--village", village.code, "--year", str(YEAR), "--amount", "10000"]
    call_command("distribute", *argv, "--summary", str(tmp_path / "s.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    assert json.loads((tmp_path / "s.json").read_text("utf-8"))["households"] == 3


def test_without_input_or_village_the_command_says_what_is_missing():
    with pytest.raises(CommandError, match="^option_missing: "):
        call_command("distribute", "plan", "--amount", "1")
