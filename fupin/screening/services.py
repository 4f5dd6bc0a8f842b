"""Writes of screening: run it over department feeds, and open (or join) a case per flagged household."""

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.screening import RunResult, ScreeningError, screen
from fupin.core.errors import FupinError
from fupin.monitoring.choices import CaseKind, Route
from fupin.monitoring.services import case_open
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.screening.choices import RULE_RISK, Rule
from fupin.screening.selectors import policy_file_read, registry_write, screening_params

# The engine's codes in Chinese (the engine itself speaks English).
ENGINE_MESSAGES = {
    "feeds_not_found": gettext_lazy("数据目录不存在"),
    "population_missing": gettext_lazy("缺少人口数据（population.csv 或 population.parquet）"),
    "feed_ambiguous": gettext_lazy("同一类数据给出了两个文件"),
    "feed_columns": gettext_lazy("数据文件缺少必需的列或列名重复"),
    "feed_unreadable": gettext_lazy("数据文件不是 UTF-8 编码的文本，无法读取"),
    "registry_format": gettext_lazy("建档立卡名单应为 CSV 或 Parquet 文件"),
    "spark_missing": gettext_lazy("未安装 PySpark，请执行 pip install 'fupin[spark]'"),
    "unknown_engine": gettext_lazy("计算引擎应为 duckdb 或 spark"),
    "params_missing": gettext_lazy("缺少筛查参数"),
}


def screening_run(
    *,
    year: int,
    feeds_dir: str | Path,
    out_dir: str | Path,
    engine: str = "duckdb",
    spark_master: str | None = None,
    policy_file: str | Path | None = None,
    registry_file: str | Path | None = None,
    findings: bool = False,
    progress: Callable[[str], None] | None = None,
    engine_options: dict | None = None,
) -> RunResult:
    """Screen the feeds for the year with policy's parameters and the registry's standing."""
    overrides = policy_file_read(policy_file) if policy_file else {}
    params = screening_params(year=year, overrides=overrides)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    temporary = None
    try:
        if registry_file:
            registry, source = Path(registry_file), "file"
        else:
            descriptor, name = tempfile.mkstemp(dir=out, prefix=".registry-", suffix=".csv")
            os.close(descriptor)
            temporary = registry = Path(name)
            registry_write(registry)
            source = "database"
        return screen(
            year=year,
            feeds_dir=feeds_dir,
            out_dir=out,
            params=params,
            registry=registry,
            registry_source=source,
            engine=engine,
            spark_master=spark_master,
            engine_options=engine_options,
            findings=findings,
            progress=progress,
        )
    except ScreeningError as exc:
        message = ENGINE_MESSAGES.get(exc.code, exc.message)
        raise FupinError(exc.code, message, exc.details, status=422) from exc
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _description(year: int, rules: list[str]) -> str:
    labels = "；".join(str(Rule(r).label) for r in rules)
    return _("部门筛查预警（%(year)s 年度）：%(rules)s") % {"year": year, "rules": labels}


def cases_from_findings(
    *,
    findings: Iterable[dict],
    year: int,
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> Counter:
    """Open a screening case for each flagged household not already monitored, or join its open case.

    Households in the registry are found by number; the others by the head's ID number from the
    population feed, with the head as declarant. Returns counts: opened, joined, monitored,
    village_unknown.
    """
    findings = list(findings)
    numbers = [f["household_no"] for f in findings if f["registry_category"]]
    households = {}
    for start in range(0, len(numbers), 5_000):
        chunk = numbers[start : start + 5_000]
        households.update(
            (h.household_no, h)
            for h in Household.objects.filter(household_no__in=chunk).select_related("village")
        )
    villages = {
        r.code: r
        for r in Region.objects.filter(
            code__in={f["village_code"] for f in findings}, level=Level.VILLAGE
        )
    }
    counts: Counter = Counter()
    for finding in findings:
        if progress:
            progress(1)
        if finding["registry_category"] == "monitored":
            counts["monitored"] += 1
            continue
        household = households.get(finding["household_no"])
        village = household.village if household else villages.get(finding["village_code"])
        if village is None:
            counts["village_unknown"] += 1
            continue
        rules = finding["rules"].split(";")
        record = {
            "year": year,
            "rules": rules,
            "figures": {k: v for k, v in finding.items() if k not in ("rules", "head_name")},
        }
        _case, opened = case_open(
            kind=CaseKind.IDENTIFICATION,
            route=Route.SCREENING,
            village=village,
            actor=actor,
            household=household,
            declarant_name="" if household else (finding["head_name"] or ""),
            declarant_id_number="" if household else finding["head_id_number"],
            household_size=None if household else finding["size"],
            risk_types=sorted({RULE_RISK[Rule(r)] for r in rules}),
            description=_description(year, rules),
            findings=record,
        )
        counts["opened" if opened else "joined"] += 1
    return counts
