"""A screening run: find the feeds, check them, apply the rules, write the four outputs."""

import csv
import datetime as dt
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analytics.screening import sql
from analytics.screening.engines import ScreeningError, engine_open
from analytics.screening.feeds import (
    FEEDS,
    REGISTRY,
    RULE_FEED,
    RULE_NEEDS_REGISTRY,
    RULES,
    Feed,
)
from analytics.screening.sql import Params

FORMATS = {".csv": "csv", ".parquet": "parquet"}
WARNINGS_HEADER = [
    "household_no",
    "village_code",
    "size",
    "per_capita_income",
    "rules",
    "registry_category",
]
SUMMARY_HEADER = ["county_code", "households_screened", "households_flagged", *RULES]
FINDING_FIELDS = [
    "household_no",
    "village_code",
    "size",
    "rules",
    "per_capita_income",
    "net_income",
    "net_income_previous_year",
    "medical_self_pay",
    "disaster_loss",
    "severe_disability_certificates",
    "dropout_members",
    "housing_grade",
    "housing_assessed_date",
    "civil_kinds",
    "registry_category",
    "income_threshold",
    "head_id_number",
    "head_name",
    "head_relation",
]


@dataclass
class RunResult:
    """What a run wrote and found: the run summary (run.json) and, if asked, each flagged household."""

    out_dir: Path
    summary: dict
    findings: list[dict] = field(default_factory=list)


def feeds_find(feeds_dir: Path) -> dict[str, Path]:
    """Return the file of each feed present in a folder (`<feed>.csv` or `<feed>.parquet`)."""
    if not feeds_dir.is_dir():
        raise ScreeningError(
            "feeds_not_found", "the feeds folder does not exist", {"path": str(feeds_dir)}
        )
    found: dict[str, Path] = {}
    for path in sorted(feeds_dir.iterdir()):
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if stem in FEEDS and suffix in FORMATS and path.is_file():
            if stem in found:
                raise ScreeningError(
                    "feed_ambiguous",
                    "a feed is given twice",
                    {"feed": stem, "files": [found[stem].name, path.name]},
                )
            found[stem] = path
    return found


def _header_positions(feed: Feed, names: list[str], path: Path) -> dict[str, int]:
    """Return the 1-based position of each known column in a header (English key or Chinese label)."""
    lookup = {}
    for column in feed.columns:
        for alias in (column.name, *column.aliases):
            lookup[alias.lower()] = column.name
    positions: dict[str, int] = {}
    for index, raw in enumerate(names, start=1):
        name = lookup.get(raw.strip().lower())
        if name is None:
            continue
        if name in positions:
            raise ScreeningError(
                "feed_columns", "a column is given twice", {"file": path.name, "column": name}
            )
        positions[name] = index
    missing = [c.name for c in feed.columns if c.required and c.name not in positions]
    if missing:
        raise ScreeningError(
            "feed_columns",
            "required columns are missing",
            {"file": path.name, "missing": missing, "found": names},
        )
    return positions


def _csv_header(path: Path) -> tuple[list[str], str]:
    """Return the header's column names and the file's line ending (that of the header)."""
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScreeningError(
            "feed_unreadable", "the file is not UTF-8 text", {"file": path.name}
        ) from exc
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    return next(csv.reader([text.rstrip("\r\n")]), []), newline


def header_check(feed: str, head: bytes) -> list[str]:
    """Check the header line of a CSV feed from the file's first bytes; return its known columns."""
    line = head.split(b"\n", 1)[0]
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScreeningError(
            "feed_unreadable", "the file is not UTF-8 text", {"feed": feed}
        ) from exc
    names = next(csv.reader([text.rstrip("\r")]), [])
    return sorted(_header_positions(FEEDS[feed], names, Path(f"{feed}.csv")))


def _load(engine, feed: Feed, path: Path, today: str) -> None:
    """Make `<feed>_checked`: every row of the file with typed values and a reason when unusable."""
    d = engine.dialect
    if FORMATS[path.suffix.lower()] == "csv":
        header, newline = _csv_header(path)
        positions = _header_positions(feed, header, path)
        engine.load_lines(f"{feed.name}_lines", path, newline)
        raw = sql.lines_to_fields(d, feed, positions, len(header), f"{feed.name}_lines")
        typed = {}
    else:
        columns = engine.parquet_columns(path)
        positions = _header_positions(feed, [name for name, _float in columns], path)
        engine.load_parquet(f"{feed.name}_file", path)
        sources = {name: columns[position - 1] for name, position in positions.items()}
        select, typed = sql.columns_to_fields(d, feed, sources, f"{feed.name}_file")
        raw = f"({select})"
    engine.create(
        f"{feed.name}_checked",
        sql.check_feed(d, feed, f"({raw})", today=today, typed_columns=typed),
    )


