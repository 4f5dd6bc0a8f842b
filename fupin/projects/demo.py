"""Demo data of projects: about one project per 25 households needing help, in the villages with
the most of them (the bulletin: 1,549 projects covering 71.2 thousand household-times), proposed 2016–2020, each walked along its life to a state that
fits its year, with the record of every move; operators per town, contracts for projects in
operation, beneficiary households per year, and rectification / revival plans under council
resolutions (some overdue). Names and figures are illustrative.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from stdnum.cn import uscc

from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.demo import CITY
from fupin.core.importing import rows_insert
from fupin.projects import choices as c
from fupin.projects.models import (
    OperatingContract,
    Operator,
    ProgressEntry,
    Project,
    ProjectBeneficiary,
    ProjectMove,
    RectificationPlan,
)
from fupin.projects.services import review_run
from fupin.regions.models import Region
from fupin.registry.models import Household, Person

S = c.ProjectStatus
HISTORY_REASON = "demo"
# 71.2 thousand household-times over 1,549 projects in the bulletin: about 46 a project a year;
# a project here is counted against the households needing help it could reach.
HOUSEHOLDS_PER_PROJECT = 25
LAST_YEAR = 2020
LIFE = [S.PROPOSED, S.SCREENED, S.APPRAISED, S.APPROVED, S.BUILDING, S.ACCEPTED, S.OPERATING]
# After operating: the extra steps that lead to each later state.
AFTER = {
    S.OPERATING: [],
    S.WEAK: [S.WEAK],
    S.RECTIFYING: [S.WEAK, S.RECTIFYING],
    S.IDLE: [S.IDLE],
    S.REVIVING: [S.IDLE, S.REVIVING],
    S.DISPOSED: [S.IDLE, S.DISPOSED],
}
# (category, name suffix, investment range in yuan, return rate range) — income projects first.
KINDS = (
    (c.ProjectCategory.INDUSTRY, "蔬菜大棚", (300_000, 900_000), (0.06, 0.10)),
    (c.ProjectCategory.INDUSTRY, "食用菌基地", (200_000, 600_000), (0.07, 0.11)),
    (c.ProjectCategory.INDUSTRY, "标准化厂房", (500_000, 1_500_000), (0.06, 0.08)),
    (c.ProjectCategory.INDUSTRY, "养殖小区", (300_000, 800_000), (0.06, 0.09)),
    (c.ProjectCategory.PHOTOVOLTAIC, "光伏电站", (400_000, 1_200_000), (0.08, 0.11)),
    (c.ProjectCategory.TOURISM, "乡村旅游民宿", (300_000, 900_000), (0.05, 0.08)),
    (c.ProjectCategory.INFRASTRUCTURE, "生产道路", (200_000, 700_000), None),
    (c.ProjectCategory.PUBLIC_SERVICE, "村级服务中心", (150_000, 400_000), None),
)
OPERATOR_NAMES = (
    ("{town}绿源果蔬专业合作社", c.OperatorKind.COOPERATIVE),
    ("枣庄{town}农业发展有限公司", c.OperatorKind.ENTERPRISE),
    ("{town}丰收家庭农场", c.OperatorKind.FAMILY_FARM),
)
WEIGHTS_BY_YEAR = {
    # year -> [(state, weight)]
    "old": [
        (S.OPERATING, 66),
        (S.WEAK, 8),
        (S.RECTIFYING, 7),
        (S.IDLE, 6),
        (S.REVIVING, 5),
        (S.DISPOSED, 3),
        (S.REJECTED, 5),
    ],
    2019: [(S.OPERATING, 55), (S.ACCEPTED, 15), (S.BUILDING, 20), (S.REJECTED, 10)],
    2020: [
        (S.PROPOSED, 20),
        (S.SCREENED, 20),
        (S.APPRAISED, 15),
        (S.APPROVED, 15),
        (S.BUILDING, 20),
        (S.REJECTED, 10),
    ],
}


RESOLUTION_KINDS = {
    "rectification": "rectification_plan",
    "revival": "revival_plan",
    "disposal": "disposal",
}
TITLES = {"rectification": "整改方案", "revival": "盘活方案", "disposal": "资产处置"}


@dataclass
class ProjectsDemoSummary:
    projects: int = 0
    operators: int = 0
    contracts: int = 0
    beneficiaries: int = 0
    plans: int = 0


def _licence(county: str, serial: int) -> str:
    base = f"93{county}{serial:09d}"
    return base + uscc.calc_check_digit(base)


def _pick(rng, weights):
    total = sum(w for _s, w in weights)
    roll = rng.uniform(0, total)
    for state, weight in weights:
        roll -= weight
        if roll <= 0:
            return state
    return weights[-1][0]


def _money(value: float) -> Decimal:
    return Decimal(int(round(value / 100.0)) * 100).quantize(Decimal("0.01"))


def projects_demo_load(*, seed: int, actor=None) -> ProjectsDemoSummary:
    """Write the demo's projects with their moves, operators, contracts, beneficiaries and plans."""
    from fupin.pairing.services import needing_q

    rng = random.Random(seed * 13 + 7)
    summary = ProjectsDemoSummary()
    needing: dict[str, list[int]] = {}
    for village, pk in (
        Household.objects.filter(needing_q(), village__code__startswith="3704")
        .values_list("village_id", "pk")
        .order_by("village_id", "pk")
    ):
        needing.setdefault(village, []).append(pk)
    if not needing:
        return summary
    villages = sorted(needing)
    # The bulletin's scale: about one project per HOUSEHOLDS_PER_PROJECT households needing help,
    # in the villages with the most of them.
    total = sum(len(pks) for pks in needing.values())
    count = max(12, round(total / HOUSEHOLDS_PER_PROJECT))
    chosen = sorted(villages, key=lambda v: (-len(needing[v]), v))[:count]
    towns = sorted({v[:9] + "000" for v in chosen})
    names = dict(Region.objects.filter(code__in=[*villages, *towns]).values_list("code", "name"))
    sizes = dict(
        Person.objects.filter(household__village__code__startswith="3704", left_on__isnull=True)
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
        .order_by()
    )
    now = timezone.now()
    tz = timezone.get_current_timezone()

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz)

    # Operators: three per town, all but a few qualified; one in twenty with a bad credit record.
    operator_before = last_pk(Operator)
    operator_rows = []
    for index, town in enumerate(towns):
        town_name = names.get(town, town)
        for n, (pattern, kind) in enumerate(OPERATOR_NAMES):
            serial = index * 10 + n + 1
            clean = rng.random() > 0.05
            qualified = clean and (n < 2 or rng.random() < 0.7)
            operator_rows.append(
                (
                    pattern.format(town=town_name),
                    kind.value,
                    _licence(town[:6], serial),
                    town,
                    _money(rng.uniform(500_000, 5_000_000)),
                    clean,
                    "" if clean else "2017 年曾被列入经营异常名录",
                    rng.choice("王李张刘陈杨赵黄") + rng.choice("建国志强秀英文华"),
                    None,
                    at(dt.date(2016, 6, 1)) if qualified else None,
                    now,
                )
            )
    rows_insert(
        Operator._meta.db_table,
        [
            "name",
            "kind",
            "licence_no",
            "region_code",
            "registered_capital",
            "credit_clean",
            "credit_record",
            "legal_person",
            "qualified_by_id",
            "qualified_at",
            "created_at",
        ],
        operator_rows,
    )
    qualified_by_town: dict[str, list[int]] = {}
    for pk, town, qualified_at in (
        Operator.objects.filter(pk__gt=operator_before)
        .values_list("pk", "region_id", "qualified_at")
        .order_by("pk")
    ):
        if qualified_at is not None:
            qualified_by_town.setdefault(town, []).append(pk)
    summary.operators = len(operator_rows)

    # Projects: one per village needing help, a second in about a third; a town-wide one now and then.
    plans = []  # (project code, village, state, year)
    project_rows, moves, progress, contracts, benefits = [], [], [], [], []
    serials: dict[tuple[int, str], int] = {}

    def new_project(region: str, village_for_people: list[str]) -> None:
        year = rng.choice((2016, 2016, 2017, 2017, 2018, 2018, 2019, 2020))
        weights = WEIGHTS_BY_YEAR.get(year, WEIGHTS_BY_YEAR["old"])
        state = _pick(rng, weights)
        category, suffix, (low, high), rate = KINDS[rng.randrange(len(KINDS))]
        if rate is None and state in (*AFTER, S.WEAK):
            state = S.ACCEPTED  # a road or service centre is handed over for upkeep, not operated
        investment = _money(rng.uniform(low, high))
        expected = _money(float(investment) * rng.uniform(*rate)) if rate else Decimal("0.00")
        serials[(year, region)] = serials.get((year, region), 0) + 1
        code = f"{year}-{region}-{serials[(year, region)]:03d}"
        steps = _steps(rng, state)
        day = dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(30))
        timeline = []
        for step in steps:
            timeline.append((step, day))
            day = day + dt.timedelta(days=rng.randint(20, 45) if step != S.BUILDING else 150)
            if step == S.ACCEPTED:
                day = max(day, dt.date(year + 1, 1, 1))
            if step == S.OPERATING:
                day = dt.date(LAST_YEAR, rng.randint(1, 3), rng.randint(1, 28))
        final = steps[-1]
        operating_since = next((d for s, d in timeline if s == S.OPERATING), None)
        approved = any(s == S.APPROVED for s, _d in timeline)
        project_rows.append(
            (
                f"{names.get(region, region)}{suffix}",
                code,
                region,
                year,
                category.value,
                final.value,
                expected if approved else None,
                investment,
                f"{names.get(region, region)}{suffix}建设项目（演示数据）",
                at(timeline[0][1]),
                operating_since,
                at(timeline[-1][1]),
            )
        )
        previous = ""
        for step, when in timeline:
            moves.append((code, previous, step.value, at(when), _record(rng, step, code, when)))
            previous = step.value
        building = next((d for s, d in timeline if s == S.BUILDING), None)
        if building:
            done = any(s == S.ACCEPTED for s, _d in timeline)
            marks = (30, 65, 100) if done else (25, rng.choice((40, 55, 70)))
            for i, percent in enumerate(marks):
                progress.append(
                    (code, percent, building + dt.timedelta(days=40 * (i + 1)), "按计划推进")
                )
        if operating_since:
            town = region[:9] + "000"
            options = qualified_by_town.get(town) or [
                pk for ids in qualified_by_town.values() for pk in ids
            ]
            contracts.append(
                (
                    code,
                    options[rng.randrange(len(options))],
                    rng.choice(list(c.ContractKind.values)),
                    f"HT-{code}",
                    operating_since,
                    dt.date(operating_since.year + 10, operating_since.month, 1),
                    expected,
                )
            )
        if final in (S.WEAK, S.RECTIFYING, S.IDLE, S.REVIVING, S.DISPOSED):
            plans.append((code, village_for_people[0], final, timeline))
        if final in (S.ACCEPTED, *c.IN_OPERATION, S.DISPOSED):
            first = (operating_since or timeline[-1][1]).year
            people = [pk for v in village_for_people for pk in needing[v]]
            share = 1.0 if region in village_for_people else 0.4
            for benefit_year in range(max(first, year + 1), LAST_YEAR + 1):
                for pk in people:
                    if rng.random() <= share:
                        benefits.append((code, pk, benefit_year, max(1, sizes.get(pk, 1))))

    for village in sorted(chosen):
        new_project(village, [village])
        if rng.random() < 0.25:
            new_project(village, [village])
    for town in towns:
        if rng.random() < 0.15:
            new_project(town, [v for v in villages if v.startswith(town[:9])])

    project_before = last_pk(Project)
    rows_insert(
        Project._meta.db_table,
        [
            "name",
            "code",
            "region_code",
            "year",
            "category",
            "status",
            "expected_annual_return",
            "total_investment",
            "description",
            "created_at",
            "operating_since",
            "status_changed_at",
        ],
        project_rows,
    )
    ids = dict(Project.objects.filter(pk__gt=project_before).values_list("code", "pk"))
    summary.projects = len(ids)
    resolutions = _resolutions(plans, actor)
    move_rows = []
    for code, from_status, to_status, when, record in moves:
        resolution = resolutions.get((code, "disposal")) if to_status == S.DISPOSED else None
        if resolution:
            record = {**record, "resolution": resolution}
        move_rows.append(
            (
                ids[code],
                from_status,
                to_status,
                None,
                when,
                "回头看评定" if to_status in (S.WEAK, S.IDLE) else "",
                json.dumps(record, ensure_ascii=False),
                resolution,
            )
        )
    rows_insert(
        ProjectMove._meta.db_table,
        [
            "project_id",
            "from_status",
            "to_status",
            "actor_id",
            "created_at",
            "note",
            "record",
            "resolution_id",
        ],
        move_rows,
    )
    progress_before = last_pk(ProgressEntry)
    rows_insert(
        ProgressEntry._meta.db_table,
        ["project_id", "percent", "on", "note", "actor_id", "created_at"],
        ((ids[code], p, on, note, None, now) for code, p, on, note in progress),
    )
    contract_before = last_pk(OperatingContract)
    rows_insert(
        OperatingContract._meta.db_table,
        [
            "project_id",
            "operator_id",
            "kind",
            "contract_no",
            "start_date",
            "end_date",
            "annual_amount",
            "created_at",
        ],
        ((ids[code], *rest, now) for code, *rest in contracts),
    )
    summary.contracts = len(contracts)
    benefit_before = last_pk(ProjectBeneficiary)
    rows_insert(
        ProjectBeneficiary._meta.db_table,
        ["project_id", "household_id", "year", "persons", "created_at"],
        ((ids[code], pk, year, persons, now) for code, pk, year, persons in benefits),
    )
    summary.beneficiaries = len(benefits)
    plan_before = last_pk(RectificationPlan)
    plan_rows = []
    for code, _village, final, timeline in plans:
        if final == S.DISPOSED:
            continue
        kind = (
            c.PlanKind.RECTIFICATION if S.WEAK in [s for s, _d in timeline] else c.PlanKind.REVIVAL
        )
        flagged = next(d for s, d in timeline if s in (S.WEAK, S.IDLE))
        started = final in (S.RECTIFYING, S.REVIVING)
        resolution = resolutions.get((code, kind.value)) if started else None
        measures = (
            ["capital_injection", "cooperative"]
            if kind == c.PlanKind.RECTIFICATION
            else ["assets_as_shares", "change_operator"]
        )
        # Plans due in 2020 whose project is not yet back in operation are overdue now.
        deadline = flagged + dt.timedelta(days=rng.choice((120, 180, 240)))
        if not started and rng.random() < 0.5:
            continue  # flagged but no plan drawn up yet
        plan_rows.append(
            (
                ids[code],
                kind.value,
                json.dumps(measures),
                "整改措施：注入资金完善设施，引入合作社合作经营"
                if kind == c.PlanKind.RECTIFICATION
                else "盘活措施：资产折股量化入股龙头企业，更换经营主体",
                deadline,
                rng.choice("王李张刘陈杨") + "主任",
                c.PlanStatus.APPROVED.value if resolution else c.PlanStatus.DRAFT.value,
                resolution,
                None,
                at(flagged + dt.timedelta(days=10)),
                at(flagged + dt.timedelta(days=25)) if resolution else None,
                None,
            )
        )
    rows_insert(
        RectificationPlan._meta.db_table,
        [
            "project_id",
            "kind",
            "measures",
            "description",
            "deadline",
            "responsible_name",
            "status",
            "resolution_id",
            "created_by_id",
            "created_at",
            "approved_at",
            "completed_on",
        ],
        plan_rows,
    )
    summary.plans = len(plan_rows)
    for model, last in (
        (Operator, operator_before),
        (Project, project_before),
        (ProgressEntry, progress_before),
        (OperatingContract, contract_before),
        (ProjectBeneficiary, benefit_before),
        (RectificationPlan, plan_before),
    ):
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    return summary


