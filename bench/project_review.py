"""Time the look-back review (回头看) of a city with many projects in operation, and print seconds.

    .venv/bin/python bench/project_review.py                      # 15,000 projects, 4 income entries a year
    .venv/bin/python bench/project_review.py --projects 2000
    .venv/bin/python bench/project_review.py --home /tmp/fupin-bench-review   # reuse a loaded database

A fresh SQLite database under a temporary FUPIN_HOME is migrated and loaded with a small `fupin
demo` (for the regions), then the projects are added in bulk, each in operation since 2019 with
one asset and quarterly rent in 2019–2020: about four in five pay in full, one in ten pays a
third (weak), one in ten stopped after the first quarter of 2020 (idle). The review of 2020 for
the city is timed twice: the first run moves the weak and idle projects (one `project_move` each),
the second only reads, classifies and stores.
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=15_000)
    parser.add_argument(
        "--home", default=None, help="FUPIN_HOME to use (kept); default a new temporary one"
    )
    args = parser.parse_args()

    home = Path(args.home or tempfile.mkdtemp(prefix="fupin-bench-review-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from fupin.assets.models import Asset, IncomeEntry
    from fupin.core.importing import rows_insert
    from fupin.projects.models import Project
    from fupin.projects.services import review_run
    from fupin.regions.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=12).exists():
        call_command("demo", households=500, seed=1, stdout=io.StringIO())
    villages = list(
        Region.objects.filter(level=12, code__startswith="3704")
        .order_by("code")
        .values_list("code", flat=True)
    )
    rng = random.Random(2018)
    now = timezone.now()
    last = Project.objects.aggregate(m=Max("pk"))["m"] or 0
    started = time.monotonic()
    with transaction.atomic():
        rows_insert(
            Project._meta.db_table,
            [
                "name",
                "code",
                "region_code",
                "year",
                "category",
                "status",
                "expected_annual_return",
                "total_investment",
                "description",
                "created_at",
                "operating_since",
                "status_changed_at",
            ],
            (
                (
                    f"压测项目{n}",
                    f"B-{last}-{n:06d}",
                    villages[n % len(villages)],
                    2018,
                    "industry",
                    "operating",
                    Decimal("40000.00"),
                    Decimal("500000.00"),
                    "",
                    now,
                    dt.date(2019, 1, 1),
                    now,
                )
                for n in range(args.projects)
            ),
        )
        projects = list(
            Project.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "region_id")
        )
        asset_last = Asset.objects.aggregate(m=Max("pk"))["m"] or 0
        rows_insert(
            Asset._meta.db_table,
            [
                "project_id",
                "name",
                "category",
                "owner_kind",
                "village_code",
                "value",
                "formed_on",
                "location",
                "note",
                "created_at",
            ],
            (
                (
                    pk,
                    "厂房",
                    "operating",
                    "village",
                    village,
                    Decimal("500000.00"),
                    dt.date(2018, 12, 1),
                    "",
                    "",
                    now,
                )
                for pk, village in projects
            ),
        )
        assets = list(
            Asset.objects.filter(pk__gt=asset_last).order_by("pk").values_list("pk", flat=True)
        )

        def entries():
            for asset in assets:
                roll = rng.random()
                for year in (2019, 2020):
                    for quarter in range(4):
                        if roll > 0.9 and year == 2020 and quarter > 0:
                            break  # idle: nothing after the first quarter of 2020
                        amount = (
                            Decimal("10000.00")
                            if roll < 0.8 or year == 2019
                            else Decimal("3300.00")
                        )
                        start = dt.date(year, quarter * 3 + 1, 1)
                        end = dt.date(year, quarter * 3 + 3, 28)
                        yield (
                            asset,
                            "rent",
                            start,
                            end,
                            amount,
                            end,
                            f"V{asset}-{year}-{quarter}",
                            "",
                            now,
                        )

        rows_insert(
            IncomeEntry._meta.db_table,
            [
                "asset_id",
                "kind",
                "period_start",
                "period_end",
                "amount",
                "received_on",
                "voucher_no",
                "note",
                "created_at",
            ],
            entries(),
        )
    print(
        f"loaded {args.projects} projects with their income in {time.monotonic() - started:.1f} s"
    )
    for label in ("first run (moves weak and idle)", "second run (reads, classifies, stores)"):
        started = time.monotonic()
        review = review_run(region_code="370400000000", year=2020, actor=None)
        print(
            f"{label}: {review.reviewed} reviewed, {review.healthy} healthy, {review.weak} weak, "
            f"{review.idle} idle, {review.moved} moved in {time.monotonic() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
