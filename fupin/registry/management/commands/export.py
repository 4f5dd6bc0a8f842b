"""`fupin export households --region CODE --out FILE.xlsx [--full-ids] [--by USERNAME]`."""

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user


class Command(FupinCommand):
    help = "Export households with the columns of the import (ID numbers masked unless --full-ids)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        households = sub.add_parser(
            "households", help="active members of the region's households, to XLSX"
        )
        households.add_argument("--region", required=True, help="12-digit region code")
        households.add_argument("--out", required=True, help="the XLSX file to write")
        households.add_argument(
            "--full-ids", action="store_true", help="write full ID numbers and phones"
        )
        households.add_argument(
            "--by",
            metavar="USERNAME",
            help="the acting user, whose scope applies (default: a system export)",
        )

    def handle(self, *args, kind, region, out, full_ids=False, by=None, **options):
        from fupin.registry.exporting import household_export

        count = household_export(
            user=acting_user(by), region_code=region, out_path=out, full_ids=full_ids
        )
        self.stdout.write(f"{count} rows written to {out}")
