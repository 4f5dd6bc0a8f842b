"""Reads of monitoring, always within the user's scope: queues, case lists, one case, declarations;
and the exit conditions a household meets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance.selectors import measure_count
from fupin.core.errors import NotFound
from fupin.monitoring import choices as c
from fupin.monitoring.models import Case, Declaration
from fupin.monitoring.tracking import tracking_code_normalise
from fupin.policy.selectors import policy_get
from fupin.regions.codes import is_valid_code, prefix_of
from fupin.regions.models import Region
from fupin.registry import choices as rc
from fupin.registry.choices import Relation
from fupin.registry.models import Household, Person
from fupin.registry.selectors import household_incomes


@dataclass
class CaseFilters:
    """Filters of the case list."""

    stage: str = ""
    status: str = ""
    kind: str = ""
    region: str = ""
    overdue: bool = False


def case_list(*, user, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Return the cases in the user's scope matching the filters, overdue and oldest due first."""
    filters = filters or CaseFilters()
    cases = Case.objects.restrict(user).select_related("village", "household")
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.region:
        prefix = prefix_of(filters.region) if is_valid_code(filters.region) else filters.region
        cases = cases.filter(village__code__startswith=prefix)
    if filters.overdue:
        cases = cases.filter(overdue_q())
    return cases.order_by("due_date", "opened_at", "id")


def overdue_q() -> Q:
    """Return the condition of an open case whose current stage is past its due date."""
    return Q(status=c.CaseStatus.OPEN, due_date__lt=timezone.localdate())


def case_queue(*, user) -> QuerySet[Case]:
    """Return the open cases waiting for the user's role in their region, overdue first."""
    stages = [stage for stage, role in c.STAGE_ROLE.items() if role == user.role]
    return case_list(user=user, filters=CaseFilters(status=c.CaseStatus.OPEN)).filter(
        stage__in=stages
    )


def case_counts(*, user) -> dict[str, int]:
    """Return the numbers of open, overdue and waiting-for-me cases in the user's scope."""
    stages = [stage for stage, role in c.STAGE_ROLE.items() if role == user.role]
    return Case.objects.restrict(user).aggregate(
        open=Count("pk", filter=Q(status=c.CaseStatus.OPEN)),
        overdue=Count("pk", filter=overdue_q()),
        waiting=Count("pk", filter=Q(status=c.CaseStatus.OPEN, stage__in=stages)),
    )


def case_get(*, user, case_id: int) -> Case:
    """Return one case in the user's scope, or raise NotFound."""
    return Case.objects.select_related("village", "household").get_restricted(user, pk=case_id)


def case_steps(*, case: Case):
    """Return the moves of a case in order, with their actors."""
    return case.steps.select_related("actor").order_by("at", "id")


def declaration_by_tracking_code(*, tracking_code: str) -> Declaration:
    """Return the declaration with the tracking code (the code is the only key a resident has).

    A code as issued now is found in any case, with or without its dash and surrounding spaces;
    a code issued before (16 mixed-case characters) only exactly as it was given.
    """
    typed = (tracking_code or "").strip()
    declarations = Declaration.objects.select_related("case", "village")
    declaration = declarations.filter(tracking_code=typed).first() if typed else None
    if declaration is None:
        code = tracking_code_normalise(typed)
        declaration = declarations.filter(tracking_code=code).first() if code else None
    if declaration is None:
        raise NotFound("declaration")
    return declaration


def declaration_status(case: Case) -> str:
    """Return what a declarant sees of the case: open, included or rejected."""
    if case.status == c.CaseStatus.APPROVED:
        return "included"
    return "rejected" if case.status == c.CaseStatus.REJECTED else "open"


@dataclass
class CaseRow:
    """A row of a case list: the case, the name it is known by, and whether it is overdue."""

    case: Case
    subject_name: str
    overdue: bool


def case_rows(*, cases) -> list[CaseRow]:
    """Return list rows of cases, the heads' names of their households read in one query."""
    cases = list(cases)
    today = timezone.localdate()
    heads = dict(
        Person.objects.active()
        .filter(household_id__in={case.household_id for case in cases if case.household_id})
        .filter(relation=Relation.HEAD)
        .values_list("household_id", "name")
    )
    return [
        CaseRow(
            case=case,
            subject_name=heads.get(case.household_id) or case.declarant_name,
            overdue=case.status == c.CaseStatus.OPEN
            and case.due_date is not None
            and case.due_date < today,
        )
        for case in cases
    ]


def declaration_regions(*, parent_code: str = "") -> QuerySet[Region]:
    """Return the regions a declarant picks from: the children of a region, or the top ones.

    Public (a resident has no login): only codes and names, which are published statistics.
    """
    regions = Region.objects.order_by("code").only("code", "name", "level")
    if parent_code:
        return regions.filter(parent_id=parent_code)
    return regions.filter(parent__isnull=True)


WORKING_LABOR = (rc.LaborAbility.SKILLED, rc.LaborAbility.ORDINARY, rc.LaborAbility.WEAK)


@dataclass(frozen=True)
class ExitCondition:
    """An exit condition (docs/domain.md "Exit conditions") and whether the household meets it."""

    code: str
    message: str
    met: bool


def exit_conditions(*, household: Household, on: dt.date) -> list[ExitCondition]:
    """Return the conditions a household must meet to leave monitoring because its risk is gone."""
    code = household.village_id
    months = int(policy_get("monitoring.exit_min_months", region_code=code, on=on))
    since = household.monitored_on
    monitored_months = (
        (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day) if since else 0
    )
    incomes = household_incomes(household=household)
    latest = incomes[-1] if incomes else None
    threshold = (
        Decimal(
            policy_get(
                "monitoring.income_threshold",
                region_code=code,
                on=dt.date(latest.income.year, 12, 31),
            )
        )
        if latest and latest.per_capita is not None
        else None
    )
    working = household.members.active().filter(labor_ability__in=WORKING_LABOR).exists()
    return [
        ExitCondition(
            "monitored_too_short",
            _("纳入监测未满 %(months)s 个月") % {"months": months},
            since is not None and monitored_months >= months,
        ),
        ExitCondition(
            "income_not_stable",
            _("最近年度人均纯收入未达到监测收入标准"),
            threshold is not None and latest.per_capita >= threshold,
        ),
        ExitCondition(
            "no_assistance_measure",
            _("尚未落实任何帮扶措施"),
            measure_count(household=household) > 0,
        ),
        ExitCondition(
            "no_labor_ability", _("家庭无劳动能力，应继续监测并落实兜底保障措施"), working
        ),
    ]
