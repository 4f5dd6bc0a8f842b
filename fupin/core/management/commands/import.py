"""`fupin import KIND FILE`: the all-or-nothing imports of officials' spreadsheets."""

from fupin.core.commands import FupinCommand
from fupin.regions.services import region_import


class Command(FupinCommand):
    help = "Import a CSV or XLSX file: regions, households, incomes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        regions = sub.add_parser("regions", help="division codes and names (代码/code, 名称/name)")
        regions.add_argument("file")

    def handle(self, *args, kind, **options):
        getattr(self, f"import_{kind}")(**options)

    def import_regions(self, file, **_options):
        result = region_import(path=file)
        self.stdout.write(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")
