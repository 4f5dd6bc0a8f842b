"""The naive screening, for scale: a Python loop over the registry's ORM rows (bench/screening.py --naive).

The population and incomes are loaded into a fresh SQLite registry first (not timed); the department
feeds are read with the csv module into dictionaries by ID number or household; then each household
is visited through the ORM with its members and incomes, and the rules are applied in Python.
"""

import csv
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _load_registry(feeds: Path, year: int, registry: Path) -> None:
    """Put the population and incomes into the registry tables with bulk inserts."""
    from fupin.regions.models import Region
    from fupin.registry.models import Household, HouseholdIncome, Person

    categories = {row["household_no"]: row["category"] for row in _rows(registry)}
    households, persons, villages = {}, [], set()
    for row in _rows(feeds / "population.csv"):
        villages.add(row["village_code"])
        if row["household_no"] not in households:
            category = categories.get(row["household_no"], "ordinary")
            households[row["household_no"]] = Household(
                household_no=row["household_no"],
                village_id=row["village_code"],
                poverty_status="none" if category == "ordinary" else "lifted",
                policy_support=True if category == "lifted_supported" else None,
                monitoring_type="edge" if category == "monitored" else "",
                risk_state="open" if category == "monitored" else "",
            )
        birth = row["id_number"][6:14]
        persons.append((row, birth))
    regions = []
    for code in sorted({v[:6] for v in villages}):
        regions.append(Region(code=f"{code}000000", name=code, level=6, prefix=code))
    for code in sorted({v[:9] for v in villages}):
        regions.append(
            Region(
                code=f"{code}000", name=code, level=9, parent_id=f"{code[:6]}000000", prefix=code
            )
        )
    for code in sorted(villages):
        regions.append(
            Region(code=code, name=code, level=12, parent_id=f"{code[:9]}000", prefix=code)
        )
    Region.objects.bulk_create(regions, batch_size=2000)
    Household.objects.bulk_create(households.values(), batch_size=2000)
    ids = dict(Household.objects.values_list("household_no", "id"))
    seen = set()
    members = []
    for row, birth in persons:
        if row["id_number"] in seen or not row["id_number"][:17].isdigit():
            continue
        seen.add(row["id_number"])
        try:
            born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
        except ValueError:
            continue
        members.append(
            Person(
                household_id=ids[row["household_no"]],
                id_number=row["id_number"],
                name=row["name"],
                relation=row["relation"],
                sex="M",
                birth_date=born,
            )
        )
    Person.objects.bulk_create(members, batch_size=2000)
    incomes = [
        HouseholdIncome(
            household_id=ids[row["household_no"]],
            year=int(row["year"]),
            wage=Decimal(row["wage"]),
            business=Decimal(row["business"]),
            property_income=Decimal(row["property"]),
            transfer=Decimal(row["transfer"]),
            production_cost=Decimal(row["production_cost"]),
        )
        for row in _rows(feeds / "income.csv")
        if row["household_no"] in ids and int(row["year"]) in (year, year - 1)
    ]
    HouseholdIncome.objects.bulk_create(incomes, batch_size=2000)


def _screen(feeds: Path, year: int) -> int:
    """Apply the rules household by household through the ORM; return how many are flagged."""
    from fupin.core.errors import FupinError
    from fupin.core.idnumbers import resident_id_parse
    from fupin.registry.models import Household

    first, last = f"{year}-01-01", f"{year}-12-31"
    by_person: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for feed in ("medical", "disability", "education", "civil"):
        for row in _rows(feeds / f"{feed}.csv"):
            by_person[row["id_number"]][feed].append(row)
    by_household: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for feed in ("disaster", "housing"):
        for row in _rows(feeds / f"{feed}.csv"):
            by_household[row["household_no"]][feed].append(row)
    flagged = 0
    for household in Household.objects.all():
        members = list(household.members.all())
        incomes = {i.year: i.net for i in household.incomes.all()}
        size = len(members)
        net, previous = incomes.get(year), incomes.get(year - 1)
        rules = set()
        if net is not None and net < 6000 * size:
            rules.add("low_income")
        if net is not None and previous and previous > 0 and net < Decimal("0.7") * previous:
            rules.add("income_drop")
        self_pay = Decimal(0)
        for member in members:
            try:
                birth_year = resident_id_parse(member.id_number).birth_date.year
            except FupinError:
                continue
            feeds_of = by_person.get(member.id_number, {})
            for row in feeds_of.get("medical", []):
                if first <= row["settle_date"] <= last:
                    self_pay += Decimal(row["self_pay"])
            for row in feeds_of.get("disability", []):
                if row["grade"] in ("1", "2") and first <= row["cert_date"] <= last:
                    rules.add("severe_disability")
            for row in feeds_of.get("education", []):
                if (
                    row["year"] == str(year)
                    and row["status"] == "dropped_out"
                    and 6 <= year - birth_year <= 15
                ):
                    rules.add("dropout")
            for row in feeds_of.get("civil", []):
                active = row["start_date"] <= last and (
                    not row["end_date"] or row["end_date"] >= first
                )
                if active and household.support_category == "ordinary":
                    rules.add("assistance_mismatch")
        if self_pay >= 20000 or (
            net is not None and self_pay > 0 and self_pay > Decimal("0.5") * max(net, 0)
        ):
            rules.add("medical_burden")
        rows = by_household.get(household.household_no, {})
        loss = sum(
            (Decimal(r["loss"]) for r in rows.get("disaster", []) if first <= r["date"] <= last),
            Decimal(0),
        )
        if loss >= 10000 or (net is not None and loss > 0 and loss > Decimal("0.5") * max(net, 0)):
            rules.add("disaster")
        assessed = sorted(
            (r for r in rows.get("housing", []) if r["assessed_date"] <= last),
            key=lambda r: r["assessed_date"],
        )
        if assessed and assessed[-1]["grade"] in ("C", "D"):
            rules.add("unsafe_house")
        flagged += bool(rules)
    return flagged


def naive_run(home: Path, feeds: Path, year: int) -> None:
    """Load the registry, then time the ORM loop and print persons per second."""
    os.environ["FUPIN_HOME"] = str(home / "django")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from fupin.registry.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _load_registry(feeds, year, home / "registry.csv")
    persons = Person.objects.count()
    print(f"registry loaded: {persons:,} persons in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    flagged = _screen(feeds, year)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"naive ORM loop: {persons:,} persons in {elapsed:.1f} s, {persons / elapsed:,.0f} persons/s, "
        f"{flagged:,} households flagged; peak RSS {peak:,.0f} MB"
    )


if __name__ == "__main__":
    home = Path(tempfile.mkdtemp(prefix="fupin-naive-"))
    naive_run(home, Path(sys.argv[1]), int(sys.argv[2]))
