"""Feeds: every kind of rejected row with its line, missing feeds, headers, CSV and Parquet alike."""

import json

import duckdb
import pytest
from stdnum.cn import ric

from analytics.screening import ScreeningError, screen
from analytics.screening.tests.helpers import PARAMS, TODAY, household, pid, run, write_feeds

Y = 2024
FEB_30 = "37048119900230001" + ric.calc_check_digit("370481199002300010")


def test_every_kind_of_unusable_row_is_rejected_with_its_line_and_the_run_goes_on(tmp_path):
    a, b, dup = pid("19700101"), pid("19720101"), pid("19750101")
    bad_check = a[:17] + ("0" if a[17] != "0" else "1")
    feeds = {
        "population": [
            f"A,{a},甲,head,370481101201",  # line 2
            f"A,{dup},乙,spouse,370481101201",
            f"B,{dup},丙,head,370481101201",  # the same person again
            f"A,{pid('19900101')},丁,son,370481102201",  # another village than A's first row
            f"C,{pid('19600101')[:17]},戊,head,370481101201",  # 17 characters
            "C,37048119600101001A,戊,head,370481101201",
            f"C,{bad_check},戊,head,370481101201",
            f"C,{FEB_30},戊,head,370481101201",  # 30 February, right check character
            f"C,{pid('20990101')},戊,head,370481101201",  # born after today
            f"C,{pid()},戊,boss,370481101201",
            f"C,{pid()},戊,head,370481101000",  # a town, not a village
            f"C,{pid()},戊,head,3704811012",
            f",{pid()},戊,head,370481101201",
            f"D,{b},己,head,370481101201,extra",
            "",
            f'D,{b},"庚,辛",head,370481101201',  # a quoted comma is fine
            f'E,{pid()},"unterminated,head,370481101201',
            f"{'F' * 33},{pid()},壬,head,370481101201",
        ],
        "income": [
            f"A,{Y},1000,0,0,0,0",  # line 2
            f"A,{Y},2000,0,0,0,0",  # a second row of the same year
            f"A,{Y - 1},-5,0,0,0,0",
            f"A,{Y - 2},1.234,0,0,0,0",
            "A,20x4,1,0,0,0,0",
            f"A,{Y - 3},1e3,0,0,0,0",
            f"Z,{Y},1,0,0,0,0",
        ],
        "medical": [
            f"{a},{Y}-02-30,10,5",  # line 2
            f"{a},{Y}-13-01,10,5",
            f"{a},2023-02-29,10,5",
            f"{a},{Y}-06-01,10,11",
            f"{pid()},{Y}-06-01,10,5",
            f"{a},{Y}-06-01,,5",
        ],
        "disability": [f"{a},5,{Y}-01-01"],
        "education": [f"{a},{Y},graduated"],
        "housing": [f"A,E,{Y}-01-01", f"Z,A,{Y}-01-01"],
        "civil": [f"{a},dibao,{Y}-05-01,{Y}-04-30", f"{a},wubao,{Y}-05-01,"],
        "disaster": [f"A,{Y}-01-01,abc"],
    }
    _warnings, _summary, rejected, result = run(
        tmp_path, feeds, registry=["A,ordinary", "A,lifted", "B,poor"]
    )
    got = [(r["feed"], int(r["line"]), r["reason"]) for r in rejected]
    assert got == [
        ("population", 4, "duplicate_id_number:id_number"),
        ("population", 5, "village_mismatch:village_code"),
        ("population", 6, "id_length:id_number"),
        ("population", 7, "id_format:id_number"),
        ("population", 8, "id_checksum:id_number"),
        ("population", 9, "id_component:id_number"),
        ("population", 10, "id_future_birth:id_number"),
        ("population", 11, "not_in_list:relation"),
        ("population", 12, "invalid_village_code:village_code"),
        ("population", 13, "invalid_village_code:village_code"),
        ("population", 14, "missing_value:household_no"),
        ("population", 15, "malformed_row"),
        ("population", 16, "empty_row"),
        ("population", 18, "malformed_row"),
        ("population", 19, "value_too_long:household_no"),
        ("income", 3, "duplicate_row:year"),
        ("income", 4, "negative_amount:wage"),
        ("income", 5, "unparsable_number:wage"),
        ("income", 6, "unparsable_number:year"),
        ("income", 7, "unparsable_number:wage"),
        ("income", 8, "household_not_in_population:household_no"),
        ("medical", 2, "unparsable_date:settle_date"),
        ("medical", 3, "unparsable_date:settle_date"),
        ("medical", 4, "unparsable_date:settle_date"),
        ("medical", 5, "self_pay_exceeds_total"),
        ("medical", 6, "person_not_in_population:id_number"),
        ("medical", 7, "missing_value:total_cost"),
        ("disability", 2, "not_in_list:grade"),
        ("disaster", 2, "unparsable_number:loss"),
        ("education", 2, "not_in_list:status"),
        ("housing", 2, "not_in_list:grade"),
        ("housing", 3, "household_not_in_population:household_no"),
        ("civil", 2, "end_before_start"),
        ("civil", 3, "not_in_list:kind"),
        ("registry", 3, "duplicate_row:household_no"),
        ("registry", 4, "not_in_list:category"),
    ]
    assert result["feeds"]["population"] == {
        "file": "population.csv",
        "format": "csv",
        "rows_read": 18,
        "rows_rejected": 15,
    }
    assert result["feeds"]["income"]["rows_read"] == 7
    assert result["feeds"]["income"]["rows_rejected"] == 6
    assert result["registry"] == {"source": "file", "rows_read": 3, "rows_rejected": 2}
    assert result["rows_rejected"] == len(rejected)
    # A (2 usable rows: the head and the spouse) and B's duplicate are gone; D keeps its quoted row.
    assert result["households_screened"] == 2


