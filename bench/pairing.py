"""Time `pairing_allocate` over the whole city: N households needing a cadre, M cadres; print seconds.

    .venv/bin/python bench/pairing.py                          # 300,000 households, 60,000 cadres
    .venv/bin/python bench/pairing.py --households 30000 --cadres 6000
    DATABASE_URL=postgres://… .venv/bin/python bench/pairing.py --home /tmp/x   # on PostgreSQL

A fresh SQLite database under a temporary FUPIN_HOME (or DATABASE_URL) is migrated; the demo's
regions of Zaozhuang are written, then households (all `not_lifted`), one aid unit paired with
each village and five county units per county, and cadres spread over the units in proportion
to their households (nine in ten in the villages' units), all with bulk inserts before the clock starts.
Three runs are timed: the first allocation (every household new), a second one (everything
kept), and one after 5 % of the households left the list and 2 % of the cadres left.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--cadres", type=int, default=60_000)
    parser.add_argument("--home", default=None, help="FUPIN_HOME (default a new temporary one)")
    args = parser.parse_args()

    home = Path(args.home or tempfile.mkdtemp(prefix="fupin-bench-pairing-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from fupin.core.importing import rows_insert
    from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage
    from fupin.pairing.services import pairing_allocate
    from fupin.registry.demo import _Generator, _poverty_lines, _regions_write
    from fupin.registry.models import Household

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(7)
    towns = _Generator(2018, _poverty_lines()).towns()
    villages = [(town, code) for town in towns for code, _name in town.villages]
    now = timezone.now()
    with transaction.atomic():
        _regions_write(towns)
        per_village = [0] * len(villages)
        for i in range(args.households):
            per_village[i % len(villages)] += 1
        rows_insert(
            Household._meta.db_table,
            [
                "household_no",
                "village_code",
                "poverty_status",
                "household_type",
                "monitoring_type",
                "risk_types",
                "risk_state",
                "main_cause",
                "removal_reason",
                "created_at",
                "updated_at",
            ],
            (
                (f"{code}{n:05d}", code, "not_lifted", "general", "", "[]", "", "", "", now, now)
                for (_town, code), count in zip(villages, per_village, strict=True)
                for n in range(count)
            ),
        )
        # One unit paired with each village (the 单位帮村 of the bulletin), five county units
        # paired with none; town units for villages, county units for the county's spare cadres.
        units = AidUnit.objects.bulk_create(
            [
                AidUnit(name=f"帮扶单位{code}", level="town", region_id=town.code)
                for town, code in villages
            ],
            batch_size=2000,
        )
        counties = sorted({t.county for t in towns})
        spare = AidUnit.objects.bulk_create(
            [
                AidUnit(name=f"县直单位{k}-{j}", level="county", region_id=f"{k}000000")
                for k in counties
                for j in range(5)
            ]
        )
        UnitVillage.objects.bulk_create(
            [
                UnitVillage(unit=unit, village_id=code, start_date=dt.date(2016, 1, 1))
                for unit, (_town, code) in zip(units, villages, strict=True)
            ],
            batch_size=2000,
        )
        # Nine in ten cadres belong to the villages' units (by households), the rest to the county.
        unit_households = {
            u.pk: count * 9 for u, count in zip(units, per_village, strict=True) if count
        }
        county_households: dict[str, int] = {}
        for (town, _code), count in zip(villages, per_village, strict=True):
            county_households[town.county] = county_households.get(town.county, 0) + count
        for u in spare:
            unit_households[u.pk] = county_households.get(u.region_id[:6], 0) // 5
        total = sum(unit_households.values())
        quotas = {u: args.cadres * n / total for u, n in unit_households.items()}
        counts = {u: int(q) for u, q in quotas.items()}
        for u in sorted(quotas, key=lambda u: counts[u] - quotas[u])[
            : args.cadres - sum(counts.values())
        ]:
            counts[u] += 1
        serial = 0
        rows = []
        for unit_id, count in sorted(counts.items()):
            for _ in range(count):
                serial += 1
                rows.append((f"干部{serial}", "", f"B{serial:017d}", unit_id, "", True, now))
        rows_insert(
            Cadre._meta.db_table,
            ["name", "phone", "id_number", "unit_id", "position", "active", "created_at"],
            rows,
        )
    print(
        f"generated {Household.objects.count():,} households, {Cadre.objects.count():,} cadres, "
        f"{AidUnit.objects.count():,} units in {time.perf_counter() - started:.0f} s "
        f"({connection.vendor}, {home})"
    )

    def timed(label: str) -> None:
        started = time.perf_counter()
        result = pairing_allocate(region_code="370400000000")
        seconds = time.perf_counter() - started
        print(
            f"{label:<34}{seconds:>7.1f} s   kept {result.kept:,}  ended {result.ended:,}  "
            f"added {result.added:,}  uncovered {result.uncovered_count:,}"
        )

    timed("first allocation")
    timed("second run (all kept)")
    with transaction.atomic():
        ids = list(Household.objects.values_list("pk", flat=True))
        gone = rng.sample(ids, len(ids) // 20)
        Household.objects.filter(pk__in=gone[:30000]).update(poverty_status="none")
        for i in range(30000, len(gone), 30000):
            Household.objects.filter(pk__in=gone[i : i + 30000]).update(poverty_status="none")
        cadres = list(Cadre.objects.values_list("pk", flat=True))
        left = rng.sample(cadres, len(cadres) // 50)
        for i in range(0, len(left), 30000):
            Cadre.objects.filter(pk__in=left[i : i + 30000]).update(active=False)
    timed("after 5% exits and 2% cadres left")
    print(f"active pairings: {Pairing.objects.active().count():,}")


if __name__ == "__main__":
    main()
