"""Demo data of monitoring: cases of the three routes at every stage, taken through the services.

Every case is opened and moved by the real services (`declaration_submit`, `case_open`,
`exit_case_open`, `case_advance`, `objection_lodge`, `objection_answer`)
by the role that owns each step, so that records, history, events, inclusions, plans and exits
are what the pages would have made. Each step runs on the demo's clock: `django.utils.timezone.now`
reads the moment the step happened, some weeks or months before today, so due dates, overdue
stages, notice periods and the assessment's decision days come out as they would have
(docs/decisions/0076-demo-cases.md). The screening's cases are opened by the screening's own demo
step, which hands its opener over in the demo's context (decision 0088).
"""

import datetime as dt
import inspect
import random
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.db.models import Count
from django.utils import timezone

from fupin.accounts.choices import Role
from fupin.accounts.models import User
from fupin.core.dates import last_quarter
from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_make
from fupin.monitoring import choices as c
from fupin.monitoring.models import Case
from fupin.monitoring.services import (
    case_advance,
    case_open,
    declaration_submit,
    exit_case_open,
    exit_conditions,
    objection_answer,
    objection_lodge,
)
from fupin.regions.models import Region
from fupin.registry import choices as rc
from fupin.registry.models import Household, Person

CITY_CODE = "370400000000"
#: Opens a demo case of a higher app's route: (household, risk types, actor=, year=) → (case id,
#: the risk types the case was opened with).
CaseOpener = Callable[..., tuple[int, list[str]]]
SURNAMES = "王张李刘孙赵陈杨徐马高朱周孟胡郭宋韩董曹于杜魏吕丁姜崔孔颜田吴黄"
GIVEN_M = ("建国", "振华", "庆军", "德厚", "广明", "长林", "立强", "传福", "兆东", "继成")
GIVEN_F = ("秀英", "桂兰", "玉珍", "春梅", "丽红", "翠芳", "淑华", "美玲", "晓燕", "凤霞")
VERIFIERS = ("村委会主任", "驻村第一书记", "包村干部", "村监委会主任", "网格员")
DESCRIPTIONS = {
    rc.RiskType.ILLNESS: "家中主要劳动力患病住院，医疗自付费用较高，收入明显下降",
    rc.RiskType.DISABILITY: "家庭成员新增重度残疾，需长期照料，务工收入减少",
    rc.RiskType.SCHOOLING: "两个孩子同时上学，教育支出大，家庭收入不稳",
    rc.RiskType.DISASTER: "夏季暴雨冲毁大棚和农田，当年种植收入大部分损失",
    rc.RiskType.ACCIDENT: "户主务工时受伤，数月不能劳动",
    rc.RiskType.INDUSTRY_FAILURE: "养殖的生猪因疫病损失，借款未还",
    rc.RiskType.UNSTABLE_EMPLOYMENT: "外出务工的企业停产，家中无稳定收入",
    rc.RiskType.LACK_LABOR: "家中只剩老人和孩子，缺少劳动力",
    rc.RiskType.OTHER: "家庭收支出现较大困难",
}
OPINIONS = (
    "经审核，入户核查、信息比对、民主评议和公示程序完整，同意上报县级审定。",
    "材料齐全，程序规范，同意。",
    "经乡镇复核，情况属实，同意上报。",
)


@dataclass
class MonitoringDemoSummary:
    """What the monitoring demo wrote: cases by their state, and the officers it acted as."""

    cases: int = 0
    open_cases: int = 0
    approved: int = 0
    rejected: int = 0
    exits: int = 0
    objections: int = 0
    officers: list[str] = field(default_factory=list)


