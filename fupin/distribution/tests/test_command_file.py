"""`fupin distribute plan --input FILE`: the rule on files, no database, nothing written on error."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "household_no,category,size,per_capita_income"
ROWS = [
    "H1,not_lifted,2,3000",
    "H2,monitored,1,3500",
    "H3,lifted_supported,3,3800",
    "H4,lifted,2,2000",
    "H5,ordinary,1,100",
]
OPTIONS = {
    "--amount": "10000",
    "--line": "4000",
    "--cap": "5000",
    "--weights": "not_lifted=1,monitored=1,lifted_supported=0.6",
    "--welfare-share": "0.2",
    "--fund-share": "0.1",
}


def households_file(folder: Path, rows=ROWS, header=HEADER, encoding="utf-8", name="h.csv"):
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def run(folder: Path, source: Path, **changes):
    options = {**OPTIONS, "--out": str(folder / "plan.csv"), "--summary": str(folder / "s.json")}
    options.update(changes)
    argv = ["plan", "--input", str(source)]
    for key, value in options.items():
        if value is not None:
            argv += [key, value]
    call_command("distribute", *argv)


def read_plan(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text("utf-8").splitlines()]


def test_plan_and_summary_are_written_for_every_eligible_household_in_input_order(tmp_path):
    # No `db` fixture: pytest-django fails the test on any database access.
    run(tmp_path, households_file(tmp_path, [ROWS[2], ROWS[0], ROWS[3], ROWS[1], ROWS[4]]))
    assert read_plan(tmp_path / "plan.csv") == [
        ["household_no", "amount"],
        ["H3", "2062.50"],
        ["H1", "3625.00"],
        ["H2", "1312.50"],
    ]
    assert json.loads((tmp_path / "s.json").read_text("utf-8")) == {
        "welfare_pool": "2000.00",
        "village_fund": "1000.00",
        "households_total": "7000.00",
        "households": 3,
    }


def test_money_short_of_the_line_and_a_bom_file_with_chinese_headers_and_labels(tmp_path):
    source = households_file(
        tmp_path,
        ["H1,未脱贫,2,3000", "H2,监测对象,1,3500", "H3,脱贫享受政策,3,3900"],
        header="户编号,帮扶类别,家庭人口数,人均纯收入",
        encoding="utf-8-sig",
    )
    run(tmp_path, source, **{"--amount": "1860"})
    assert read_plan(tmp_path / "plan.csv")[1:] == [
        ["H1", "1201.33"],
        ["H2", "100.67"],
        ["H3", "0.00"],
    ]
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert summary["village_fund"] == "186.00"
    assert summary["households_total"] == "1302.00"


def test_keys_in_capitals_extra_columns_and_thousands_separators_are_read(tmp_path):
    source = households_file(
        tmp_path,
        ['H1,NOT_LIFTED,2,"3,000.00",x', "H2,Monitored,1,3500,y"],
        header="household_no,category,size,per_capita_income,note",
    )
    run(tmp_path, source, **{"--amount": "10,000", "--weights": "Not_Lifted=1,monitored=1"})
    assert read_plan(tmp_path / "plan.csv")[1:] == [["H1", "4000.00"], ["H2", "1500.00"]]


def test_ceiling_reached_and_ties_in_the_cents(tmp_path):
    run(tmp_path, households_file(tmp_path, ROWS[:2]), **{"--cap": "4500", "--summary": None})
    assert read_plan(tmp_path / "plan.csv")[1:] == [["H1", "3000.00"], ["H2", "1000.00"]]
    assert not (tmp_path / "s.json").exists()
    source = households_file(tmp_path, [f"{no},not_lifted,1,3000" for no in ("H3", "H1", "H2")])
    run(tmp_path, source, **{"--amount": "100", "--welfare-share": "0", "--fund-share": "0"})
    assert read_plan(tmp_path / "plan.csv")[1:] == [
        ["H3", "33.33"],
        ["H1", "33.34"],
        ["H2", "33.33"],
    ]


def test_an_existing_plan_is_replaced_only_by_a_good_run(tmp_path):
    (tmp_path / "plan.csv").write_text("old\n", "utf-8")
    with pytest.raises(CommandError):
        run(tmp_path, households_file(tmp_path), **{"--cap": "1"})
    assert (tmp_path / "plan.csv").read_text("utf-8") == "old\n"
    run(tmp_path, households_file(tmp_path))
    assert (tmp_path / "plan.csv").read_text("utf-8").startswith("household_no,amount\n")


@pytest.mark.parametrize(
    ("rows", "changes", "code"),
    [
        (ROWS, {"--cap": "3999.99"}, "cap_below_line"),
        (ROWS, {"--amount": "-1"}, "amount_negative"),
        (ROWS, {"--amount": "ten"}, "number_invalid"),
        (ROWS, {"--amount": "10.001"}, "money_precision"),
        (ROWS, {"--welfare-share": "0.6", "--fund-share": "0.5"}, "shares_over_one"),
        (ROWS, {"--fund-share": "-0.1"}, "share_out_of_range"),
        (ROWS, {"--weights": "poor=1"}, "category_unknown"),
        (ROWS, {"--weights": "not_lifted"}, "weights_invalid"),
        (ROWS, {"--weights": "not_lifted=-1"}, "weight_negative"),
        (ROWS, {"--line": None}, "option_missing"),
        ([*ROWS, "H6,poor,1,100"], {}, "category_unknown"),
        ([*ROWS, "H6,not_lifted,0,100"], {}, "size_invalid"),
        ([*ROWS, "H6,not_lifted,1.5,100"], {}, "size_invalid"),
        ([*ROWS, "H1,monitored,1,100"], {}, "household_duplicate"),
        ([*ROWS, "H6,not_lifted,1,abc"], {}, "number_invalid"),
        ([*ROWS, ",not_lifted,1,100"], {}, "household_no_missing"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_nothing_is_written(tmp_path, rows, changes, code):
    source = households_file(tmp_path, rows)
    with pytest.raises(CommandError) as exc:
        run(tmp_path, source, **changes)
    assert str(exc.value).startswith(f"{code}: ")
    assert exc.value.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]


def test_a_missing_column_or_file_or_folder_is_refused(tmp_path):
    source = households_file(tmp_path, ["H1,not_lifted,2"], header="household_no,category,size")
    with pytest.raises(CommandError, match="^missing_columns: "):
        run(tmp_path, source)
    with pytest.raises(CommandError, match="^file_not_found: "):
        run(tmp_path, tmp_path / "none.csv")
    with pytest.raises(CommandError, match="^out_dir_missing: "):
        run(tmp_path, households_file(tmp_path), **{"--out": str(tmp_path / "no" / "plan.csv")})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]


def test_the_console_script_runs_with_no_database_at_all(tmp_path):
    source = households_file(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        "FUPIN_HOME": str(tmp_path / "home"),
        "FUPIN_SECRET_KEY": "test",
    }
    argv = [sys.executable, "-m", "fupin.core.cli", "distribute", "plan", "--input", str(source)]
    for key, value in {**OPTIONS, "--out": str(tmp_path / "plan.csv")}.items():
        argv += [key, value]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert read_plan(tmp_path / "plan.csv")[1] == ["H1", "3625.00"]
    argv[argv.index("--cap") + 1] = "1"
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "cap_below_line" in done.stderr
