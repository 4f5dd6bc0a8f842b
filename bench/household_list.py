"""Time the pages officials open most, on a large demo registry, and print milliseconds per page.

    .venv/bin/python bench/household_list.py                       # 300,000 households (~780,000 persons)
    .venv/bin/python bench/household_list.py --households 30000
    .venv/bin/python bench/household_list.py --home /tmp/fupin-bench-list   # reuse a loaded database

A fresh SQLite database under a temporary FUPIN_HOME is migrated and loaded with `fupin demo`
unless --home points at one that already holds it. Each page is fetched --repeat times by the
city administrator (the widest scope) and a town officer; the median is printed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument(
        "--home", default=None, help="FUPIN_HOME to use (kept); default a new temporary one"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    home = Path(args.home or tempfile.mkdtemp(prefix="fupin-bench-list-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["FUPIN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["FUPIN_SECURE_COOKIES"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from fupin.accounts.models import User
    from fupin.registry.models import Household, Person

    call_command("migrate", verbosity=0)
    (home / "static").mkdir(exist_ok=True)
    if not Household.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("demo", households=args.households, verbosity=0, stdout=quiet)
        print(f"loaded demo: {time.perf_counter() - started:.0f} s")
    print(
        f"registry: {Household.objects.count():,} households, {Person.objects.count():,} persons ({home})"
    )

    sample = (
        Person.objects.filter(household__village__code__startswith="370481100")
        .order_by("id")
        .first()
    )
    pages = [
        ("home (counts by category)", "/"),
        ("list, first page", "/households/"),
        ("list, category monitored", "/households/?category=monitored"),
        ("list, page 200", "/households/?page=200"),
        ("list, search by name", f"/households/?q={sample.name}"),
        ("list, search by ID number", f"/households/?q={sample.id_number}"),
        ("list, total count on demand", "/households/count/"),
        ("household file", f"/households/{sample.household.household_no}/"),
    ]
    print(f"{'page':<32}{'city_admin ms':>15}{'town_officer ms':>17}")
    for label, url in pages:
        row = []
        for username in ("city", "town"):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=username))
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            row.append(statistics.median(timings))
        print(f"{label:<32}{row[0]:>15.0f}{row[1]:>17.0f}")


if __name__ == "__main__":
    main()
