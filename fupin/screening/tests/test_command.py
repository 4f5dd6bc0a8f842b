"""`fupin screen`: outputs, policy from the database and from a file, registry standing, cases."""

import csv
import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from fupin.monitoring.models import Case
from fupin.monitoring.services import case_open
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number

Y = 2024
VILLAGE = "370481101201"
HEADERS = {
    "population": "household_no,id_number,name,relation,village_code",
    "income": "household_no,year,wage,business,property,transfer,production_cost",
    "medical": "id_number,settle_date,total_cost,self_pay",
    "civil": "id_number,kind,start_date,end_date",
}


def write(folder, feeds):
    folder.mkdir(exist_ok=True)
    for name, rows in feeds.items():
        (folder / f"{name}.csv").write_text("\n".join([HEADERS[name], *rows]) + "\n", "utf-8")
    return folder


def read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def registry(regions):
    """Three registered households of village A: ordinary, lifted with support, and monitored."""
    households = {}
    for no, status, extra in [
        ("R1", "none", {}),
        ("R2", "lifted", {"policy_support": True}),
        ("R3", "lifted", {"monitoring_type": "edge", "risk_state": "open"}),
    ]:
        households[no] = HouseholdFactory(
            household_no=no, village=regions.village_a, poverty_status=status, **extra
        )
        PersonFactory(household=households[no], id_number=id_number(len(households)))
    return households


@pytest.fixture
def feeds(tmp_path, registry):
    """Feeds in which R1, R2, R3 and the unregistered N1 are all below the income threshold."""
    head = id_number(50, birth=dt.date(1960, 5, 5))
    rows = [f"{no},{id_number(i + 1)},户主{i + 1},head,{VILLAGE}" for i, no in enumerate(registry)]
    rows += [f"N1,{head},新户主,head,{VILLAGE}", f"N1,{id_number(51)},家属,spouse,{VILLAGE}"]
    incomes = [f"{no},{Y},5000,0,0,0,0" for no in ("R1", "R2", "R3")] + [f"N1,{Y},7000,0,0,0,0"]
    civil = [f"{id_number(1)},dibao,{Y}-01-01,", f"{id_number(2)},dibao,{Y}-01-01,"]
    return write(tmp_path / "feeds", {"population": rows, "income": incomes, "civil": civil})


def test_screen_writes_the_outputs_with_the_registry_standing_from_the_database(
    feeds, tmp_path, capsys
):
    out = tmp_path / "out"
    call_command("screen", "--year", str(Y), "--feeds", str(feeds), "--out", str(out))
    warnings = {row["household_no"]: row for row in read(out / "warnings.csv")}
    assert warnings["R1"] == {
        "household_no": "R1",
        "village_code": VILLAGE,
        "size": "1",
        "per_capita_income": "5000.00",
        "rules": "assistance_mismatch;low_income",
        "registry_category": "ordinary",
    }
    assert warnings["R2"]["rules"] == "low_income"  # dibao but supported: no mismatch
    assert warnings["R2"]["registry_category"] == "lifted_supported"
    assert warnings["R3"]["registry_category"] == "monitored"
    assert warnings["N1"]["registry_category"] == ""
    assert warnings["N1"]["per_capita_income"] == "3500.00"
    assert read(out / "summary.csv")[0]["households_flagged"] == "4"
    run = json.loads((out / "run.json").read_text())
    assert run["registry"] == {"source": "database", "rows_read": 3, "rows_rejected": 0}
    assert run["parameters"][0]["income_threshold"] == "6000"
    assert sorted(p.name for p in out.iterdir()) == [
        "rejected.csv",
        "run.json",
        "summary.csv",
        "warnings.csv",
    ]
    assert "预警 4 户" in capsys.readouterr().out


def test_policy_of_the_region_at_the_end_of_the_year_and_a_policy_file_override(
    feeds, tmp_path, regions
):
    # Tengzhou sets a lower threshold from the last day of the year, the city a higher one later.
    policy_set(
        key="monitoring.income_threshold",
        value="4000",
        region_code=regions.county.code,
        valid_from=dt.date(Y, 12, 31),
        reason="测试",
    )
    policy_set(
        key="monitoring.income_threshold",
        value="9000",
        region_code=regions.city.code,
        valid_from=dt.date(Y + 1, 1, 1),
        reason="测试",
    )
    out = tmp_path / "out"
    call_command("screen", "--year", str(Y), "--feeds", str(feeds), "--out", str(out))
    flagged = {row["household_no"]: row["rules"] for row in read(out / "warnings.csv")}
    assert flagged == {"R1": "assistance_mismatch", "N1": "low_income"}  # 5,000 ≥ 4,000
    run = json.loads((out / "run.json").read_text())
    assert [(p["region_prefix"], p["income_threshold"]) for p in run["parameters"]] == [
        ("", "6000"),
        ("370481", "4000"),
    ]

    policy = tmp_path / "policy.toml"
    policy.write_text('"monitoring.income_threshold" = 5000.01\n[screening]\nmedical_abs = 1\n')
    call_command(
        "screen",
        "--year",
        str(Y),
        "--feeds",
        str(feeds),
        "--out",
        str(out),
        "--policy",
        str(policy),
    )
    flagged = {row["household_no"]: row["rules"] for row in read(out / "warnings.csv")}
    assert flagged["R2"] == "low_income"  # 5,000 < 5,000.01 everywhere now
    run = json.loads((out / "run.json").read_text())
    assert {p["medical_abs"] for p in run["parameters"]} == {"1"}


