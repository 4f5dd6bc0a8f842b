"""Generate a realistic household file, import it into a fresh database, print persons per second.

    .venv/bin/python bench/import_households.py                      # 1,000,000 persons, SQLite
    .venv/bin/python bench/import_households.py --persons 100000
    createdb -h 127.0.0.1 -U postgres fupin_bench
    .venv/bin/python bench/import_households.py --database-url postgres://postgres@127.0.0.1:5432/fupin_bench
    dropdb -h 127.0.0.1 -U postgres fupin_bench

The file is written to a temporary FUPIN_HOME (with the SQLite database unless --database-url
is given), imported once (everything new) and once again (nothing changes), and removed.
"""

import argparse
import csv
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Zaozhuang's six county-level units (GB/T 2260).
COUNTIES = {
    "370402": "市中区",
    "370403": "薛城区",
    "370404": "峄城区",
    "370405": "台儿庄区",
    "370406": "山亭区",
    "370481": "滕州市",
}
HEADER = [
    "户编号",
    "行政区划代码",
    "证件号码",
    "姓名",
    "与户主关系",
    "联系电话",
    "贫困状态",
    "是否享受政策",
    "户属性",
    "监测类型",
    "风险状态",
    "主要致贫原因",
    "健康状况",
    "残疾等级",
    "劳动能力",
    "在校生状况",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国建华志强海燕红梅春花德福永胜"
CAUSES = [
    "因病",
    "因残",
    "因学",
    "因灾",
    "缺土地",
    "缺水",
    "缺技术",
    "缺劳力",
    "缺资金",
    "交通条件落后",
    "自身发展动力不足",
    "因婚",
    "因丧",
    "其他",
]
CAUSE_WEIGHTS = [40, 18, 6, 3, 3, 1, 6, 10, 6, 1, 3, 1, 1, 1]


def pick(rng: random.Random, options, weights):
    return rng.choices(options, weights)[0]


class Ids:
    """Hands out unique valid resident ID numbers of a county for a birth date and sex."""

    def __init__(self):
        from fupin.core.idnumbers import resident_id_make

        self.make = resident_id_make
        self.next: dict[tuple[str, dt.date, bool], int] = {}

    def __call__(self, county: str, birth: dt.date, male: bool) -> str:
        key = (county, birth, male)
        sequence = self.next.get(key, 1 if male else 2)  # odd for men, even for women
        if sequence > 999:
            raise SystemExit("too many persons born on one day in one county")
        self.next[key] = sequence + 2
        return self.make(county, birth, sequence)


def villages_create(households: int) -> list[str]:
    """Create Shandong > Zaozhuang > six counties > towns > villages; return the village codes."""
    from fupin.regions.models import Region
    from fupin.regions.services import region_create

    region_create(code="370000000000", name="山东省")
    region_create(code="370400000000", name="枣庄市")
    # About 110 households per village, as in Zaozhuang's countryside.
    per_county = max(1, households // 110 // len(COUNTIES))
    towns_per_county = max(1, min(20, per_county // 20))
    villages_per_town = max(1, per_county // towns_per_county)
    rows, villages = [], []
    for county, name in COUNTIES.items():
        rows.append(
            Region(
                code=f"{county}000000", name=name, level=6, parent_id="370400000000", prefix=county
            )
        )
        for t in range(towns_per_county):
            town = f"{county}{101 + t:03d}"
            rows.append(
                Region(
                    code=f"{town}000",
                    name=f"{name}{t + 1}镇",
                    level=9,
                    parent_id=f"{county}000000",
                    prefix=town,
                )
            )
            for v in range(villages_per_town):
                code = f"{town}{201 + v:03d}"
                rows.append(
                    Region(
                        code=code,
                        name=f"{name}{t + 1}镇{v + 1}村",
                        level=12,
                        parent_id=f"{town}000",
                        prefix=code,
                    )
                )
                villages.append(code)
    Region.objects.bulk_create(rows, batch_size=2000)
    return villages


def file_write(path: Path, persons: int, villages: list[str], seed: int) -> tuple[int, int]:
    """Write a household file of about `persons` rows; return (households, persons) written."""
    rng = random.Random(seed)
    ids = Ids()
    this_year = dt.date.today().year
    written = households = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        while written < persons:
            households += 1
            village = villages[households % len(villages)]
            county = village[:6]
            size = min(pick(rng, [1, 2, 3, 4, 5, 6], [12, 22, 22, 24, 14, 6]), persons - written)
            status = pick(rng, ["一般农户", "已脱贫", "未脱贫"], [40, 55, 5])
            support = pick(rng, ["是", "否"], [70, 30]) if status == "已脱贫" else ""
            kind = pick(rng, ["一般户", "低保户", "特困供养户"], [85, 12, 3])
            monitored = status != "未脱贫" and rng.random() < 0.05
            monitoring = (
                pick(rng, ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"], [45, 45, 10])
                if monitored
                else ""
            )
            risk = pick(rng, ["风险未消除", "风险已消除"], [40, 60]) if monitored else ""
            cause = pick(rng, CAUSES, CAUSE_WEIGHTS) if status != "一般农户" else ""
            household = (status, support, kind, monitoring, risk, cause)
            head_age = rng.randint(28, 88)
            members = [("户主", head_age, rng.random() < 0.85)]
            if size > 1:
                members.append(("配偶", max(20, head_age + rng.randint(-5, 3)), not members[0][2]))
            for _ in range(size - len(members)):
                if head_age > 55 and rng.random() < 0.5:
                    members.append(
                        (
                            pick(rng, ["之孙子", "之孙女"], [1, 1]),
                            rng.randint(1, 18),
                            rng.random() < 0.5,
                        )
                    )
                elif head_age < 50 and rng.random() < 0.2:
                    members.append(
                        (pick(rng, ["之父", "之母"], [1, 1]), head_age + rng.randint(22, 30), False)
                    )
                else:
                    members.append(
                        (
                            pick(rng, ["之子", "之女"], [1, 1]),
                            max(0, head_age - rng.randint(22, 35)),
                            rng.random() < 0.5,
                        )
                    )
            number = f"{village}{households:06d}"
            surname = rng.choice(SURNAMES)
            for relation, age, male in members:
                if relation in ("之父", "之母"):
                    male = relation == "之父"
                elif relation in ("之子", "之孙子"):
                    male = True
                elif relation in ("之女", "之孙女"):
                    male = False
                birth = dt.date(this_year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
                name = surname + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
                health = (
                    pick(rng, ["健康", "长期慢性病", "患有大病", "残疾"], [70, 18, 4, 8])
                    if age > 45
                    else pick(rng, ["健康", "长期慢性病", "残疾"], [94, 3, 3])
                )
                grade = (
                    pick(rng, ["一级", "二级", "三级", "四级"], [10, 25, 35, 30])
                    if health == "残疾"
                    else ""
                )
                labor = (
                    "无劳动力"
                    if age < 16 or age > 75
                    else "丧失劳动力"
                    if health in ("残疾", "患有大病")
                    else pick(rng, ["技能劳动力", "普通劳动力", "弱劳动力或半劳动力"], [15, 70, 15])
                )
                school = (
                    "学前教育"
                    if 3 <= age <= 5
                    else "小学"
                    if 6 <= age <= 11
                    else "初中"
                    if 12 <= age <= 14
                    else pick(rng, ["普通高中", "中职"], [65, 35])
                    if 15 <= age <= 17
                    else "非在校生"
                    if age > 17
                    else ""
                )
                phone = (
                    f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
                    if 18 <= age <= 70 and rng.random() < 0.7
                    else ""
                )
                out.writerow(
                    [
                        number,
                        village,
                        ids(county, birth, male),
                        name,
                        relation,
                        phone,
                        *household,
                        health,
                        grade,
                        labor,
                        school,
                    ]
                )
                written += 1
    return households, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp dir)"
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fupin.registry.models import Household, Person
    from fupin.registry.services import household_import

    try:
        call_command("migrate", verbosity=0)
        villages = villages_create(args.persons * 10 // 33)
        path = home / "households.csv"
        started = time.perf_counter()
        households, persons = file_write(path, args.persons, villages, args.seed)
        print(
            f"file: {persons:,} persons in {households:,} households, {len(villages):,} villages, "
            f"{path.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - started:.0f} s"
        )
        print(f"database: {connection.vendor}")
        for attempt in ("first import", "same file again"):
            started = time.perf_counter()
            result = household_import(path=path)
            elapsed = time.perf_counter() - started
            if not result.ok:
                for problem in result.sorted_problems()[:10]:
                    print(problem)
                raise SystemExit(f"{len(result.problems)} problems")
            print(f"{attempt}: {result.summary()} households; persons {result.details['persons']}")
            print(
                f"  {elapsed:.1f} s, {persons / elapsed:,.0f} persons/s; seconds by phase "
                f"{result.details['seconds']}"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"stored: {Household.objects.count():,} households, {Person.objects.count():,} persons, "
            f"{Person.history.count():,} person history rows"
        )
        print(f"peak RSS: {peak:,.0f} MB")
    finally:
        connection.close()
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