@contextmanager
def _clock(moment: dt.datetime):
    """Make `timezone.now()` (and so `localdate()`, auto_now fields and history) read the moment."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _advance(case_id: int, actor, decision: str, note: str = "", data: dict | None = None):
    """Call case_advance with what the page would have seen (the version where it takes one)."""
    case = Case.objects.get(pk=case_id)
    kwargs = {"case_id": case_id, "actor": actor, "decision": decision, "note": note}
    params = inspect.signature(case_advance).parameters
    if "seen_version" in params:
        kwargs["seen_version"] = case.version
    if "seen_stage" in params:
        kwargs["seen_stage"] = case.stage
    if data is not None:
        kwargs["data"] = data
    return case_advance(**kwargs)


class _Officers:
    """The officer of each role for a region: a demo user where there is one, else a new account."""

    PREFIX = {Role.VILLAGE_OFFICER: "vo", Role.TOWN_OFFICER: "to", Role.COUNTY_OFFICER: "co"}
    TITLE = {
        Role.VILLAGE_OFFICER: "扶贫专干",
        Role.TOWN_OFFICER: "扶贫办",
        Role.COUNTY_OFFICER: "扶贫办",
    }

    def __init__(self, password: str, actor, summary: MonitoringDemoSummary):
        self.password, self.actor, self.summary = password, actor, summary
        self.found: dict[tuple[str, str], User] = {}
        for user in User.objects.filter(
            username__in=("village", "town", "town2", "county"), is_active=True
        ):
            self.found[(user.role, user.region_id)] = user

    def get(self, role: str, region_code: str) -> User:
        key = (role, region_code)
        if key not in self.found:
            from fupin.accounts.services import user_add

            name = Region.objects.get(code=region_code).name
            username = f"{self.PREFIX[role]}_{region_code.rstrip('0') or region_code}"
            self.found[key] = user_add(
                username=username,
                role=role,
                region_code=region_code,
                password=self.password,
                display_name=f"{name}{self.TITLE[role]}",
                actor=self.actor,
            )
            self.summary.officers.append(username)
        return self.found[key]

    def village(self, code: str) -> User:
        return self.get(Role.VILLAGE_OFFICER, code)

    def town(self, code: str) -> User:
        return self.get(Role.TOWN_OFFICER, code[:9] + "000")

    def county(self, code: str) -> User:
        return self.get(Role.COUNTY_OFFICER, code[:6] + "000000")


@dataclass
class _Case:
    """One demo case: how it is opened and the moves it gets, each with its moment."""

    key: int
    kind: str
    route: str
    village: str
    household: Household | None
    end: str  # a stage it waits at, or "approved" / "rejected"
    steps: list[tuple[dt.datetime, str, dict]] = field(default_factory=list)
    exit_reason: str = ""
    risk_types: list[str] = field(default_factory=list)
    declarant: tuple[str, str, str, int] | None = None  # name, ID number, phone, household size


class _Planner:
    """Plans the demo's cases and runs their steps in time order on the clock."""

    def __init__(self, *, seed: int, today: dt.date, password: str, actor, openers):
        self.openers = openers
        self.rng = random.Random(seed * 13 + 1)
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.summary = MonitoringDemoSummary()
        self.officers = _Officers(password, actor, self.summary)
        self.actor = actor
        self.cases: list[_Case] = []
        self.taken: set[int] = set()
        self.ids: set[str] = set()
        self.case_ids: dict[int, int] = {}

    # -- time ---------------------------------------------------------------------------------
    def moment(self, day: dt.date) -> dt.datetime:
        """Return a working-hours moment of the day (the last one today stays before now)."""
        hour = self.rng.randint(8, 17)
        moment = dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)), self.tz)
        now = timezone.localtime()
        if day >= now.date() and moment > now - dt.timedelta(minutes=5):
            moment = max(
                dt.datetime.combine(day, dt.time(0, 1), self.tz), now - dt.timedelta(hours=1)
            )
        return moment

    # -- people -------------------------------------------------------------------------------
    def declarant(self, village: str) -> tuple[str, str, str, int]:
        rng = self.rng
        male = rng.random() < 0.6
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
        while True:
            serial = 2 * rng.randrange(500) + (1 if male else 2)
            serial = min(serial, 999)
            number = resident_id_make(village[:6], birth, serial)
            if number not in self.ids and not Person.objects.filter(id_number=number).exists():
                break
        self.ids.add(number)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        return name, number, phone, rng.randint(1, 5)

    def households(self, villages: list[str], *, monitored: bool) -> list[Household]:
        """Return the current households of the villages not yet in a demo case, shuffled."""
        found = Household.objects.filter(village_id__in=villages, removal_reason="")
        if monitored:
            found = found.filter(risk_state=rc.RiskState.OPEN)
        else:
            found = found.exclude(risk_state=rc.RiskState.OPEN)
        found = [
            h for h in found.select_related("village").order_by("pk") if h.pk not in self.taken
        ]
        self.rng.shuffle(found)
        return found

    def eligible(self, villages: list[str], on: dt.date) -> Household | None:
        """Return a monitored household of the villages that meets every exit condition on the day."""
        for household in self.households(villages, monitored=True):
            if all(condition.met for condition in exit_conditions(household=household, on=on)):
                return household
        return None

    # -- plans --------------------------------------------------------------------------------
    def plan(
        self,
        *,
        kind: str,
        route: str,
        village: str,
        end: str,
        finish: dt.date,
        late: bool = False,
        overdue: bool = False,
        household: Household | None = None,
        returned: bool = False,
        objection: str = "",
        reject_at: str = c.Stage.TOWN_REVIEW,
        exit_reason: str = "",
    ) -> _Case | None:
        """Plan a case that reaches `end` (a stage it waits at, or approved / rejected) on `finish`.

        `late` makes the county decide after its due date; `overdue` leaves the waiting stage past
        its due date today; `objection` is "open" (unanswered, in notice) or "answered".
        """
        rng = self.rng
        if household is None and route != c.Route.DECLARATION:
            monitored = kind == c.CaseKind.EXIT
            # The village's households first, then its town's.
            options = self.households([village], monitored=monitored) or self.households(
                sorted(
                    Household.objects.filter(village__code__startswith=village[:9])
                    .values_list("village_id", flat=True)
                    .distinct()
                ),
                monitored=monitored,
            )
            if not options:
                return None
            household = options[0]
        if household is not None:
            self.taken.add(household.pk)
            village = household.village_id
        case = _Case(len(self.cases), kind, route, village, household, end, exit_reason=exit_reason)
        if household is None:
            case.declarant = self.declarant(village)
        case.risk_types = self.risks(household)
        # Days spent at each stage before it is passed (the notice at least its five days).
        stages = c.ORDER
        waits = {
            c.Stage.VERIFY: rng.randint(1, 3),
            c.Stage.COMPARE: rng.randint(1, 2),
            c.Stage.APPRAISE: rng.randint(1, 3),
            c.Stage.NOTICE: 5,
            c.Stage.TOWN_REVIEW: rng.randint(1, 3),
            c.Stage.COUNTY_DECIDE: rng.randint(1, 2) if not late else rng.randint(9, 16),
        }
        moves: list[tuple[int, str, str]] = []  # (days at the stage, stage, decision)
        last = end if end in stages else c.Stage.COUNTY_DECIDE
        if end == "rejected":
            last = reject_at
        for stage in stages[: stages.index(last) + (0 if end in stages else 1)]:
            if returned and stage == c.Stage.TOWN_REVIEW:
                moves += [
                    (waits[stage], stage, c.Decision.RETURN),
                    (6, c.Stage.NOTICE, c.Decision.PASS),
                ]
            decision = c.Decision.REJECT if end == "rejected" and stage == last else c.Decision.PASS
            moves.append((waits[stage], stage, decision))
        # Time at the stage the case still waits at, from its entry to today.
        waiting = 0
        if end in stages:
            if overdue:
                waiting = rng.randint(8, 12) if end == c.Stage.VERIFY else rng.randint(14, 20)
            else:
                waiting = rng.randint(0, 2) if end != c.Stage.NOTICE else rng.randint(2, 4)
        day = finish - dt.timedelta(days=waiting + sum(days for days, _s, _d in moves))
        case.steps.append((self.moment(day), "open", {}))
        for days, stage, decision in moves:
            day += dt.timedelta(days=days)
            if stage == c.Stage.NOTICE and objection and decision == c.Decision.PASS:
                lodged = day - dt.timedelta(days=3)
                case.steps.append((self.moment(lodged), "objection", {}))
                case.steps.append((self.moment(lodged + dt.timedelta(days=1)), "answer", {}))
            case.steps.append((self.moment(day), decision, {"stage": stage}))
        if end == c.Stage.NOTICE and objection == "open":
            case.steps.append((self.moment(finish - dt.timedelta(days=1)), "objection", {}))
        self.cases.append(case)
        return case

    def risks(self, household: Household | None) -> list[str]:
        if household is not None and household.risk_types:
            return sorted(household.risk_types)[:2]
        return [
            self.rng.choice(
                (
                    rc.RiskType.ILLNESS,
                    rc.RiskType.ILLNESS,
                    rc.RiskType.DISABILITY,
                    rc.RiskType.SCHOOLING,
                    rc.RiskType.DISASTER,
                    rc.RiskType.ACCIDENT,
                    rc.RiskType.UNSTABLE_EMPLOYMENT,
                )
            )
        ]

    # -- running ------------------------------------------------------------------------------
    def run(self) -> MonitoringDemoSummary:
        steps = sorted(
            (
                (moment, case.key, n, action, data)
                for case in self.cases
                for n, (moment, action, data) in enumerate(case.steps)
            ),
            key=lambda step: step[:3],
        )
        skipped: set[int] = set()
        for moment, key, _n, action, data in steps:
            if key in skipped:
                continue
            case = self.cases[key]
            with _clock(moment):
                try:
                    self.step(case, action, data, moment)
                except FupinError:
                    if action == "open":
                        # The household was taken by an earlier case of the same kind: skip it.
                        skipped.add(key)
                        continue
                    raise
        self.measures()
        for case in Case.objects.filter(pk__in=self.case_ids.values()):
            self.summary.cases += 1
            if case.status == c.CaseStatus.OPEN:
                self.summary.open_cases += 1
            elif case.status == c.CaseStatus.APPROVED:
                self.summary.approved += 1
                self.summary.exits += case.kind == c.CaseKind.EXIT
            else:
                self.summary.rejected += 1
        return self.summary

    def step(self, case: _Case, action: str, data: dict, moment: dt.datetime) -> None:
        officers, village = self.officers, case.village
        if action == "open":
            self.case_ids[case.key] = self.open(case, moment)
            return
        case_id = self.case_ids[case.key]
        if action == "objection":
            objection_lodge(
                case_id=case_id,
                text="申报户家中有在外务工的子女，收入情况与公示不符，请核实。",
                name="村民",
                contact="",
            )
            self.summary.objections += 1
            return
        if action == "answer":
            objection = Case.objects.get(pk=case_id).objections.filter(answered_at=None).first()
            objection_answer(
                objection=objection,
                actor=officers.village(village),
                answer="经村两委再次入户核实，子女已分家另过，未向申报户提供赡养，情况属实，维持评议结果。",
            )
            return
        stage = data["stage"]
        role = c.STAGE_ROLE[c.Stage(stage)]
        actor = {
            Role.VILLAGE_OFFICER: officers.village,
            Role.TOWN_OFFICER: officers.town,
            Role.COUNTY_OFFICER: officers.county,
        }[role](village)
        if action == c.Decision.PASS:
            _advance(case_id, actor, c.Decision.PASS, data=self.record(case, stage, moment))
        elif action == c.Decision.RETURN:
            _advance(
                case_id,
                actor,
                c.Decision.RETURN,
                note="公示材料缺少公示照片，请补充公示后重新上报",
            )
        else:
            _advance(
                case_id,
                actor,
                c.Decision.REJECT,
                note="经核实，家庭人均纯收入明显高于监测收入标准，且无刚性支出，不予纳入",
            )

    def measures(self) -> None:
        """Give most households the demo included a measure in their plan, days after the decision.

        As in the assistance demo, about one in twelve is left without one, so that the gap shows.
        """
        from fupin.assistance.choices import CATEGORIES_NEEDING_TRADE
        from fupin.assistance.demo import BY_CAUSE, OTHER, TRADES, WITHOUT_MEASURE
        from fupin.assistance.services import measure_add

        included = Case.objects.filter(
            pk__in=self.case_ids.values(),
            kind=c.CaseKind.IDENTIFICATION,
            status=c.CaseStatus.APPROVED,
            household__assistance_plan__isnull=False,
        ).select_related("household__assistance_plan", "household__village")
        for case in included.order_by("pk"):
            start = timezone.localdate(case.decided_at) + dt.timedelta(
                days=self.rng.randrange(1, 6)
            )
            if self.rng.random() < WITHOUT_MEASURE or start > self.today:
                continue
            household = case.household
            category = BY_CAUSE.get(household.main_cause, OTHER)[0]
            with _clock(self.moment(start)):
                measure_add(
                    plan=household.assistance_plan,
                    actor=self.officers.village(household.village.code),
                    category=category.value,
                    description=str(category.label),
                    trade=self.rng.choice(TRADES) if category in CATEGORIES_NEEDING_TRADE else "",
                    start_date=start,
                )

    def open(self, case: _Case, moment: dt.datetime) -> int:
        officers = self.officers
        village = Region.objects.get(code=case.village)
        description = DESCRIPTIONS[case.risk_types[0]]
        if case.kind == c.CaseKind.EXIT:
            opened = exit_case_open(
                household=case.household,
                actor=officers.village(case.village),
                reason=case.exit_reason,
                note="帮扶措施落实后家庭收入稳定超过监测收入标准，申请风险消除",
            )
            return opened.pk
        if case.route == c.Route.DECLARATION:
            name, number, phone, size = case.declarant
            declaration, _created = declaration_submit(
                idempotency_key=f"demo-{case.key}-{number[-4:]}",
                name=name,
                id_number=number,
                phone=phone,
                village_code=case.village,
                household_size=size,
                risk_types=case.risk_types,
                description=description,
            )
            return declaration.case_id
        opener = self.openers.get(case.route)
        if opener is not None:
            case_id, case.risk_types = opener(
                case.household,
                case.risk_types,
                actor=officers.county(case.village),
                year=self.today.year - 1,
            )
            return case_id
        opened, _new = case_open(
            kind=c.CaseKind.IDENTIFICATION,
            route=c.Route.CADRE,
            village=village,
            actor=officers.village(case.village),
            household=case.household,
            risk_types=case.risk_types,
            description=description,
        )
        return opened.pk

    def record(self, case: _Case, stage: str, moment: dt.datetime) -> dict:
        """Return what the owner of the stage fills in to pass it."""
        rng = self.rng
        if stage == c.Stage.VERIFY:
            first, second = rng.sample(VERIFIERS, 2)
            name = lambda: rng.choice(SURNAMES) + rng.choice(GIVEN_M + GIVEN_F)  # noqa: E731
            return {
                "verifiers": [f"{name()}（{first}）", f"{name()}（{second}）"],
                "findings": "入户查看住房、家庭成员和收支情况，"
                + DESCRIPTIONS[case.risk_types[0]]
                + "，与反映情况一致。",
                "commitment_signed": True,
            }
        if stage == c.Stage.COMPARE:
            return {
                "findings": "经与民政、医保、人社、残联、不动产、车辆等部门数据比对，"
                "家庭无财政供养人员、无商品房、无机动车辆，比对无异常。"
            }
        if stage == c.Stage.APPRAISE:
            representatives = rng.randint(11, 25)
            against = rng.randint(0, 2)
            return {
                "date": timezone.localdate(moment).isoformat(),
                "representatives": representatives,
                "votes_for": representatives - against - rng.randint(0, 1),
                "votes_against": against,
                "minutes": "村民代表会议评议：家庭困难情况属实，同意纳入（退出）并进行公示。",
            }
        if stage == c.Stage.NOTICE:
            return {}
        if stage == c.Stage.TOWN_REVIEW:
            return {"opinion": rng.choice(OPINIONS)}
        if case.kind == c.CaseKind.EXIT:
            return {"exit_reason": case.exit_reason}
        household = case.household
        monitoring_type = (
            rc.MonitoringType.UNSTABLE
            if household is not None and household.poverty_status == rc.PovertyStatus.LIFTED
            else rc.MonitoringType.SUDDEN
            if rc.RiskType.ACCIDENT in case.risk_types or rc.RiskType.DISASTER in case.risk_types
            else rc.MonitoringType.EDGE
        )
        return {"monitoring_type": monitoring_type, "risk_types": case.risk_types}


