"""Time opening the cases of a screening run's 100,000 findings, set-based; print seconds.

    .venv/bin/python bench/cases_bench.py                        # 100,000 findings in Tengzhou
    .venv/bin/python bench/cases_bench.py --findings 10000
    DATABASE_URL=postgres://… .venv/bin/python bench/cases_bench.py --home /tmp/x   # on PostgreSQL

A fresh SQLite database under a temporary FUPIN_HOME (or DATABASE_URL) is migrated; the demo's
regions of Zaozhuang are written, then, with bulk inserts before the clock starts, the findings of
a run in Tengzhou's villages as the engine returns them: nine in ten of registered households
(one in twenty of those monitored already), one in ten of households the registry does not have
(their head from the population feed as declarant), and the run's flags. The run's cases are
opened by `run_cases_open` as the run's county officer (`screening.services`: the cases, their
field history, steps and events, and the flags linked in one UPDATE, in one transaction), timed.
A second run of the same findings then joins every case it opened, timed too.
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
YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--home", default=None, help="FUPIN_HOME (default a new temporary one)")
    args = parser.parse_args()

    home = Path(args.home or tempfile.mkdtemp(prefix="fupin-bench-cases-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from fupin.core.idnumbers import resident_id_make
    from fupin.monitoring.models import Case, CaseStep
    from fupin.regions.models import Region
    from fupin.registry.demo import _regions_write
    from fupin.registry.models import Household
    from fupin.screening.models import ScreeningFlag, ScreeningRun
    from fupin.screening.services import HEAD_FIELDS, run_cases_open

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(11)
    with transaction.atomic():
        _regions_write()
        villages = list(
            Region.objects.filter(level=12, code__startswith=COUNTY[:6])
            .order_by("code")
            .values_list("code", flat=True)
        )
        officer = get_user_model().objects.create(
            username="bench_county", role="county_officer", region_id=COUNTY
        )
        findings = []
        registered = []
        for n in range(args.findings):
            village = villages[n % len(villages)]
            size = rng.randint(1, 6)
            net = Decimal(rng.randint(1_000, 6_000 * size))
            in_registry = n % 10 != 9
            category = (
                ("monitored" if n % 20 == 0 else rng.choice(["ordinary", "lifted"]))
                if in_registry
                else ""
            )
            number = f"B{n:09d}" if in_registry else f"P{n:09d}"
            if in_registry:
                registered.append(Household(household_no=number, village_id=village))
            findings.append(
                {
                    "household_no": number,
                    "village_code": village,
                    "size": size,
                    "rules": "low_income" if n % 3 else "income_drop;low_income",
                    "per_capita_income": str((net / size).quantize(Decimal("0.01"))),
                    "net_income": f"{net}.00",
                    "net_income_previous_year": f"{net * 2}.00" if n % 3 == 0 else None,
                    "medical_self_pay": None,
                    "disaster_loss": None,
                    "severe_disability_certificates": None,
                    "dropout_members": None,
                    "housing_grade": None,
                    "housing_assessed_date": None,
                    "civil_kinds": None,
                    "registry_category": category,
                    "income_threshold": "6000",
                    "head_id_number": resident_id_make(
                        "370481", dt.date(1950, 1, 1) + dt.timedelta(days=n // 900), n % 900 + 100
                    ),
                    "head_name": f"户主{n}",
                    "head_relation": "head",
                }
            )
        Household.objects.bulk_create(registered, batch_size=2000)

    def run_with_flags() -> ScreeningRun:
        with transaction.atomic():
            run = ScreeningRun.objects.create(
                region_id=COUNTY, year=YEAR, create_cases=True, started_by=officer, status="running"
            )
            ScreeningFlag.objects.bulk_create(
                (
                    ScreeningFlag(
                        run=run,
                        household_no=f["household_no"],
                        village_code=f["village_code"],
                        size=f["size"],
                        per_capita_income=Decimal(f["per_capita_income"]),
                        rules=f["rules"],
                        registry_category=f["registry_category"],
                        figures={
                            k: v for k, v in f.items() if v is not None and k not in HEAD_FIELDS
                        },
                    )
                    for f in findings
                ),
                batch_size=2000,
            )
        return run

    run = run_with_flags()
    print(
        f"generated {len(findings):,} findings ({len(registered):,} registered households) in "
        f"{len(villages):,} villages of {COUNTY} in {time.perf_counter() - started:.0f} s "
        f"({connection.vendor}, {home})"
    )
    for label in ("first run (opens the cases)", "second run (joins them)"):
        started, cpu = time.perf_counter(), time.process_time()
        counts = run_cases_open(run=run, findings=findings, actor=officer)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        linked = ScreeningFlag.objects.filter(run=run, case__isnull=False).count()
        print(
            f"{label:<30}{seconds:>7.2f} s (CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f})   "
            f"{len(findings):,} findings: "
            + "  ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
            + f"  flags linked {linked:,}"
        )
        run = run_with_flags()
    print(f"cases {Case.objects.count():,}, steps {CaseStep.objects.count():,}")


if __name__ == "__main__":
    main()
