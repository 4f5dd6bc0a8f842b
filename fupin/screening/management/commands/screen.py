"""`fupin screen --year Y --feeds DIR --out DIR`: department screening (部门筛查预警) of the population."""

from collections import Counter

from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user
from fupin.screening.choices import PHASE_LABELS
from fupin.screening.selectors import run_region
from fupin.screening.services import run_record, run_screen


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
        parser.add_argument(
            "--region",
            metavar="CODE",
            help="the region the run is recorded for (default: the acting user's, else the top)",
        )

    def handle(self, *args, year, feeds, out, engine, spark_master, policy, registry, **options):
        from tqdm import tqdm

        actor = acting_user(options.get("by"))
        create = options["create_cases"]
        run = run_record(
            actor=actor,
            region=run_region(user=actor, code=options.get("region") or ""),
            year=year,
            create_cases=create,
        )
        phases = list(PHASE_LABELS)[: 7 if create else 6]
        bar = tqdm(total=len(phases), desc=_("部门筛查"), unit=_("步"), disable=None)

        def progress(phase: str) -> None:
            if bar.n or phase != "read":
                bar.update(1)
            bar.set_postfix_str(str(PHASE_LABELS[phase]))

        try:
            run = run_screen(
                run=run,
                feeds_dir=feeds,
                out_dir=out,
                engine=engine,
                spark_master=spark_master,
                policy_file=policy,
                registry_file=registry,
                progress=progress,
            )
            bar.update(bar.total - bar.n)
        finally:
            bar.close()
        s = run.summary
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
        self.stdout.write(_("筛查批次 #%(run)s 已记录") % {"run": run.pk})
        if not create:
            return
        counts = Counter(run.cases)
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
        if counts["out_of_scope"] or counts["invalid"]:
            self.stdout.write(
                _("不在办理人辖区 %(outside)s 户，户主姓名或证件号码无效 %(invalid)s 户")
                % {"outside": counts["out_of_scope"], "invalid": counts["invalid"]}
            )
