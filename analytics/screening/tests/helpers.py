"""Small feeds for the engine tests: valid ID numbers, files written from rows, outputs read back."""

import csv
import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path

from stdnum.cn import ric

from analytics.screening import Params, screen

VILLAGE = "370481101201"
OTHER_COUNTY_VILLAGE = "370406100201"
PARAMS = Params(
    income_threshold=Decimal("6000"),
    income_drop_ratio=Decimal("0.3"),
    medical_abs=Decimal("20000"),
    medical_ratio=Decimal("0.5"),
    disaster_abs=Decimal("10000"),
    disaster_ratio=Decimal("0.5"),
)
TODAY = dt.date(2025, 6, 1)
HEADERS = {
    "population": "household_no,id_number,name,relation,village_code",
    "income": "household_no,year,wage,business,property,transfer,production_cost",
    "medical": "id_number,settle_date,total_cost,self_pay",
    "disability": "id_number,grade,cert_date",
    "disaster": "household_no,date,loss",
    "education": "id_number,year,status",
    "housing": "household_no,grade,assessed_date",
    "civil": "id_number,kind,start_date,end_date",
    "registry": "household_no,category",
}
_sequence = itertools.count(1)


def pid(birth: str = "19700101", address: str = "370481") -> str:
    """Return a new valid ID number born on YYYYMMDD."""
    body = f"{address}{birth}{next(_sequence) % 999 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


def household(no: str, size: int = 1, *, village: str = VILLAGE, births=None) -> list[str]:
    """Return population lines of a household: a head and size − 1 members."""
    births = births or ["19700101"] * size
    lines = []
    for index, birth in enumerate(births):
        relation = "head" if index == 0 else "son"
        lines.append(f"{no},{pid(birth)},成员{index},{relation},{village}")
    return lines


def write_feeds(folder: Path, feeds: dict[str, list[str] | str]) -> Path:
    """Write each feed as CSV (header from HEADERS unless the text gives its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in feeds.items():
        text = rows if isinstance(rows, str) else "\n".join([HEADERS[name], *rows]) + "\n"
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(
    tmp_path: Path, feeds: dict, *, year: int = 2024, registry: list[str] | None = None, **options
):
    """Screen the feeds; return (warnings by household, summary rows, rejected rows, run.json)."""
    folder = write_feeds(tmp_path / "feeds", feeds)
    registry_path = None
    if registry is not None:
        registry_path = tmp_path / "registry.csv"
        registry_path.write_text(
            "\n".join([HEADERS["registry"], *registry]) + "\n", encoding="utf-8"
        )
    out = tmp_path / "out"
    options.setdefault("params", PARAMS)
    screen(year=year, feeds_dir=folder, out_dir=out, registry=registry_path, today=TODAY, **options)
    warnings = {row["household_no"]: row for row in read_csv(out / "warnings.csv")}
    return (
        warnings,
        read_csv(out / "summary.csv"),
        read_csv(out / "rejected.csv"),
        json.loads((out / "run.json").read_text(encoding="utf-8")),
    )


def rules_of(warnings: dict, no: str) -> list[str]:
    """Return the rules a household was flagged by ([] when not flagged)."""
    return warnings[no]["rules"].split(";") if no in warnings else []


def sample_feeds(year: int = 2024) -> dict[str, list[str]]:
    """Return feeds where every rule fires somewhere and most kinds of rejected rows occur."""
    y = year
    h = {
        no: [pid(b) for b in births]
        for no, births in {
            "H01": ["19700101", "20120229"],
            "H02": ["19650505", "19660606", f"{y - 10}0301"],
            "H03": ["19800101"],
            "H04": ["19500101", "19520202"],
            "H05": ["19900101", f"{y - 6}1231", f"{y - 16}0101"],
            "H06": ["19751212"],
            "H07": ["19880808", "19890909"],
            "H08": ["19600101"],
        }.items()
    }
    population = []
    for no, ids in h.items():
        village = OTHER_COUNTY_VILLAGE if no == "H08" else VILLAGE
        for index, number in enumerate(ids):
            relation = "head" if index == 0 else ("spouse" if index == 1 else "daughter")
            population.append(f"{no},{number},成员{index},{relation},{village}")
    population += [
        f"H09,{h['H01'][0]},重复,head,{VILLAGE}",
        "H09,12345,短号,head,370481101201",
        f'H10,{pid()},"带,逗号",户主,{VILLAGE}',
        "",
        f"H11,{pid()},x,head,370481101201,extra",
    ]
    income = [
        f"H01,{y},5000,1000,0,1000,100",
        f"H01,{y - 1},20000,0,0,0,0",
        f"H02,{y},30000,5000,300,2000,1000",
        f"H02,{y - 1},30000,5000,300,2000,1000",
        f"H03,{y},10000.01,0,0,0,0",
        f"H04,{y},4000,0,0,8000,12000.05",
        f"H06,{y},100000,0,0,0,0",
        f"H07,{y},45000,0,0,0,0",
        f"H07,{y - 1},64285.72,0,0,0,0",
        f"H08,{y},9000,0,0,0,0",
        f"H01,{y},1,1,1,1,1",
        f"H99,{y},1,1,1,1,1",
        f"H02,{y - 2},-3,0,0,0,0",
    ]
    medical = [
        f"{h['H03'][0]},{y}-02-29,12000,5000.01",
        f"{h['H06'][0]},{y}-12-31,50000,20000",
        f"{h['H06'][0]},{y + 1}-01-01,50000,20000",
        f"{h['H02'][1]},{y - 1}-02-29,1,1",
        f"{pid()},{y}-03-03,1,1",
    ]
    disability = [
        f"{h['H04'][1]},2,{y}-12-31",
        f"{h['H02'][0]},3,{y}-01-01",
        f"{h['H04'][0]},9,{y}-01-01",
    ]
    disaster = [f"H08,{y}-07-01,4500.01", f"H07,{y}-07-01,10000", f"H07,{y - 1}-07-01,99999"]
    education = [
        f"{h['H05'][1]},{y},dropped_out",
        f"{h['H05'][2]},{y},dropped_out",
        f"{h['H02'][2]},{y},enrolled",
        f"{h['H01'][1]},{y},辍学",
    ]
    housing = [
        "H02,C,2024-06-01",
        "H02,A,2025-01-01",
        "H03,D,2019-01-01",
        "H03,B,2022-01-01",
        "H98,C,2024-01-01",
    ]
    civil = [
        f"{h['H08'][0]},dibao,{y}-12-31,",
        f"{h['H02'][0]},tekun,2018-01-01,{y}-01-01",
        f"{h['H06'][0]},dibao,2018-01-01,{y - 1}-12-31",
        f"{h['H03'][0]},dibao,{y}-05-01,{y}-04-01",
    ]
    return {
        "population": population,
        "income": income,
        "medical": medical,
        "disability": disability,
        "disaster": disaster,
        "education": education,
        "housing": housing,
        "civil": civil,
    }


SAMPLE_REGISTRY = [
    "H01,ordinary",
    "H02,ordinary",
    "H03,lifted",
    "H04,monitored",
    "H05,bogus",
    "H05,ordinary",
]