def test_missing_feeds_skip_their_rules_and_the_run_says_so(tmp_path):
    _w, summary, _r, result = run(tmp_path, {"population": household("A")})
    assert result["feeds_used"] == ["population"]
    assert result["feeds_missing"] == [
        "income",
        "medical",
        "disability",
        "disaster",
        "education",
        "housing",
        "civil",
    ]
    assert result["rules_run"] == []
    assert result["rules_skipped"]["low_income"] == "feed income missing"
    assert result["rules_skipped"]["assistance_mismatch"] == "feed civil missing"
    assert summary == [
        {
            "county_code": "370481000000",
            "households_screened": "1",
            "households_flagged": "0",
            **dict.fromkeys(
                [
                    "assistance_mismatch",
                    "disaster",
                    "dropout",
                    "income_drop",
                    "low_income",
                    "medical_burden",
                    "severe_disability",
                    "unsafe_house",
                ],
                "",
            ),
        }
    ]


def test_assistance_mismatch_is_skipped_without_a_registry(tmp_path):
    a = pid()
    _w, _s, _r, result = run(
        tmp_path,
        {"population": [f"A,{a},甲,head,370481101201"], "civil": [f"{a},dibao,2020-01-01,"]},
    )
    assert result["rules_skipped"] == {
        **{
            r: f"feed {f} missing"
            for r, f in [
                ("disaster", "disaster"),
                ("dropout", "education"),
                ("income_drop", "income"),
                ("low_income", "income"),
                ("medical_burden", "medical"),
                ("severe_disability", "disability"),
                ("unsafe_house", "housing"),
            ]
        },
        "assistance_mismatch": "no registry given",
    }


def test_without_population_the_run_stops(tmp_path):
    folder = write_feeds(tmp_path / "feeds", {"income": []})
    with pytest.raises(ScreeningError) as error:
        screen(year=Y, feeds_dir=folder, out_dir=tmp_path / "out", params=PARAMS)
    assert error.value.code == "population_missing"


def test_a_missing_required_column_stops_the_run(tmp_path):
    folder = write_feeds(tmp_path / "feeds", {"population": "household_no,id_number,name\n"})
    with pytest.raises(ScreeningError) as error:
        screen(year=Y, feeds_dir=folder, out_dir=tmp_path / "out", params=PARAMS)
    assert error.value.code == "feed_columns"
    assert error.value.details["missing"] == ["relation", "village_code"]


def test_a_feed_given_twice_stops_the_run(tmp_path):
    folder = write_feeds(tmp_path / "feeds", {"population": household("A")})
    (folder / "POPULATION.parquet").write_bytes(b"")
    with pytest.raises(ScreeningError) as error:
        screen(year=Y, feeds_dir=folder, out_dir=tmp_path / "out", params=PARAMS)
    assert error.value.code == "feed_ambiguous"


def test_chinese_headers_any_order_bom_and_crlf(tmp_path):
    a = pid("19800101")
    text = (
        "\ufeff行政区划代码,与户主关系,姓名,证件号码,户编号,备注\r\n"
        f"370481101201,户主,张三,{a.lower() if a.endswith('X') else a},A,无\r\n"
    )
    income = f"户编号,年度,工资性收入\r\nA,{Y},100\r\n"
    warnings, _s, rejected, _r = run(tmp_path, {"population": text, "income": income})
    assert rejected == []
    assert warnings["A"]["rules"] == "low_income"
    assert warnings["A"]["per_capita_income"] == "100.00"  # absent income columns count as 0


