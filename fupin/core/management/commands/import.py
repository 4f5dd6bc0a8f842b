"""`fupin import KIND FILE`: the all-or-nothing imports of officials' spreadsheets.

The kinds are what the apps declare (``importers`` on their AppConfig, fupin.core.spine).
"""

from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.errors import Refused
from fupin.core.importing import ImportResult
from fupin.core.management.acting import acting_user
from fupin.core.spine import collected, resolve


class Command(FupinCommand):
    help = "Import a CSV or XLSX file of one of the kinds the apps accept (all or nothing)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for importer in collected("importers"):
            command = sub.add_parser(importer.kind, help=importer.help)
            command.add_argument("file")
            command.add_argument(
                "--report", help="where to write the problems (default FILE.errors.csv)"
            )
            command.add_argument(
                "--by", metavar="USERNAME", help="the acting user (default: a system import)"
            )

    def handle(self, *args, kind, file, report=None, by=None, **options):
        importer = next(entry for entry in collected("importers") if entry.kind == kind)
        result: ImportResult = resolve(importer.run)(path=file, actor=acting_user(by))
        if not result.ok:
            report_path = result.write_report(report or f"{file}.errors.csv")
            self.stderr.write(
                f"{len(result.problems)} problems; nothing written; report: {report_path}"
            )
            raise Refused(
                "import_invalid",
                _("文件有错误，未写入任何数据"),
                {"problems": len(result.problems), "report": str(report_path)},
            )
        line = result.summary()
        if persons := result.details.get("persons"):
            line += (
                " (persons: {created} created, {updated} updated, {unchanged} unchanged)".format(
                    **persons
                )
            )
        self.stdout.write(line)