def _steps(rng, state) -> list:
    if state == S.REJECTED:
        return [*LIFE[: rng.randint(1, 3)], S.REJECTED]
    if state in AFTER:
        return [*LIFE, *AFTER[state]]
    return LIFE[: LIFE.index(state) + 1]


def _record(rng, step, code: str, when: dt.date) -> dict:
    if step in (S.SCREENED, S.APPRAISED):
        return {
            "opinion": "符合产业规划，带贫机制明确"
            if step == S.SCREENED
            else "技术可行，效益测算合理"
        }
    if step == S.APPROVED:
        return {
            "document_no": f"扶发〔{when.year}〕{rng.randint(1, 90)}号",
            "approved_on": when.isoformat(),
        }
    if step == S.BUILDING:
        return {"started_on": when.isoformat()}
    if step == S.ACCEPTED:
        return {
            "accepted_on": when.isoformat(),
            "report_no": f"YS-{code}",
            "findings": "工程质量合格，资料齐全",
        }
    if step == S.DISPOSED:
        return {"document_no": f"扶处〔{when.year}〕{rng.randint(1, 30)}号", "method": "公开拍卖"}
    return {}


def _resolutions(plans, actor) -> dict:
    """Record the council meetings whose resolutions the demo's plans and disposals cite."""
    from fupin.councils.models import Council, CouncilMember
    from fupin.councils.services import ResolutionDraft, meeting_record

    wanted: dict[str, list[tuple[str, str]]] = {}
    for code, village, final, _timeline in plans:
        if final in (S.RECTIFYING, S.REVIVING, S.DISPOSED):
            kind = {
                S.RECTIFYING: "rectification",
                S.REVIVING: "revival",
                S.DISPOSED: "disposal",
            }[final]
            wanted.setdefault(village, []).append((code, kind))
    councils = {
        council.village_id: council
        for council in Council.objects.filter(village_id__in=list(wanted))
    }
    found = {}
    held_on = dt.date(LAST_YEAR, 3, 20)
    for village in sorted(wanted):
        council = councils.get(village)
        if council is None:
            continue
        serving = CouncilMember.objects.current(held_on).filter(council=council).count()
        if serving < 3:
            continue
        items = wanted[village]
        meeting = meeting_record(
            council=council,
            held_on=held_on,
            attendees=serving,
            minutes="理事会审议项目回头看发现的弱质、闲置项目的整改、盘活与处置。",
            resolutions=[
                ResolutionDraft(
                    kind=RESOLUTION_KINDS[kind],
                    title=f"关于{code}项目{TITLES[kind]}的决议",
                    votes_for=serving,
                )
                for code, kind in items
            ],
            actor=actor,
        )
        for (code, kind), resolution in zip(items, meeting.resolutions.order_by("pk"), strict=True):
            found[(code, kind)] = resolution.pk
    return found


def projects_demo_step(context) -> None:
    """Demo step: projects along their life, operators, contracts, beneficiaries and plans."""
    projects_demo_load(seed=context.seed, actor=context.actor)


def review_demo_step(context) -> None:
    """Demo step: the look-back review of 2020 on the assets' income flags weak and idle projects."""
    review_run(region_code=CITY[0], year=2020, actor=context.actor, today=dt.date(2021, 1, 15))