def test_lower_case_x_is_normalised(tmp_path):
    number = next(n for n in (pid() for _ in range(200)) if n.endswith("X"))
    feeds = {
        "population": [f"A,{number.lower()},甲,head,370481101201"],
        "medical": [f"{number},{Y}-01-01,30000,30000"],
    }
    warnings, _s, rejected, _r = run(tmp_path, feeds)
    assert rejected == []
    assert warnings["A"]["rules"] == "medical_burden"


def test_parquet_feeds_give_the_same_output_as_csv(tmp_path):
    a, b = pid("19800101"), pid("20150101")
    feeds = {
        "population": [f"A,{a},甲,head,370481101201", f"A,{b},乙,son,370481101201", "B,1,x,head,1"],
        "income": [f"A,{Y},5000.5,0,0,0,0", f"A,{Y - 1},90000,0,0,0,0", f"A,{Y - 2},-1,0,0,0,0"],
        "medical": [f"{a},{Y}-02-29,30000,25000", f"{b},{Y}-02-30,1,1"],
        "education": [f"{b},{Y},dropped_out"],
        "civil": [f"{a},dibao,{Y}-01-01,"],
    }
    csv_dir = write_feeds(tmp_path / "csv", feeds)
    parquet_dir = tmp_path / "parquet"
    parquet_dir.mkdir()
    con = duckdb.connect()
    for name in feeds:
        # Typed columns (dates, decimals, integers) as a department's Parquet export has them.
        source = f"read_csv('{csv_dir / name}.csv', all_varchar = true)"
        typed = {
            "income": f"SELECT household_no, CAST(year AS INT) AS year, CAST(wage AS DECIMAL(12,2)) AS wage, "
            f"CAST(business AS DOUBLE) AS business, property, transfer, production_cost FROM {source}",
            "medical": f"SELECT id_number, CAST(try_strptime(settle_date, '%Y-%m-%d') AS DATE) AS settle_date, total_cost, "
            f"CAST(self_pay AS DOUBLE) AS self_pay FROM {source}",
        }.get(name, f"SELECT * FROM {source}")
        con.execute(f"COPY ({typed}) TO '{parquet_dir / name}.parquet' (FORMAT parquet)")
    outputs = {}
    for folder in (csv_dir, parquet_dir):
        out = tmp_path / f"out-{folder.name}"
        screen(year=Y, feeds_dir=folder, out_dir=out, params=PARAMS, today=TODAY)
        outputs[folder.name] = out
    assert (outputs["csv"] / "warnings.csv").read_text() == (
        outputs["parquet"] / "warnings.csv"
    ).read_text()
    assert (outputs["csv"] / "summary.csv").read_text() == (
        outputs["parquet"] / "summary.csv"
    ).read_text()
    # The invalid date was already NULL in the typed file: missing rather than unparsable there.
    csv_rejected = (outputs["csv"] / "rejected.csv").read_text().splitlines()
    parquet_rejected = (outputs["parquet"] / "rejected.csv").read_text().splitlines()
    assert [r for r in csv_rejected if not r.startswith("medical")] == [
        r for r in parquet_rejected if not r.startswith("medical")
    ]
    assert "medical,3,unparsable_date:settle_date" in csv_rejected
    assert "medical,3,missing_value:settle_date" in parquet_rejected
    result = json.loads((outputs["parquet"] / "run.json").read_text())
    assert result["feeds"]["medical"]["format"] == "parquet"


def test_the_command_line_runs_from_files_alone_with_shipped_defaults_and_a_policy_file(tmp_path):
    from analytics.screening.__main__ import main

    a = pid()
    folder = write_feeds(
        tmp_path / "feeds",
        {"population": [f"A,{a},甲,head,370481101201"], "medical": [f"{a},{Y}-05-05,900,900"]},
    )
    out = tmp_path / "out"
    assert main(["--year", str(Y), "--feeds", str(folder), "--out", str(out)]) == 0
    result = json.loads((out / "run.json").read_text())
    assert result["parameters"][0]["medical_abs"] == "20000"
    assert result["households_flagged"] == 0
    policy = tmp_path / "policy.toml"
    policy.write_text("[screening]\nmedical_abs = 900\n")
    assert (
        main(["--year", str(Y), "--feeds", str(folder), "--out", str(out), "--policy", str(policy)])
        == 0
    )
    assert json.loads((out / "run.json").read_text())["households_flagged"] == 1
    assert (
        main(["--year", "2019", "--feeds", str(folder), "--out", str(out)]) == 2
    )  # no threshold yet