def _write_csv(path: Path, header: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow("" if v is None else v for v in row)
            count += 1
    return count


def _text(value) -> str | None:
    return None if value is None else str(value)


def screen(
    *,
    year: int,
    feeds_dir: Path | str,
    out_dir: Path | str,
    params: Params | list[tuple[str, Params]],
    registry: Path | str | None = None,
    registry_source: str = "file",
    engine: str = "duckdb",
    spark_master: str | None = None,
    engine_options: dict | None = None,
    today: dt.date | None = None,
    findings: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Screen the population of the feeds for year Y and write warnings, summary, rejected and run.json.

    `params` is one set for every household, or (region code prefix, set) pairs where the longest
    matching prefix applies ("" for the rest). `registry` is a file of household_no and category.
    """
    started = time.perf_counter()
    feeds_dir, out_dir = Path(feeds_dir), Path(out_dir)
    today_text = (today or dt.date.today()).isoformat()
    param_sets = [("", params)] if isinstance(params, Params) else list(params)
    if not any(prefix == "" for prefix, _p in param_sets):
        raise ScreeningError(
            "params_missing", "no parameters for households outside the given regions"
        )
    found = feeds_find(feeds_dir)
    if "population" not in found:
        raise ScreeningError(
            "population_missing",
            "the population feed is required",
            {"folder": str(feeds_dir), "expected": ["population.csv", "population.parquet"]},
        )
    registry_path = Path(registry) if registry else None
    if registry_path is not None and not registry_path.is_file():
        raise ScreeningError(
            "registry_not_found", "the registry file does not exist", {"file": str(registry_path)}
        )
    if registry_path is not None and registry_path.suffix.lower() not in FORMATS:
        raise ScreeningError(
            "registry_format", "the registry file is CSV or Parquet", {"file": str(registry_path)}
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    clock = {"phase": "read", "at": time.perf_counter()}

    def phase(name: str) -> None:
        now = time.perf_counter()
        seconds[clock["phase"]] = round(now - clock["at"], 3)
        clock.update(phase=name, at=now)
        if progress and name != "done":
            progress(name)

    runner = engine_open(engine, spark_master=spark_master, options=engine_options)
    try:
        if progress:
            progress("read")
        present = [name for name in FEEDS if name in found]
        for name in present:
            _load(runner, FEEDS[name], found[name], today_text)
        if registry_path is not None:
            _load(runner, REGISTRY, registry_path, today_text)
        phase("match")
        runner.create("population_final", sql.population_final("population_checked"))
        runner.view("persons", sql.PERSONS)
        runner.create("households", sql.HOUSEHOLDS)
        for name in present[1:]:
            runner.create(f"{name}_final", sql.feed_final(name, f"{name}_checked"))
        if registry_path is not None:
            runner.create("registry_final", sql.registry_final("registry_checked"))
        phase("rules")
        rules = [
            r
            for r in RULES
            if RULE_FEED[r] in found and (registry_path is not None or r not in RULE_NEEDS_REGISTRY)
        ]
        skipped = {
            r: (
                f"feed {RULE_FEED[r]} missing" if RULE_FEED[r] not in found else "no registry given"
            )
            for r in RULES
            if r not in rules
        }
        screened = sql.screened(
            year=year, present=set(present), registry=registry_path is not None, params=param_sets
        )
        runner.create(
            "flagged", sql.flagged(runner.dialect, rules=rules, source=f"({screened}) sc")
        )
        phase("write")
        flagged_count = _write_csv(
            out_dir / "warnings.csv", WARNINGS_HEADER, runner.rows(sql.WARNINGS)
        )
        summary_rows = list(runner.rows(sql.summary(rules)))
        _write_csv(out_dir / "summary.csv", SUMMARY_HEADER, summary_rows)
        checked = present + (["registry"] if registry_path is not None else [])
        _write_csv(
            out_dir / "rejected.csv", ["feed", "line", "reason"], runner.rows(sql.rejected(checked))
        )
        counts = {}
        for name in checked:
            read, bad = next(
                runner.rows(
                    "SELECT count(*), sum(CASE WHEN reason IS NOT NULL THEN 1 ELSE 0 END) "
                    f"FROM {name}_final"
                )
            )
            counts[name] = (int(read), int(bad or 0))
        found_rows = []
        if findings:
            phase("findings")
            found_rows = [
                {
                    key: _text(value) if not isinstance(value, int) else value
                    for key, value in zip(FINDING_FIELDS, row, strict=True)
                }
                for row in runner.rows(sql.FINDINGS)
            ]
        phase("done")
        screened_total = sum(int(r[1]) for r in summary_rows)
        summary = {
            "year": year,
            "engine": runner.name,
            "today": today_text,
            "feeds_folder": str(feeds_dir),
            "feeds_used": present,
            "feeds_missing": [name for name in FEEDS if name not in found],
            "feeds": {
                name: {
                    "file": found[name].name,
                    "format": FORMATS[found[name].suffix.lower()],
                    "rows_read": counts[name][0],
                    "rows_rejected": counts[name][1],
                }
                for name in present
            },
            "registry": (
                {
                    "source": registry_source,
                    "rows_read": counts["registry"][0],
                    "rows_rejected": counts["registry"][1],
                }
                if registry_path is not None
                else None
            ),
            "rules_run": rules,
            "rules_skipped": skipped,
            "parameters": [
                {"region_prefix": prefix, **p.as_dict()}
                for prefix, p in sorted(param_sets, key=lambda item: item[0])
            ],
            "households_screened": screened_total,
            "households_flagged": flagged_count,
            "flags": {
                r: (
                    sum(int(row[3 + RULES.index(r)]) for row in summary_rows)
                    if r in rules
                    else None
                )
                for r in RULES
            },
            "rows_rejected": sum(bad for _read, bad in counts.values()),
            "seconds": {**seconds, "total": round(time.perf_counter() - started, 3)},
        }
        (out_dir / "run.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return RunResult(out_dir, summary, found_rows)
    finally:
        runner.close()
