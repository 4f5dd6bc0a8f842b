"""Time the look-back review (回头看) of one county with 15,000 projects in operation; print seconds.

    .venv/bin/python bench/review_bench.py                       # 15,000 projects in Tengzhou
    .venv/bin/python bench/review_bench.py --projects 2000
    DATABASE_URL=postgres://… .venv/bin/python bench/review_bench.py --home /tmp/x   # on PostgreSQL

A fresh SQLite database under a temporary FUPIN_HOME (or DATABASE_URL) is migrated; the demo's
regions of Zaozhuang are written, then the projects of Tengzhou's villages, each in operation
since 2019 with one asset and quarterly rent in 2019–2020, all with bulk inserts before the clock
starts: about four in five pay in full, one in ten pays a third (weak), one in ten stopped after
the first quarter of 2020 (idle). `review_run` of 2020 for the county is timed twice: the first
run moves the weak and idle projects (`_review_moves_apply`, set-based), the second only reads,
classifies and stores.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "370481000000"  # Tengzhou (滕州市)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=15_000)
    parser.add_argument("--home", default=None, help="FUPIN_HOME (default a new temporary one)")
    args = parser.parse_args()

    home = Path(args.home or tempfile.mkdtemp(prefix="fupin-bench-review-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Max

    import fupin.core.importing  # noqa: F401 — a server has it loaded (openpyxl): not timed
    from fupin.assets.models import Asset, IncomeEntry
    from fupin.projects.models import Project
    from fupin.projects.services import review_run
    from fupin.regions.models import Region
    from fupin.registry.demo import _regions_write

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(2018)
    with transaction.atomic():
        _regions_write()
        villages = list(
            Region.objects.filter(level=12, code__startswith=COUNTY[:6])
            .order_by("code")
            .values_list("code", flat=True)
        )
        last = Project.objects.aggregate(m=Max("pk"))["m"] or 0
        projects = Project.objects.bulk_create(
            [
                Project(
                    name=f"压测项目{n}",
                    code=f"B-{last}-{n:06d}",
                    region_id=villages[n % len(villages)],
                    year=2018,
                    category="industry",
                    status="operating",
                    expected_annual_return=Decimal("40000.00"),
                    total_investment=Decimal("500000.00"),
                    operating_since=dt.date(2019, 1, 1),
                )
                for n in range(args.projects)
            ],
            batch_size=2000,
        )
        assets = Asset.objects.bulk_create(
            [
                Asset(
                    project_id=project.pk,
                    name="厂房",
                    category="operating",
                    owner_kind="village",
                    village_id=project.region_id,
                    value=Decimal("500000.00"),
                    formed_on=dt.date(2018, 12, 1),
                )
                for project in projects
            ],
            batch_size=2000,
        )

        def entries():
            for asset in assets:
                roll = rng.random()
                for year in (2019, 2020):
                    for quarter in range(4):
                        if roll > 0.9 and year == 2020 and quarter > 0:
                            break  # idle: nothing after the first quarter of 2020
                        end = dt.date(year, quarter * 3 + 3, 28)
                        yield IncomeEntry(
                            asset_id=asset.pk,
                            kind="rent",
                            period_start=dt.date(year, quarter * 3 + 1, 1),
                            period_end=end,
                            amount=Decimal("10000.00")
                            if roll < 0.8 or year == 2019
                            else Decimal("3300.00"),
                            received_on=end,
                            voucher_no=f"V{asset.pk}-{year}-{quarter}",
                        )

        IncomeEntry.objects.bulk_create(entries(), batch_size=2000)
    print(
        f"generated {len(projects):,} projects in {len(villages):,} villages of {COUNTY}, "
        f"{IncomeEntry.objects.count():,} income entries in {time.perf_counter() - started:.0f} s "
        f"({connection.vendor}, {home})"
    )
    for label in ("first review (moves weak and idle)", "second review (nothing to move)"):
        started, cpu = time.perf_counter(), time.process_time()
        review = review_run(region_code=COUNTY, year=2020, actor=None, today=dt.date(2021, 3, 1))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{label:<38}{seconds:>7.2f} s (CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f})   "
            f"reviewed {review.reviewed:,}  "
            f"healthy {review.healthy:,}  weak {review.weak:,}  idle {review.idle:,}  "
            f"moved {review.moved:,}"
        )


if __name__ == "__main__":
    main()
