"""`python -m analytics.screening`: run a screening from files alone (no database, no Django)."""

import argparse
import datetime as dt
import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

from analytics.screening.engines import ScreeningError
from analytics.screening.run import screen
from analytics.screening.sql import Params

# fupin's shipped policy defaults; read as a plain TOML file, so that no Django is needed.
DEFAULTS_FILE = Path(__file__).resolve().parents[2] / "fupin" / "policy" / "defaults.toml"
KEYS = (
    "monitoring.income_threshold",
    "screening.income_drop_ratio",
    "screening.medical_abs",
    "screening.medical_ratio",
    "screening.disaster_abs",
    "screening.disaster_ratio",
)


def shipped_defaults(year: int) -> dict[str, str]:
    """Return the shipped value of each rule parameter in force at the end of the year."""
    end = dt.date(year, 12, 31)
    values = {}
    for item in tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))["key"]:
        if item["key"] in KEYS:
            dated = [v for v in item.get("values", []) if dt.date.fromisoformat(v["from"]) <= end]
            if dated:
                values[item["key"]] = str(max(dated, key=lambda v: v["from"])["value"])
    return values


def flatten(table: dict, prefix: str = "") -> dict[str, object]:
    """Return the dotted keys of a TOML table (`[screening] medical_abs = 1` → `screening.medical_abs`)."""
    keys: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            keys.update(flatten(value, f"{name}."))
        else:
            keys[name] = value
    return keys


def params_from(values: dict[str, object]) -> Params:
    """Return the rule parameters from policy keys and their values."""
    missing = [key for key in KEYS if key not in values]
    if missing:
        raise ScreeningError("params_missing", "no value for these policy keys", {"keys": missing})
    v = {key: Decimal(str(value)) for key, value in values.items()}
    return Params(
        income_threshold=v["monitoring.income_threshold"],
        income_drop_ratio=v["screening.income_drop_ratio"],
        medical_abs=v["screening.medical_abs"],
        medical_ratio=v["screening.medical_ratio"],
        disaster_abs=v["screening.disaster_abs"],
        disaster_ratio=v["screening.disaster_ratio"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.screening", description=__doc__)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--feeds", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--spark-master")
    parser.add_argument("--policy", help="a TOML file of policy keys (dotted or in tables)")
    parser.add_argument("--registry", help="a CSV or Parquet file of household_no, category")
    parser.add_argument("--memory-limit", help="DuckDB's memory limit, e.g. 4GB")
    args = parser.parse_args(argv)
    values = shipped_defaults(args.year)
    if args.policy:
        values.update(flatten(tomllib.loads(Path(args.policy).read_text(encoding="utf-8"))))
    options = {"memory_limit": args.memory_limit} if args.memory_limit else {}
    try:
        result = screen(
            year=args.year,
            feeds_dir=args.feeds,
            out_dir=args.out,
            params=params_from(values),
            registry=args.registry,
            engine=args.engine,
            spark_master=args.spark_master,
            engine_options=options,
            today=dt.date.today(),
        )
    except ScreeningError as exc:
        print(
            f"{exc.code}: {exc.message} {json.dumps(exc.details, ensure_ascii=False)}",
            file=sys.stderr,
        )
        return 2
    s = result.summary
    print(
        f"{s['households_screened']} households screened, {s['households_flagged']} flagged, "
        f"{s['rows_rejected']} rows rejected; seconds {json.dumps(s['seconds'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
