"""`fupin distribute plan`: the differentiated income distribution of a village (差异化分配)."""

from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.errors import FupinError, Refused
from fupin.distribution.planfile import (
    households_read,
    parameters_parse,
    plan_compute,
    plan_write,
)

RULE_OPTIONS = ("line", "cap", "weights", "welfare_share", "fund_share")


class Command(FupinCommand):
    help = "Plan the distribution of an amount among a village's households (see docs/distribution.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser(
            "plan",
            help="from a file (--input, no database) or from the registry (--village, --year)",
        )
        plan.add_argument(
            "--input", help="CSV or XLSX: household_no, category, size, per_capita_income"
        )
        plan.add_argument("--amount", required=True, help="the amount B to distribute (yuan)")
        plan.add_argument("--line", help="exit line L (yuan per person per year)")
        plan.add_argument("--cap", help="ceiling C ≥ L (yuan per person per year)")
        plan.add_argument(
            "--weights",
            help='category weights, e.g. "not_lifted=1,monitored=1,lifted_supported=0.6"',
        )
        plan.add_argument("--welfare-share", dest="welfare_share", help="public-welfare share s_w")
        plan.add_argument("--fund-share", dest="fund_share", help="village fund share s_f")
        plan.add_argument("--village", help="village code: plan from the registry and policy")
        plan.add_argument("--year", type=int, help="the year of the incomes (with --village)")
        plan.add_argument(
            "--by", metavar="USERNAME", help="the acting user of the draft (with --village)"
        )
        plan.add_argument("--out", help="PLAN.csv: household_no,amount of every eligible household")
        plan.add_argument("--summary", help="SUMMARY.json: pools, total and count")

    def handle(self, *args, action, **options):
        try:
            self.plan(options)
        except FupinError as exc:
            # The row, column or value that was refused belongs on the console too.
            if exc.details:
                where = ", ".join(f"{k}={v}" for k, v in exc.details.items())
                exc.message = f"{exc.message} ({where})"
            raise

    def plan(self, options):
        if options["input"] and options["village"]:
            raise Refused(
                "option_conflict",
                _("--input 与 --village 只能选其一"),
                {"options": ["--input", "--village"]},
            )
        if options["input"]:
            result = self.plan_from_file(options)
        elif options["village"]:
            result = self.plan_from_registry(options)
        else:
            raise Refused(
                "option_missing",
                _("请指定 --input 文件或 --village 村代码"),
                {"options": ["--input", "--village"]},
            )
        self.stdout.write(
            _(
                "分配 %(amount)s 元：农户 %(households)s 户共 %(total)s 元，"
                "公益岗位 %(welfare)s 元，村扶贫基金 %(fund)s 元"
            )
            % {
                "amount": f"{result.welfare_pool + result.village_fund + result.households_total:.2f}",
                "households": len(result.amounts),
                "total": f"{result.households_total:.2f}",
                "welfare": f"{result.welfare_pool:.2f}",
                "fund": f"{result.village_fund:.2f}",
            }
        )

    def plan_from_file(self, options):
        missing = [
            f"--{name.replace('_', '-')}" for name in RULE_OPTIONS + ("out",) if not options[name]
        ]
        if missing:
            raise Refused("option_missing", _("按文件分配时必须给出这些参数"), {"options": missing})
        params = parameters_parse(amount=options["amount"], **{k: options[k] for k in RULE_OPTIONS})
        households = households_read(options["input"])
        result = plan_compute(params, households)
        plan_write(result, out=options["out"], summary=options["summary"])
        return result

    def plan_from_registry(self, options):
        from django.db import transaction

        from fupin.core.management.acting import acting_user
        from fupin.distribution.services import plan_draft

        given = [f"--{name.replace('_', '-')}" for name in RULE_OPTIONS if options[name]]
        if given:
            # The registry mode takes the rule from policy, so that a stored plan is the policy's.
            raise Refused(
                "option_conflict", _("按村分配时参数取自政策，不能在命令行指定"), {"options": given}
            )
        if not options["year"]:
            raise Refused("option_missing", _("按村分配时必须给出 --year"), {"options": ["--year"]})
        with transaction.atomic():  # a draft whose files cannot be written is not kept
            plan, result = plan_draft(
                village_code=options["village"],
                year=options["year"],
                amount=options["amount"],
                actor=acting_user(options.get("by")),
            )
            plan_write(result, out=options["out"], summary=options["summary"])
        self.stdout.write(_("已保存分配方案草案 #%(id)s") % {"id": plan.pk})
        return result
