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
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.screening import RunResult, ScreeningError, screen
from analytics.screening.run import header_check
from fupin.core.errors import Conflict, FupinError, InvalidInput, NotFound, Refused
from fupin.core.importing import keys_table, rows_insert
from fupin.core.services import event_record
from fupin.core.states import sources_of, transition_check
from fupin.monitoring.choices import CaseKind, Route
from fupin.monitoring.services import CaseSubject, cases_open_many
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.screening.choices import ACTIVE, RULE_RISK, TRANSITIONS, FeedName, Rule, RunStatus
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
LEFT_OUT = frozenset(("rules", *HEAD_FIELDS))  # of a case's record of the findings


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

    Set-based, in one transaction (`monitoring.services.cases_open_many`). Households in the
    registry are found by number; the others by the head's ID number from the population feed,
    with the head as declarant. Returns counts: opened, joined, monitored, village_unknown,
    out_of_scope (of the actor), invalid (no head's name or ID number). `case_ids`, if given,
    receives the case id of each household number.
    """
    findings = list(findings)
    households: dict[str, tuple[int, str]] = {}  # household_no: (id, village code)
    numbers = {f["household_no"] for f in findings if f["registry_category"]}
    if numbers:
        # One join with a key table: a hundred thousand numbers in IN lists cost more to build.
        with keys_table(numbers) as table:
            households = {
                number: (pk, village)
                for number, pk, village in Household.objects.filter(
                    household_no__in=table
                ).values_list("household_no", "pk", "village_id")
            }
    villages = {
        r.code: r
        for r in Region.objects.filter(
            code__in={f["village_code"] for f in findings}, level=Level.VILLAGE
        )
    }
    homes = {
        r.code: r
        for r in Region.objects.filter(code__in={village for _pk, village in households.values()})
    }
    counts: Counter = Counter()
    subjects: list[CaseSubject] = []
    keys: list[str] = []
    # By the rules' codes: a few combinations, many findings.
    by_rules: dict[str, tuple[list[str], list[str], str]] = {}
    for finding in findings:
        if finding["registry_category"] == "monitored":
            counts["monitored"] += 1
            continue
        household = households.get(finding["household_no"])
        village = homes[household[1]] if household else villages.get(finding["village_code"])
        if village is None:
            counts["village_unknown"] += 1
            continue
        subjects.append(_subject(finding, household, village, year, by_rules))
        keys.append(finding["household_no"])
    results = cases_open_many(
        kind=CaseKind.IDENTIFICATION, route=Route.SCREENING, subjects=subjects, actor=actor
    )
    for household_no, result in zip(keys, results, strict=True):
        counts[result.outcome] += 1
        if case_ids is not None and result.case_id is not None:
            case_ids[household_no] = result.case_id
    if progress:
        progress(len(findings))
    return counts


def _subject(finding: dict, household: tuple | None, village, year: int, by_rules) -> CaseSubject:
    if finding["rules"] not in by_rules:
        rules = finding["rules"].split(";")
        risks = sorted({RULE_RISK[Rule(r)] for r in rules})
        by_rules[finding["rules"]] = (rules, risks, _description(year, rules))
    rules, risk_types, description = by_rules[finding["rules"]]
    # Flat, so that the comparison stage lists it line by line; the head's identity is in
    # the declarant fields, not repeated here.
    record = {"year": year, "rules": rules}
    record.update(
        {key: value for key, value in finding.items() if value is not None and key not in LEFT_OUT}
    )
    return CaseSubject(
        village=village,
        household_id=household[0] if household else None,
        declarant_name="" if household else (finding["head_name"] or ""),
        declarant_id_number="" if household else (finding["head_id_number"] or ""),
        household_size=None if household else finding["size"],
        risk_types=risk_types,
        description=description,
        findings=record,
    )


@transaction.atomic
def run_cases_open(*, run: ScreeningRun, findings: Iterable[dict], actor=None) -> Counter:
    """Open (or join) the cases of a run's findings set-based and link the run's flags to them.

    One transaction: the cases as `cases_from_findings` opens them, then every flag of the run
    whose household got a case linked to it in one UPDATE. Returns the counts.
    """
    case_ids: dict[str, int] = {}
    counts = cases_from_findings(findings=findings, year=run.year, actor=actor, case_ids=case_ids)
    _flags_link(run=run, case_ids=case_ids)
    return counts


def _flags_link(*, run: ScreeningRun, case_ids: dict[str, int]) -> int:
    """Set the case of the run's flags from {household_no: case id}: one UPDATE from a key table."""
    if not case_ids:
        return 0
    quote = connection.ops.quote_name
    meta = ScreeningFlag._meta
    flags = quote(meta.db_table)
    number = quote(meta.get_field("household_no").column)
    table = f"fupin_flag_cases_{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} "
            "(household_no varchar(32) NOT NULL PRIMARY KEY, case_id bigint NOT NULL)"
        )
    try:
        rows_insert(table, ["household_no", "case_id"], case_ids.items())
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {table}")
            case, run_id = quote(meta.get_field("case").column), quote(meta.get_field("run").column)
            if connection.vendor == "postgresql":
                # PostgreSQL joins once; a subquery per flag costs it several times more.
                cursor.execute(
                    f"UPDATE {flags} SET {case} = k.case_id FROM {table} k "
                    f"WHERE {flags}.{run_id} = %s AND {flags}.{number} = k.household_no",
                    [run.pk],
                )
            else:
                cursor.execute(
                    f"UPDATE {flags} SET {case} = "
                    f"(SELECT k.case_id FROM {table} k WHERE k.household_no = {flags}.{number}) "
                    f"WHERE {run_id} = %s AND {number} IN (SELECT household_no FROM {table})",
                    [run.pk],
                )
            return cursor.rowcount
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")


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
    active = ScreeningRun.objects.filter(region=region, status__in=ACTIVE)
    # A run lives in a thread of the web process; one that a restart ended would block forever.
    active.filter(created_at__lt=timezone.now() - RUN_STALE_AFTER).update(
        status=RunStatus.FAILED, error="interrupted", finished_at=timezone.now()
    )
    if active.exists():
        raise Conflict("run_in_progress", _("该县已有正在运行的筛查，请稍后再试"))
    run = run_record(
        actor=actor,
        region=region,
        year=year,
        create_cases=create_cases,
        feeds={feed: row.pk for feed, row in latest.items()},
    )
    transaction.on_commit(lambda: run_launch(run.pk))
    return run


