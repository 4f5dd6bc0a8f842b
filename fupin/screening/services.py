"""Writes of screening: run it over department feeds, and open (or join) a case per flagged household."""

import datetime as dt
import os
import secrets
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.screening import RunResult, ScreeningError, screen
from analytics.screening.run import header_check
from fupin.core.errors import Conflict, FupinError, InvalidInput, NotFound, Refused
from fupin.core.services import event_record
from fupin.monitoring.choices import CaseKind, Route
from fupin.monitoring.services import case_open
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.screening.choices import RULE_RISK, FeedName, Rule, RunStatus
from fupin.screening.models import FeedUpload, ScreeningFlag, ScreeningRun
from fupin.screening.selectors import policy_file_read, registry_write, screening_params

# The engine's codes in Chinese (the engine itself speaks English).
ENGINE_MESSAGES = {
    "feeds_not_found": gettext_lazy("数据目录不存在"),
    "population_missing": gettext_lazy("缺少人口数据（population.csv 或 population.parquet）"),
    "feed_ambiguous": gettext_lazy("同一类数据给出了两个文件"),
    "feed_columns": gettext_lazy("数据文件缺少必需的列或列名重复"),
    "feed_unreadable": gettext_lazy("数据文件不是 UTF-8 编码的文本，无法读取"),
    "registry_format": gettext_lazy("建档立卡名单应为 CSV 或 Parquet 文件"),
    "registry_not_found": gettext_lazy("建档立卡名单文件不存在"),
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
        raise Refused(exc.code, message, exc.details) from exc
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


HEAD_FIELDS = ("head_id_number", "head_name", "head_relation")


def _description(year: int, rules: list[str]) -> str:
    labels = "；".join(str(Rule(r).label) for r in rules)
    return _("部门筛查预警（%(year)s 年度）：%(rules)s") % {"year": year, "rules": labels}


def cases_from_findings(
    *,
    findings: Iterable[dict],
    year: int,
    actor=None,
    progress: Callable[[int], None] | None = None,
    case_ids: dict[str, int] | None = None,
) -> Counter:
    """Open a screening case for each flagged household not already monitored, or join its open case.

    Households in the registry are found by number; the others by the head's ID number from the
    population feed, with the head as declarant. Returns counts: opened, joined, monitored,
    village_unknown, out_of_scope (of the actor). `case_ids`, if given, receives the case ids.
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
        try:
            case, opened = _case_open_for(finding, household, village, rules, year, actor)
        except NotFound:
            # The acting officer may not open cases there (a village outside their county).
            counts["out_of_scope"] += 1
            continue
        counts["opened" if opened else "joined"] += 1
        if case_ids is not None:
            case_ids[finding["household_no"]] = case.pk
    return counts


def _case_open_for(finding: dict, household, village, rules: list[str], year: int, actor):
    # Flat, so that the comparison stage lists it line by line; the head's identity is in
    # the declarant fields, not repeated here.
    record = {"year": year, "rules": rules}
    record.update(
        (key, value)
        for key, value in finding.items()
        if value is not None and key not in ("rules", *HEAD_FIELDS)
    )
    return case_open(
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


# Pages: uploads and runs ------------------------------------------------------------------------

FEED_MAX_BYTES = 2 * 1024**3
RUN_STALE_AFTER = dt.timedelta(hours=6)


@transaction.atomic
def feed_upload(*, actor, region: Region, feed: str, upload) -> FeedUpload:
    """Keep a department's file of one feed for a county in its scope (CSV or Parquet)."""
    if not actor.has_perm("screening.add_feedupload", region):
        raise NotFound("region", {"code": region.code})
    errors = {}
    if region.level != Level.COUNTY:
        errors["region"] = _("请选择县（市、区）")
    if feed not in FeedName.values:
        errors["feed"] = _("数据类别无效")
    name = (upload.name or "").lower()
    if not name.endswith((".csv", ".parquet")):
        errors["file"] = _("只接受 CSV（UTF-8）或 Parquet 文件")
    elif upload.size > FEED_MAX_BYTES:
        errors["file"] = _("文件不能超过 2 GB")
    if errors:
        raise InvalidInput(errors)
    if name.endswith(".csv"):
        head = upload.read(64 * 1024)
        upload.seek(0)
        try:
            header_check(feed, head)
        except ScreeningError as exc:
            raise Refused(
                exc.code,
                ENGINE_MESSAGES.get(exc.code, exc.message),
                {
                    "fields": {"file": str(ENGINE_MESSAGES.get(exc.code, exc.message))},
                    **exc.details,
                },
            ) from exc
    original = upload.name
    upload.name = f"{region.code}-{feed}-{secrets.token_hex(6)}{'.parquet' if name.endswith('.parquet') else '.csv'}"
    row = FeedUpload.objects.create(
        region=region,
        feed=feed,
        file=upload,
        original_name=original[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    event_record(
        actor=actor,
        verb="screening.feed_uploaded",
        obj=row,
        region_code=region.code,
        data={"feed": feed, "size": row.size},
    )
    return row


def feeds_latest(*, region: Region) -> dict[str, FeedUpload]:
    """Return the latest upload of each feed for a county."""
    latest: dict[str, FeedUpload] = {}
    for row in FeedUpload.objects.filter(region=region).order_by("feed", "-uploaded_at", "-id"):
        latest.setdefault(row.feed, row)
    return latest


@transaction.atomic
def run_start(*, actor, region: Region, year: int, create_cases: bool) -> ScreeningRun:
    """Queue a screening of a county's latest feeds; it runs in the background after commit."""
    if not actor.has_perm("screening.add_screeningrun", region):
        raise NotFound("region", {"code": region.code})
    if region.level != Level.COUNTY:
        raise InvalidInput({"region": _("请选择县（市、区）")})
    latest = feeds_latest(region=region)
    if FeedName.POPULATION not in latest:
        raise Refused(
            "population_missing", ENGINE_MESSAGES["population_missing"], {"region": region.code}
        )
    active = ScreeningRun.objects.filter(
        region=region, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    # A run lives in a thread of the web process; one that a restart ended would block forever.
    active.filter(created_at__lt=timezone.now() - RUN_STALE_AFTER).update(
        status=RunStatus.FAILED, error="interrupted", finished_at=timezone.now()
    )
    if active.exists():
        raise Conflict("run_in_progress", _("该县已有正在运行的筛查，请稍后再试"))
    run = ScreeningRun.objects.create(
        region=region,
        year=year,
        create_cases=create_cases,
        started_by=actor,
        feeds={feed: row.pk for feed, row in latest.items()},
    )
    event_record(
        actor=actor,
        verb="screening.run_started",
        obj=run,
        region_code=region.code,
        data={"year": year, "create_cases": create_cases},
    )
    transaction.on_commit(lambda: run_launch(run.pk))
    return run


def run_launch(run_id: int) -> None:
    """Execute a run in a background thread (the page polls its progress)."""
    threading.Thread(target=_run_in_thread, args=(run_id,), daemon=True).start()


def _run_in_thread(run_id: int) -> None:
    try:
        run_execute(run_id=run_id)
    finally:
        connections.close_all()


def run_folder(run: ScreeningRun) -> Path:
    """Return the folder of a run's four output files."""
    return Path(settings.MEDIA_ROOT) / "screening" / "runs" / str(run.pk)


def run_execute(*, run_id: int) -> ScreeningRun:
    """Screen a queued run's feeds, keep its flagged households, open its cases if asked."""
    run = ScreeningRun.objects.select_related("started_by").get(pk=run_id)

    def phase(name: str) -> None:
        ScreeningRun.objects.filter(pk=run.pk).update(phase=name)

    ScreeningRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, phase="read")
    out = run_folder(run)
    feeds_dir = out / "feeds"
    try:
        feeds_dir.mkdir(parents=True, exist_ok=True)
        for upload in FeedUpload.objects.filter(pk__in=run.feeds.values()):
            target = feeds_dir / f"{upload.feed}{upload.extension}"
            target.unlink(missing_ok=True)
            target.symlink_to(Path(upload.file.path))
        result = screening_run(
            year=run.year, feeds_dir=feeds_dir, out_dir=out, findings=True, progress=phase
        )
        phase("flags")
        flags = [
            ScreeningFlag(
                run=run,
                household_no=f["household_no"],
                village_code=f["village_code"],
                size=f["size"],
                per_capita_income=Decimal(f["per_capita_income"])
                if f["per_capita_income"]
                else None,
                rules=f["rules"],
                registry_category=f["registry_category"] or "",
                figures={k: v for k, v in f.items() if v is not None and k not in HEAD_FIELDS},
            )
            for f in result.findings
        ]
        ScreeningFlag.objects.bulk_create(flags, batch_size=2000)
        counts: Counter = Counter()
        if run.create_cases:
            phase("cases")
            case_ids: dict[str, int] = {}
            counts = cases_from_findings(
                findings=result.findings, year=run.year, actor=run.started_by, case_ids=case_ids
            )
            for household_no, case_id in case_ids.items():
                ScreeningFlag.objects.filter(run=run, household_no=household_no).update(
                    case_id=case_id
                )
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            phase="",
            summary=result.summary,
            cases=dict(counts),
            finished_at=timezone.now(),
        )
    except FupinError as exc:
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=f"{exc.code}: {exc.message}", finished_at=timezone.now()
        )
    except Exception as exc:  # noqa: BLE001 — a failed run must say so on its page, whatever broke
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
    finally:
        shutil.rmtree(feeds_dir, ignore_errors=True)
    run.refresh_from_db()
    return run
