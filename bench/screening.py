"""Generate deterministic department feeds for N persons, screen them, print persons/s, phases, memory.

    .venv/bin/python bench/screening.py                                   # 1,000,000 persons, CSV
    .venv/bin/python bench/screening.py --persons 10000000 --format parquet
    .venv/bin/python bench/screening.py --engine spark --compare          # Spark, same output?
    .venv/bin/python bench/screening.py --persons 100000 --naive          # the ORM loop, for scale

The feeds are written by DuckDB from hashes of the row numbers (the same files every time) into a
temporary folder, before the clock starts. The screening then runs in a fresh process
(`python -m analytics.screening`), so its wall time is the whole process's and its peak memory
is its own. `--compare` also runs the other engine and compares the outputs byte by byte.
"""

import argparse
import filecmp
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2024
COUNTIES = ["370402", "370403", "370404", "370405", "370406", "370481"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def u(key: str, salt: str) -> str:
    """Return SQL for a uniform number in [0, 1) from a key and a salt (deterministic)."""
    return f"(hash(({key}) * 1009 + {zlib.crc32(salt.encode())}) % 1000003) / 1000003.0"


def r(n: int, key: str, salt: str) -> str:
    """Return SQL for a whole number in [0, n) from a key and a salt (deterministic)."""
    return f"CAST(hash(({key}) * 1009 + {zlib.crc32(salt.encode())}) % {n} AS INT)"


def check_char(body: str) -> str:
    digits = " + ".join(
        f"(ascii(substr({body}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(WEIGHTS)
    )
    return f"substr('10X98765432', (({digits}) % 11) + 1, 1)"


def generate(con, persons: int, folder: Path, fmt: str) -> dict[str, int]:
    """Write the eight feeds and a registry file for about `persons` persons; return rows per file."""
    households = persons * 10 // 32
    villages_per_county = max(1, households // 110 // len(COUNTIES))
    counties = ", ".join(f"'{c}'" for c in COUNTIES)
    con.execute(f"""
CREATE OR REPLACE TABLE hh AS
SELECT h, size, sum(size) OVER (ORDER BY h) - size AS first_person,
  list_extract([{counties}], CAST(h % 6 AS INT) + 1) AS county,
  list_extract([{counties}], CAST(h % 6 AS INT) + 1)
    || lpad(CAST(101 + (h // 6) % 20 AS VARCHAR), 3, '0')
    || lpad(CAST(201 + (h // 120) % {max(1, villages_per_county // 20)} AS VARCHAR), 3, '0') AS village,
  18 + {r(70, "h", "age")} AS head_age
FROM (SELECT range AS h,
        CASE WHEN {u("range", "size")} < 0.12 THEN 1 WHEN {u("range", "size")} < 0.34 THEN 2
             WHEN {u("range", "size")} < 0.56 THEN 3 WHEN {u("range", "size")} < 0.80 THEN 4
             WHEN {u("range", "size")} < 0.94 THEN 5 ELSE 6 END AS size
      FROM range({households * 11 // 10}))""")
    con.execute(f"""
CREATE OR REPLACE TABLE people AS
SELECT p, h, member, county, village, household_no, age,
  make_date({YEAR + 1} - age - 1, 1 + {r(12, "p", "m")}, 1 + {r(28, "p", "d")}) AS birth,
  CASE WHEN member = 0 THEN 'head' WHEN member = 1 THEN 'spouse'
       WHEN age < head_age - 15 THEN CASE WHEN p % 2 = 0 THEN 'son' ELSE 'daughter' END
       ELSE CASE WHEN p % 2 = 0 THEN 'father' ELSE 'mother' END END AS relation
FROM (
  SELECT first_person + member AS p, h, member, county, village, head_age,
    village || lpad(CAST(h AS VARCHAR), 8, '0') AS household_no,
    CASE WHEN member = 0 THEN head_age
         WHEN member = 1 THEN greatest(18, head_age - 5 + {r(8, "h", "sp")})
         WHEN {u("first_person + member", "kid")} < 0.8
           THEN greatest(0, head_age - 20 - {r(15, "first_person + member", "ka")})
         ELSE least(99, head_age + 22 + {r(8, "first_person + member", "pa")}) END AS age
  FROM hh, range(size) AS m(member)
  WHERE first_person + member < {persons})""")
    con.execute(f"""
CREATE OR REPLACE TABLE ids AS
SELECT p, body || CASE WHEN {u("p", "bad")} < 0.001 THEN '0' ELSE {check_char("body")} END AS id_number
FROM (SELECT p, county || strftime(birth, '%Y%m%d')
        || lpad(CAST(2 * row_number() OVER (PARTITION BY county, birth, p % 2 ORDER BY p) - (p % 2) AS VARCHAR), 3, '0') AS body
      FROM people)""")
    surname = (
        "list_extract(['王','李','张','刘','陈','杨','赵','黄','周','吴'], CAST(p % 10 AS INT) + 1)"
    )
    given = "list_extract(['伟','芳','娜','敏','静','强','磊','军','洋','勇','艳','杰'], CAST((p // 10) % 12 AS INT) + 1)"
    feeds = {
        "population": f"""
SELECT household_no, id_number, {surname} || {given} AS name, relation, village AS village_code
FROM people JOIN ids USING (p) ORDER BY p""",
        "income": f"""
SELECT household_no, year, wage, business, property, transfer, production_cost FROM (
  SELECT household_no, y AS year, h,
    CAST(round(size * 9000 * (0.55 + 2 * {u("h", "w")}) * CASE WHEN y = {YEAR} AND {u("h", "drop")} < 0.03 THEN 0.5 ELSE 1 END, 2) AS DECIMAL(18,2)) AS wage,
    CAST(round(size * 3000 * {u("h * 7 + y", "b")}, 2) AS DECIMAL(18,2)) AS business,
    CAST(round(300 * {u("h * 7 + y", "pr")}, 2) AS DECIMAL(18,2)) AS property,
    CAST(round(size * 1200 * {u("h * 7 + y", "t")}, 2) AS DECIMAL(18,2)) AS transfer,
    CAST(round(size * 1500 * {u("h * 7 + y", "c")}, 2) AS DECIMAL(18,2)) AS production_cost
  FROM (SELECT DISTINCT h, household_no, count(*) OVER (PARTITION BY h) AS size FROM people) x,
       (VALUES ({YEAR - 1}), ({YEAR})) AS v(y)
  WHERE {u("h", "inc")} < 0.95) i ORDER BY h, year""",
        "medical": f"""
SELECT id_number, make_date({YEAR - 1} + CAST(k = 0 AS INT), 1 + {r(12, "p * 3 + k", "mm")}, 1 + {r(28, "p * 3 + k", "md")}) AS settle_date,
  CAST(round(cost, 2) AS DECIMAL(18,2)) AS total_cost, CAST(round(cost * 0.35, 2) AS DECIMAL(18,2)) AS self_pay
FROM (SELECT p, k, CASE WHEN {u("p * 3 + k", "big")} < 0.03 THEN 40000 + 60000 * {u("p", "bc")}
                       ELSE 200 + 3000 * {u("p * 3 + k", "c")} END AS cost
      FROM people, range(2) AS r(k) WHERE {u("p", "med")} < CASE WHEN k = 0 THEN 0.3 ELSE 0.15 END) m
JOIN ids USING (p) ORDER BY p, k""",
        "disability": f"""
SELECT id_number, CAST(1 + {r(4, "p", "g")} AS VARCHAR) AS grade,
  make_date(2005 + {r(20, "p", "cy")}, 1 + {r(12, "p", "cm")}, 1 + {r(28, "p", "cd")}) AS cert_date
FROM people JOIN ids USING (p) WHERE {u("p", "dis")} < 0.06 ORDER BY p""",
        "disaster": f"""
SELECT household_no, make_date({YEAR}, 1 + {r(12, "h", "dm")}, 1 + {r(28, "h", "dd")}) AS date,
  CAST(round(500 + 20000 * {u("h", "loss")} * {u("h", "l2")}, 2) AS DECIMAL(18,2)) AS loss
FROM (SELECT DISTINCT h, household_no FROM people) x WHERE {u("h", "dst")} < 0.03 ORDER BY h""",
        "education": f"""
SELECT id_number, {YEAR} AS year, CASE WHEN {u("p", "drop")} < 0.004 THEN 'dropped_out' ELSE 'enrolled' END AS status
FROM people JOIN ids USING (p) WHERE age BETWEEN 5 AND 18 ORDER BY p""",
        "housing": f"""
SELECT household_no, CASE WHEN g < 0.70 THEN 'A' WHEN g < 0.90 THEN 'B' WHEN g < 0.98 THEN 'C' ELSE 'D' END AS grade,
  make_date(2016 + {r(10, "h", "hy")}, 1 + {r(12, "h", "hm")}, 1 + {r(28, "h", "hd")}) AS assessed_date
FROM (SELECT DISTINCT h, household_no, {u("h", "hg")} AS g FROM people) x WHERE {u("h", "hou")} < 0.4 ORDER BY h""",
        "civil": f"""
SELECT id_number, CASE WHEN {u("p", "tk")} < 0.2 THEN 'tekun' ELSE 'dibao' END AS kind,
  make_date(2015 + {r(10, "p", "sy")}, 1 + {r(12, "p", "sm")}, 1) AS start_date,
  CASE WHEN {u("p", "end")} < 0.3 THEN make_date(2020 + {r(6, "p", "ey")}, 12, 31) END AS end_date
FROM people JOIN ids USING (p) WHERE member = 0 AND {u("p", "civ")} < 0.06 ORDER BY p""",
        "registry": f"""
SELECT household_no, CASE WHEN c < 0.05 THEN 'monitored' WHEN c < 0.40 THEN 'lifted_supported'
                          WHEN c < 0.55 THEN 'lifted' ELSE 'ordinary' END AS category
FROM (SELECT DISTINCT h, household_no, {u("h", "cat")} AS c FROM people) x WHERE {u("h", "reg")} < 0.9 ORDER BY h""",
    }
    rows = {}
    for name, query in feeds.items():
        target = folder / f"{name}.{fmt}"
        options = (
            "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "HEADER, DELIMITER ','"
        )
        con.execute(f"COPY ({query}) TO '{target}' ({options})")
        rows[name] = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    return rows


def run_screening(
    feeds: Path, out: Path, engine: str, memory_limit: str | None
) -> tuple[float, float, dict]:
    """Run the screening in a fresh process; return (wall seconds, peak RSS MB, run.json)."""
    command = [
        sys.executable,
        "-m",
        "analytics.screening",
        "--year",
        str(YEAR),
        "--feeds",
        str(feeds),
        "--out",
        str(out),
        "--engine",
        engine,
        "--registry",
        str(next(feeds.parent.glob("registry.*"))),
    ]
    if memory_limit and engine == "duckdb":
        command += ["--memory-limit", memory_limit]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child's; a JVM's memory is not in it (Spark: see docs).
    peak_mb = max(peak, before) / 1024
    return elapsed, peak_mb, json.loads((out / "run.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument(
        "--compare", action="store_true", help="run the other engine too and compare"
    )
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB's memory limit")
    parser.add_argument("--naive", action="store_true", help="time the ORM loop instead")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", help="a folder kept by --keep: screen its feeds again")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import duckdb

    home = (
        Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="fupin-screening-bench-"))
    )
    feeds = home / "feeds"
    try:
        if not args.reuse:
            feeds.mkdir()
            started = time.perf_counter()
            con = duckdb.connect()
            rows = generate(con, args.persons, home, args.format)
            con.close()
            for name in rows:
                if name != "registry":
                    (home / f"{name}.{args.format}").rename(feeds / f"{name}.{args.format}")
            size = sum(f.stat().st_size for f in feeds.iterdir()) / 1e6
            print(
                f"feeds ({args.format}, {size:,.0f} MB, written in {time.perf_counter() - started:.0f} s): "
                + ", ".join(f"{name} {count:,}" for name, count in rows.items())
            )
        if args.naive:
            sys.path.insert(0, str(ROOT / "bench"))
            from naive_screening import naive_run

            naive_run(home, feeds, YEAR)
            return
        engines = [args.engine] + (
            [e for e in ("duckdb", "spark") if e != args.engine] if args.compare else []
        )
        outs = []
        for engine in engines:
            out = home / f"out-{engine}"
            elapsed, peak, run = run_screening(feeds, out, engine, args.memory_limit)
            persons = run["feeds"]["population"]["rows_read"]
            print(
                f"{engine}: {persons:,} persons in {elapsed:.1f} s (whole process), "
                f"{persons / elapsed:,.0f} persons/s; peak RSS {peak:,.0f} MB"
            )
            print(f"  seconds by phase {run['seconds']}")
            print(
                f"  {run['households_screened']:,} households, {run['households_flagged']:,} flagged, "
                f"{run['rows_rejected']:,} rows rejected; flags {run['flags']}"
            )
            outs.append(out)
        if len(outs) == 2:
            same = all(
                filecmp.cmp(outs[0] / name, outs[1] / name, shallow=False)
                for name in ("warnings.csv", "summary.csv", "rejected.csv")
            )
            print(
                f"outputs of {engines[0]} and {engines[1]}: {'identical' if same else 'DIFFERENT'}"
            )
            if not same:
                raise SystemExit(1)
    finally:
        if args.keep or args.reuse:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
