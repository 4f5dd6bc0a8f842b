"""`fupin import KIND FILE`: the all-or-nothing imports of officials' spreadsheets."""

from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.errors import FupinError
from fupin.core.importing import ImportResult
from fupin.core.management.acting import acting_user


class Command(FupinCommand):
    help = (
        "Import a CSV or XLSX file: regions, households, incomes, units, cadres, pairings "
        "(all or nothing)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        kinds = {
            "regions": "division codes and names (代码/code, 名称/name)",
            "households": "one row per person (户编号/household_no, 证件号码/id_number, ...)",
            "incomes": "one row per household and year (户编号/household_no, 年度/year, ...)",
            "units": "aid units and their villages (单位名称/name, 单位层级/level, ...)",
            "cadres": "cadres by ID number (姓名/name, 身份证号码/id_number, 单位名称/unit, ...)",
            "pairings": "cadre–household pairings (帮扶责任人身份证号码/cadre_id_number, 户编号, ...)",
        }
        for kind, text in kinds.items():
            command = sub.add_parser(kind, help=text)
            command.add_argument("file")
            command.add_argument(
                "--report", help="where to write the problems (default FILE.errors.csv)"
            )
            command.add_argument(
                "--by", metavar="USERNAME", help="the acting user (default: a system import)"
            )

    def handle(self, *args, kind, file, report=None, by=None, **options):
        from fupin.pairing.importing import cadre_import, pairing_import, unit_import
        from fupin.regions.services import region_import
        from fupin.registry.services import household_import, income_import

        service = {
            "regions": region_import,
            "households": household_import,
            "incomes": income_import,
            "units": unit_import,
            "cadres": cadre_import,
            "pairings": pairing_import,
        }[kind]
        result: ImportResult = service(path=file, actor=acting_user(by))
        if not result.ok:
            report_path = result.write_report(report or f"{file}.errors.csv")
            self.stderr.write(
                f"{len(result.problems)} problems; nothing written; report: {report_path}"
            )
            raise FupinError(
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