def test_a_registry_file_replaces_the_database(feeds, tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text("household_no,category\nR1,lifted\nN1,ordinary\n")
    out = tmp_path / "out"
    call_command(
        "screen",
        *("--year", str(Y), "--feeds", str(feeds), "--out", str(out)),
        *("--registry", str(registry)),
    )
    warnings = {row["household_no"]: row for row in read(out / "warnings.csv")}
    assert warnings["R1"]["registry_category"] == "lifted"
    assert warnings["R2"]["registry_category"] == ""
    assert json.loads((out / "run.json").read_text())["registry"]["source"] == "file"


def test_create_cases_opens_one_case_per_household_and_never_a_second(
    feeds, tmp_path, registry, regions, capsys
):
    # R2 already has an open case from a self-declaration.
    declared, _ = case_open(
        kind="identification",
        route="declaration",
        village=regions.village_a,
        household=registry["R2"],
        risk_types=["illness"],
    )
    out = tmp_path / "out"
    arguments = ["--year", str(Y), "--feeds", str(feeds), "--out", str(out), "--create-cases"]
    call_command("screen", *arguments)
    cases = {
        c.household_id and c.household.household_no or c.declarant_id_number: c
        for c in Case.objects.all()
    }
    assert len(cases) == 3  # R1 new, R2 joined, N1 new; R3 is monitored already
    r1 = cases["R1"]
    assert (r1.route, r1.routes, r1.village_id) == ("screening", ["screening"], VILLAGE)
    assert r1.risk_types == ["other"]
    assert r1.records["screening"]["rules"] == ["assistance_mismatch", "low_income"]
    assert r1.records["screening"]["net_income"] == "5000.00"
    assert "head_id_number" not in r1.records["screening"]
    assert r1.records["screening"]["year"] == Y
    joined = Case.objects.get(pk=declared.pk)
    assert joined.routes == ["declaration", "screening"]
    assert joined.records["screening"]["rules"] == ["low_income"]
    head = id_number(50, birth=dt.date(1960, 5, 5))
    newcomer = cases[head]
    assert newcomer.household is None
    assert (newcomer.declarant_name, newcomer.household_size) == ("新户主", 2)
    assert "新发起案件 2 件，并入办理中的案件 1 件，已是监测对象 1 户" in capsys.readouterr().out

    call_command("screen", *arguments)
    assert Case.objects.count() == 3
    assert Case.objects.filter(status="open", household=registry["R1"]).count() == 1
    assert Case.objects.get(pk=r1.pk).steps.filter(decision="join").count() == 1
    assert "新发起案件 0 件，并入办理中的案件 3 件" in capsys.readouterr().out


def test_cases_for_an_unknown_village_are_counted_not_opened(tmp_path, regions, capsys):
    feeds = write(
        tmp_path / "feeds",
        {
            "population": [f"X1,{id_number(7)},某,head,370481199201"],
            "income": [f"X1,{Y},1,0,0,0,0"],
        },
    )
    call_command(
        "screen",
        *("--year", str(Y), "--feeds", str(feeds), "--out", str(tmp_path / "o")),
        "--create-cases",
    )
    assert Case.objects.count() == 0
    assert "村代码不存在 1 户" in capsys.readouterr().out


def test_refusals_exit_non_zero_with_a_code(tmp_path, regions):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError) as error:
        call_command(
            "screen", "--year", str(Y), "--feeds", str(empty), "--out", str(tmp_path / "o")
        )
    assert str(error.value).startswith("population_missing: ")
    assert error.value.returncode == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[screening]\nmedical_abs = -1\n")
    with pytest.raises(CommandError) as error:
        call_command(
            "screen",
            *("--year", str(Y), "--feeds", str(empty), "--out", str(tmp_path / "o")),
            *("--policy", str(bad)),
        )
    assert str(error.value).startswith("invalid_policy_value: ")
