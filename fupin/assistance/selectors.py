"""Reads of assistance plans, always starting from the user's scope."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from fupin.assistance import choices as c
from fupin.assistance.models import AssistancePlan, Measure
from fupin.assistance.services import CATEGORIES_WITH_PLAN, CHANGE, VIEW
from fupin.core.models import Event
from fupin.pairing.selectors import household_cadres
from fupin.regions.codes import ancestor_codes
from fupin.registry.models import Household

# Roles that keep plans day to day, offered as the plan's responsible account.
RESPONSIBLE_ROLES = ("cadre", "village_officer", "town_officer")


def plan_get(*, user, household_no: str) -> AssistancePlan:
    """Return the plan of a household in the user's scope, or raise NotFound."""
    return AssistancePlan.objects.select_related(
        "household__village", "responsible_user"
    ).get_restricted(user, household__household_no=household_no)


def plan_for_household(*, household: Household) -> AssistancePlan | None:
    """Return the household's plan, or None when it has none yet (no scope check: the caller's)."""
    return (
        AssistancePlan.objects.select_related("responsible_user")
        .filter(household=household)
        .first()
    )


def plan_measures(*, plan: AssistancePlan) -> QuerySet[Measure]:
    """Return the measures of a plan in the order they were added."""
    return plan.measures.order_by("id")


def measure_get(*, user, household_no: str, measure_id: int) -> Measure:
    """Return one measure of a household's plan in the user's scope, or raise NotFound."""
    return Measure.objects.select_related("plan__household__village").get_restricted(
        user, pk=measure_id, plan__household__household_no=household_no
    )


def measure_count(*, household: Household, statuses: Iterable[str] = tuple(c.LIVE_STATUSES)) -> int:
    """Return how many measures of the household's plan have one of the statuses (not cancelled)."""
    return Measure.objects.filter(plan__household=household, status__in=list(statuses)).count()


def plan_overdue(*, plan: AssistancePlan, today: dt.date) -> bool:
    """Tell whether the plan's due date has passed with no measure that is not cancelled.

    A removed household's plan is never overdue: nothing more is owed to it.
    """
    if plan.due_date is None or plan.due_date >= today or plan.household.removal_reason:
        return False
    return not plan.measures.live().exists()


def plans_overdue(*, user, today: dt.date | None = None) -> QuerySet[AssistancePlan]:
    """Return the plans in the user's scope that are overdue today, the longest overdue first."""
    today = today or timezone.localdate()
    live = Measure.objects.filter(plan=OuterRef("pk"), status__in=c.LIVE_STATUSES)
    return (
        AssistancePlan.objects.restrict(user)
        .filter(due_date__lt=today, household__removal_reason="")
        .exclude(Exists(live))
        .select_related("household__village")
        .order_by("due_date", "household__household_no")
    )


def plan_responsible_candidates(*, household: Household):
    """Return the active accounts that could keep the household's plan (its village, town, cadres)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role__in=RESPONSIBLE_ROLES,
            region_id__in=ancestor_codes(household.village_id),
        )
        .order_by("role", "display_name", "username")
    )


@dataclass
class PlanPanel:
    """What the household file shows of the plan, and what the user may do with it."""

    household: Household
    plan: AssistancePlan | None
    measures: list[Measure] = field(default_factory=list)
    overdue: bool = False
    needs_plan: bool = False
    can_change: bool = False
    cadres: list = field(default_factory=list)

    @property
    def live_count(self) -> int:
        return sum(m.status in c.LIVE_STATUSES for m in self.measures)

    @property
    def responsible(self) -> list[str]:
        """Return who is responsible for the plan: the household's paired cadres (the file's
        帮扶责任人), then the name written on the plan when it is someone else."""
        names = [cadre.name for cadre in self.cadres]
        written = self.plan.responsible_name if self.plan is not None else ""
        if written and written not in names:
            names.append(written)
        return names


def plan_panel(*, user, household: Household, today: dt.date | None = None) -> PlanPanel | None:
    """Return the plan section of a household file, or None when the user may not see plans."""
    if not user.has_perm(VIEW, household):
        return None
    today = today or timezone.localdate()
    plan = plan_for_household(household=household)
    measures = list(plan_measures(plan=plan)) if plan is not None else []
    overdue = (
        plan is not None
        and plan.due_date is not None
        and plan.due_date < today
        and not household.removal_reason
        and not any(m.status in c.LIVE_STATUSES for m in measures)
    )
    return PlanPanel(
        household=household,
        plan=plan,
        measures=measures,
        overdue=overdue,
        needs_plan=plan is None and household.support_category in CATEGORIES_WITH_PLAN,
        can_change=user.has_perm(CHANGE, household) and not household.removal_reason,
        cadres=household_cadres(household=household),
    )


def plan_events(*, plan: AssistancePlan, limit: int = 50) -> list[Event]:
    """Return the business events of a plan and its measures, newest first."""
    measure_ids = [str(pk) for pk in plan.measures.values_list("pk", flat=True)]
    events = Event.objects.filter(
        object_type="assistance.assistanceplan", object_id=plan.household.household_no
    ) | Event.objects.filter(object_type="assistance.measure", object_id__in=measure_ids)
    return list(events.select_related("actor").order_by("-created_at", "-id")[:limit])
