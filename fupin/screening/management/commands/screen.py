"""`fupin screen --year Y --feeds DIR --out DIR`: department screening (部门筛查预警) of the population."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user
from fupin.screening.services import cases_from_findings, screening_run

PHASES = {
    "read": gettext_lazy("读取并校验数据"),
    "match": gettext_lazy("与人口数据比对"),
    "rules": gettext_lazy("执行筛查规则"),
    "write": gettext_lazy("写出结果"),
    "findings": gettext_lazy("汇总预警户"),
}


class Command(FupinCommand):
    help = (
        "Screen department feeds (CSV or Parquet) against the population for year Y; write "
        "warnings.csv, summary.csv, rejected.csv and run.json; optionally open cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--feeds", required=True, help="folder of population.csv, income.csv, …"
        )
        parser.add_argument("--out", required=True, help="folder for the outputs")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--spark-master", help="Spark master URL (default: local mode)")
        parser.add_argument("--policy", help="TOML file of policy keys that override the database")
        parser.add_argument(
            "--registry", help="CSV or Parquet of household_no, category (instead of the database)"
        )
        parser.add_argument(
            "--create-cases",
            action="store_true",
            help="open a screening case for each flagged household not yet monitored",
        )
        parser.add_argument("--by", metavar="USERNAME", help="the acting user of the cases")

    def handle(self, *args, year, feeds, out, engine, spark_master, policy, registry, **options):
        from tqdm import tqdm

        actor = acting_user(options.get("by"))
        create = options["create_cases"]
        phases = list(PHASES)[: 5 if create else 4]
        bar = tqdm(total=len(phases), desc=_("部门筛查"), unit=_("步"), disable=None)

        def progress(phase: str) -> None:
            if bar.n or phase != "read":
                bar.update(1)
            bar.set_postfix_str(str(PHASES[phase]))

        try:
            result = screening_run(
                year=year,
                feeds_dir=feeds,
                out_dir=out,
                engine=engine,
                spark_master=spark_master,
                policy_file=policy,
                registry_file=registry,
                findings=create,
                progress=progress,
            )
            bar.update(bar.total - bar.n)
        finally:
            bar.close()
        s = result.summary
        self.stdout.write(
            _(
                "筛查 %(screened)s 户，预警 %(flagged)s 户，不可用数据 %(rejected)s 行；结果在 %(out)s"
            )
            % {
                "screened": s["households_screened"],
                "flagged": s["households_flagged"],
                "rejected": s["rows_rejected"],
                "out": out,
            }
        )
        if s["feeds_missing"]:
            self.stdout.write(
                _("缺少的数据：%(feeds)s；未执行的规则：%(rules)s")
                % {
                    "feeds": "、".join(s["feeds_missing"]),
                    "rules": "、".join(s["rules_skipped"]) or "-",
                }
            )
        if not create:
            return
        with tqdm(total=len(result.findings), desc=_("发起监测案件"), disable=None) as cases_bar:
            counts = cases_from_findings(
                findings=result.findings, year=year, actor=actor, progress=cases_bar.update
            )
        self.stdout.write(
            _(
                "新发起案件 %(opened)s 件，并入办理中的案件 %(joined)s 件，"
                "已是监测对象 %(monitored)s 户，村代码不存在 %(unknown)s 户"
            )
            % {
                "opened": counts["opened"],
                "joined": counts["joined"],
                "monitored": counts["monitored"],
                "unknown": counts["village_unknown"],
            }
        )