def monitoring_demo_load(
    *,
    seed: int,
    password: str,
    village: str,
    town: str,
    town2: str,
    actor=None,
    openers: Mapping[str, CaseOpener] | None = None,
) -> MonitoringDemoSummary:
    """Write the demo's cases: every route at every stage around the demo users, decisions in every county.

    `village`, `town` and `town2` are the codes of the demo users' regions: the village's cases
    wait at the four village stages, the town's at its review, the county's at its decision;
    every county has cases decided last quarter (some late, one rejected, exits) and this one.
    `openers` opens the cases of the routes of higher apps (the screening's, decision 0088);
    without them the demo has cases of the declaration and cadre routes only.
    """
    today = timezone.localdate()
    openers = dict(openers or {})
    planner = _Planner(seed=seed, today=today, password=password, actor=actor, openers=openers)
    rng = planner.rng
    peopled = (
        Household.objects.filter(village__code__startswith=CITY_CODE[:4], removal_reason="")
        .values_list("village_id", flat=True)
        .distinct()
    )
    villages = sorted(set(peopled))
    if not villages:
        return planner.summary

    def villages_of(prefix: str, exclude: str = "") -> list[str]:
        return [v for v in villages if v.startswith(prefix) and v != exclude]

    # Waiting around the demo users: each route at each stage (the village's four in its village).
    routes = (c.Route.DECLARATION, c.Route.CADRE, *openers)
    town_villages = villages_of(town[:9], village) or [village]
    county_villages = villages_of(town2[:9]) or villages_of(village[:6]) or [village]
    for r, route in enumerate(routes):
        for s, stage in enumerate(c.ORDER):
            if stage in (c.Stage.TOWN_REVIEW,):
                place = town_villages[(r + s) % len(town_villages)] if r else village
            elif stage == c.Stage.COUNTY_DECIDE:
                place = county_villages[r % len(county_villages)]
            else:
                place = village
            # Some are overdue: the home check of a declaration, the comparison found by a cadre,
            # the town's review of a screening case.
            overdue = (route, stage) in (
                (c.Route.DECLARATION, c.Stage.VERIFY),
                (c.Route.CADRE, c.Stage.COMPARE),
                (c.Route.SCREENING, c.Stage.TOWN_REVIEW),
                (c.Route.CADRE, c.Stage.COUNTY_DECIDE),
            )
            planned = planner.plan(
                kind=c.CaseKind.IDENTIFICATION,
                route=route,
                village=place,
                end=stage,
                finish=today,
                overdue=overdue,
                objection="open" if (route, stage) == (c.Route.DECLARATION, c.Stage.NOTICE) else "",
            )
            if planned is None and place != village:
                planner.plan(
                    kind=c.CaseKind.IDENTIFICATION,
                    route=route,
                    village=village,
                    end=stage,
                    finish=today,
                    overdue=overdue,
                )

    # Exits waiting: at the home check in the village, at the town, at the county.
    for stage, places in (
        (c.Stage.VERIFY, [village] + town_villages),
        (c.Stage.TOWN_REVIEW, town_villages + [village] + villages_of(village[:6])),
        (c.Stage.COUNTY_DECIDE, county_villages + villages_of(village[:6])),
    ):
        household = planner.eligible(places, today)
        if household is not None:
            planner.plan(
                kind=c.CaseKind.EXIT,
                route=c.Route.CADRE,
                village=household.village_id,
                household=household,
                end=stage,
                finish=today,
                exit_reason=c.ExitReason.RISK_ELIMINATED,
            )

    # Decided: in every county last quarter (the assessment's period) and this quarter.
    start, end = last_quarter(today)
    span = (end - start).days
    for county in sorted({v[:6] for v in villages}):
        places = villages_of(county)
        # The county's busiest village, where one village officer handles the decided cases.
        counts = {
            v: n
            for v, n in Household.objects.filter(village_id__in=places, removal_reason="")
            .values_list("village_id")
            .annotate(n=Count("pk"))
        }
        home = (
            village if county == village[:6] else max(places, key=lambda v: (counts.get(v, 0), v))
        )
        for n in range(6):
            route = routes[n % len(routes)]
            finish = start + dt.timedelta(days=rng.randint(3, span))
            planner.plan(
                kind=c.CaseKind.IDENTIFICATION,
                route=route,
                village=home,
                end="rejected" if n == 4 else "approved",
                finish=finish,
                late=n in (1, 5),
                returned=n == 2,
                objection="answered" if n == 3 else "",
            )
        planner.plan(
            kind=c.CaseKind.IDENTIFICATION,
            route=c.Route.CADRE,
            village=home,
            end="approved",
            finish=today - dt.timedelta(days=rng.randint(3, max(4, (today - end).days - 3))),
        )
        for finish in (
            start + dt.timedelta(days=rng.randint(10, span)),
            today - dt.timedelta(days=2),
        ):
            household = planner.eligible([home] + places, finish)
            if household is not None:
                planner.plan(
                    kind=c.CaseKind.EXIT,
                    route=c.Route.CADRE,
                    village=household.village_id,
                    household=household,
                    end="approved",
                    finish=finish,
                    exit_reason=c.ExitReason.INCOME_STABLE,
                )
    return planner.run()


def monitoring_demo_step(context) -> None:
    """Demo step: cases of every route at every stage, decided ones in every county."""
    context.summary.monitoring = monitoring_demo_load(
        seed=context.seed,
        password=context.password,
        village=context.places["village"],
        town=context.places["town"],
        town2=context.places["town2"],
        actor=context.actor,
        openers=context.shared.get("case_openers"),
    )
