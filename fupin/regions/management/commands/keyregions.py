"""`fupin keyregions CODE [CODE ...] [--off] [--by USERNAME]`: mark key towns and villages."""

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user


class Command(FupinCommand):
    help = "Mark towns and villages as key (重点镇、重点村, leaders' round targets), or not with --off."

    def add_arguments(self, parser):
        parser.add_argument(
            "codes", nargs="+", metavar="CODE", help="12-digit town or village code"
        )
        parser.add_argument("--off", action="store_true", help="no longer key")
        parser.add_argument("--by", metavar="USERNAME", help="the acting user (default: system)")

    def handle(self, *args, codes, off=False, by=None, **options):
        from fupin.regions.services import region_set_key

        changed = region_set_key(codes=codes, is_key=not off, actor=acting_user(by))
        self.stdout.write(f"changed {changed} of {len(set(codes))}")