@transaction.atomic
def run_record(
    *, actor, region: Region, year: int, create_cases: bool, feeds: dict | None = None
) -> ScreeningRun:
    """Record a screening run about to start (a page's queued run, or the command's)."""
    run = ScreeningRun.objects.create(
        region=region,
        year=year,
        create_cases=create_cases,
        started_by=actor if getattr(actor, "pk", None) else None,
        feeds=feeds or {},
    )
    event_record(
        actor=actor,
        verb="screening.run_started",
        obj=run,
        region_code=region.code,
        data={"year": year, "create_cases": create_cases},
    )
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
    """Screen a queued run's uploaded feeds through `run_screen` (the page's background work)."""
    run = ScreeningRun.objects.select_related("started_by").get(pk=run_id)
    out = run_folder(run)
    feeds_dir = out / "feeds"
    try:
        feeds_dir.mkdir(parents=True, exist_ok=True)
        for upload in FeedUpload.objects.filter(pk__in=run.feeds.values()):
            target = feeds_dir / f"{upload.feed}{upload.extension}"
            target.unlink(missing_ok=True)
            target.symlink_to(Path(upload.file.path))
        run_screen(run=run, feeds_dir=feeds_dir, out_dir=out)
    except Exception as exc:  # noqa: BLE001 — a failed run must say so on its page, whatever broke
        if not ScreeningRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).exists():
            run_fail(run=run, exc=exc)
    finally:
        shutil.rmtree(feeds_dir, ignore_errors=True)
    run.refresh_from_db()
    return run


def run_screen(
    *,
    run: ScreeningRun,
    feeds_dir: str | Path,
    out_dir: str | Path,
    engine: str = "duckdb",
    spark_master: str | None = None,
    policy_file: str | Path | None = None,
    registry_file: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScreeningRun:
    """Screen a recorded run, keep its flagged households, open their cases if it asks; record how.

    The one way a screening runs, from a page (`run_execute`) or `fupin screen`: the run row
    follows the phases and ends `done` with the summary and the counts of cases, or `failed`
    with the error, which is raised again.
    """

    def phase(name: str) -> None:
        ScreeningRun.objects.filter(pk=run.pk).update(phase=name)
        if progress:
            progress(name)

    # Every move of a run is set-based, guarded by the states it may leave (TRANSITIONS).
    started = ScreeningRun.objects.filter(
        pk=run.pk, status__in=sources_of(TRANSITIONS, RunStatus.RUNNING)
    ).update(status=RunStatus.RUNNING, phase="read")
    if not started:
        run.refresh_from_db(fields=["status"])
        transition_check(TRANSITIONS, run.status, RunStatus.RUNNING, details={"run": run.pk})
    try:
        result = screening_run(
            year=run.year,
            feeds_dir=feeds_dir,
            out_dir=out_dir,
            engine=engine,
            spark_master=spark_master,
            policy_file=policy_file,
            registry_file=registry_file,
            findings=True,
            progress=phase,
        )
        phase("flags")
        ScreeningFlag.objects.bulk_create(
            (
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
            ),
            batch_size=2000,
        )
        counts: Counter = Counter()
        if run.create_cases:
            phase("cases")
            counts = run_cases_open(run=run, findings=result.findings, actor=run.started_by)
    except Exception as exc:
        run_fail(run=run, exc=exc)
        raise
    ScreeningRun.objects.filter(
        pk=run.pk, status__in=sources_of(TRANSITIONS, RunStatus.DONE)
    ).update(
        status=RunStatus.DONE,
        phase="",
        summary=result.summary,
        cases=dict(counts),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def run_fail(*, run: ScreeningRun, exc: BaseException) -> None:
    """Mark a run failed with its error (a code and message, or the exception's type and text).

    A run that has ended (done or failed) stays as it ended: failed is a move of a run at work.
    """
    error = (
        f"{exc.code}: {exc.message}"
        if isinstance(exc, FupinError)
        else f"{type(exc).__name__}: {exc}"
    )
    ScreeningRun.objects.filter(
        pk=run.pk, status__in=sources_of(TRANSITIONS, RunStatus.FAILED)
    ).update(status=RunStatus.FAILED, error=error, finished_at=timezone.now())
