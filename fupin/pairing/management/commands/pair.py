"""`fupin pair --region CODE [--dry-run] [--by USERNAME]`: allocate cadres to the households of a region."""

from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user
from fupin.pairing.choices import UncoveredReason

# Uncovered households printed at most (the run stores the list).
PRINTED = 50


class Command(FupinCommand):
    help = (
        "End pairings no longer due, keep the rest, and pair each uncovered household of the "
        "region with a cadre; print kept / ended / added / still uncovered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="12-digit region code")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and report, write no pairing"
        )
        parser.add_argument("--by", metavar="USERNAME", help="the acting user (default: system)")

    def handle(self, *args, region, dry_run=False, by=None, **options):
        from fupin.pairing.services import pairing_allocate

        result = pairing_allocate(region_code=region, actor=acting_user(by), dry_run=dry_run)
        self.stdout.write(
            _("需帮扶 %(needing)s 户：") % {"needing": result.needing} + result.summary()
        )
        if dry_run:
            self.stdout.write(_("（试算，未写入）"))
        for item in result.uncovered[:PRINTED]:
            self.stdout.write(
                f"{item['household_no']}\t{item['village_code']}\t"
                f"{UncoveredReason(item['reason']).label}"
            )
        if result.uncovered_count > PRINTED:
            self.stdout.write(
                _("……另有 %(more)s 户未覆盖，见分配记录 #%(run)s")
                % {"more": result.uncovered_count - PRINTED, "run": result.run.pk}
            )
        self.stdout.write(_("用时 %(seconds)s 秒") % {"seconds": result.seconds})
