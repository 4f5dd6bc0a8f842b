"""Reads of projects, always within the user's scope: lists, one project's file, operators,
overdue plans, beneficiary counts (户次、人次) and review runs."""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from fupin.core.errors import NotFound
from fupin.core.states import allowed_moves
from fupin.projects import choices as c
from fupin.projects.models import (
    Operator,
    Project,
    ProjectBeneficiary,
    ProjectMove,
    ProjectReview,
    RectificationPlan,
    ReviewResult,
)
from fupin.regions.models import Region
from fupin.regions.selectors import region_children, region_get

VIEW = "projects.view_project"
VIEW_REVIEWS = "projects.view_projectreview"


def _visible(user) -> bool:
    return user.has_perm(VIEW)


def project_list(
    *,
    user,
    status: str | None = None,
    year: int | None = None,
    region_code: str | None = None,
    category: str | None = None,
    q: str | None = None,
) -> QuerySet[Project]:
    """Return the projects of the user's scope, narrowed by state, year, region and category.

    A region outside the scope raises NotFound.
    """
    rows = Project.objects.restrict(user).select_related("region")
    if region_code:
        region = region_get(user=user, code=region_code)
        rows = rows.filter(region__code__startswith=region.prefix)
    if status:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(year=year)
    if category:
        rows = rows.filter(category=category)
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(code__contains=q))
    return rows.order_by("-year", "code")


def project_get(*, user, project_id: int) -> Project:
    """Return one project of the user's scope, or raise NotFound."""
    return Project.objects.select_related("region").get_restricted(user, pk=project_id)


def project_moves(*, project: Project) -> QuerySet[ProjectMove]:
    """Return the project's moves in order, with who made them."""
    return project.moves.select_related("actor", "resolution").order_by("created_at", "id")


def project_progress(*, project: Project):
    """Return the project's construction progress entries in order."""
    return project.progress.select_related("actor").order_by("on", "id")


def project_contracts(*, project: Project):
    """Return the project's operating contracts, the latest first."""
    return project.contracts.select_related("operator").order_by("-start_date", "-id")


def project_plans(*, project: Project):
    """Return the project's rectification and revival plans, the latest first."""
    return project.plans.select_related("resolution").order_by("-created_at", "-id")


def project_beneficiaries(*, project: Project, year: int | None = None):
    """Return the households the project benefits (in a year), with their village."""
    rows = project.beneficiaries.select_related("household")
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "household__household_no")


def beneficiary_years(*, project: Project) -> list[dict]:
    """Return household-times and person-times of the project per year, latest first."""
    return list(
        project.beneficiaries.values("year")
        .annotate(households=Count("pk"), persons=Sum("persons"))
        .order_by("-year")
    )


def moves_allowed(*, project: Project, user) -> list[str]:
    """Return the states the user may move the project to (their role owns the move)."""
    if not user.has_perm("projects.move_project", project):
        return []
    return allowed_moves(c.TRANSITIONS, project.status, user.role or "")


def operator_list(*, user) -> QuerySet[Operator]:
    """Return the operators of the user's scope with their number of contracts."""
    return (
        Operator.objects.restrict(user)
        .select_related("region", "qualified_by")
        .annotate(contracts_count=Count("contracts"))
        .order_by("region_id", "name")
    )


def operator_get(*, user, operator_id: int) -> Operator:
    """Return one operator of the user's scope, or raise NotFound."""
    return (
        Operator.objects.select_related("region", "qualified_by")
        .annotate(contracts_count=Count("contracts"))
        .get_restricted(user, pk=operator_id)
    )


def operators_for_contract(*, user) -> QuerySet[Operator]:
    """Return the qualified operators of the user's scope (those a contract may name)."""
    return operator_list(user=user).filter(qualified_at__isnull=False)


def plans_overdue(*, user, today: dt.date, region_code: str | None = None):
    """Return the open plans (not yet done) past their deadline, the oldest deadline first."""
    rows = RectificationPlan.objects.restrict(user).filter(
        status__in=c.OPEN_PLAN_STATUSES, deadline__lt=today
    )
    if region_code:
        region = region_get(user=user, code=region_code)
        rows = rows.filter(project__region__code__startswith=region.prefix)
    return rows.select_related("project__region").order_by("deadline", "id")


def plan_get(*, user, plan_id: int) -> RectificationPlan:
    """Return one plan of the user's scope, or raise NotFound."""
    return RectificationPlan.objects.select_related("project__region").get_restricted(
        user, pk=plan_id
    )


def beneficiary_counts(*, user, year: int, region_code: str | None = None) -> dict:
    """Return projects, household-times and person-times of a year for a region and each child.

    Counted by the project's region: one household benefiting from two projects is two
    household-times, as the bulletin counts them.
    """
    if not _visible(user):
        raise NotFound("region", {"code": region_code})
    if region_code:
        region = region_get(user=user, code=region_code)
    else:
        region = getattr(user, "region", None)
        if region is None:
            raise NotFound("region", {"code": region_code})
    children = list(region_children(region=region))
    width = len(children[0].prefix) if children else len(region.code)
    rows = (
        ProjectBeneficiary.objects.filter(
            year=year, project__region__code__startswith=region.prefix
        )
        .annotate(p=Substr("project__region_id", 1, width))
        .values("p")
        .annotate(
            projects=Count("project", distinct=True),
            households=Count("pk"),
            persons=Sum("persons"),
        )
        .values_list("p", "projects", "households", "persons")
        .order_by()
    )
    figures = {p: {"projects": n, "households": h, "persons": s or 0} for p, n, h, s in rows}
    empty = {"projects": 0, "households": 0, "persons": 0}
    total = ProjectBeneficiary.objects.filter(
        year=year, project__region__code__startswith=region.prefix
    ).aggregate(
        projects=Count("project", distinct=True), households=Count("pk"), persons=Sum("persons")
    )
    return {
        "region": region.code,
        "name": region.name,
        "year": year,
        "projects": total["projects"],
        "households": total["households"],
        "persons": total["persons"] or 0,
        "children": [
            {
                "region": child.code,
                "name": child.name,
                **figures.get(child.prefix, empty),
            }
            for child in children
        ],
    }


def status_counts(*, user, region_code: str | None = None) -> dict[str, int]:
    """Return the number of projects of the user's scope in each state."""
    rows = project_list(user=user, region_code=region_code)
    return dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n").order_by())


def review_list(*, user, region_code: str | None = None) -> QuerySet[ProjectReview]:
    """Return the review runs of the user's scope, the latest first."""
    rows = ProjectReview.objects.restrict(user).select_related("region", "run_by")
    if region_code:
        region = region_get(user=user, code=region_code)
        rows = rows.filter(region__code__startswith=region.prefix)
    return rows.order_by("-created_at", "-id")


def review_get(*, user, review_id: int) -> ProjectReview:
    """Return one review run of the user's scope, or raise NotFound."""
    return ProjectReview.objects.select_related("region", "run_by").get_restricted(
        user, pk=review_id
    )


def review_results(*, review: ProjectReview) -> QuerySet[ReviewResult]:
    """Return the review's verdicts with their projects, weak and idle first."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(
        When(verdict=c.ReviewClass.IDLE, then=Value(0)),
        When(verdict=c.ReviewClass.WEAK, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        review.results.select_related("project__region")
        .annotate(rank=order)
        .order_by("rank", "project__code")
    )


def region_names(*, codes: list[str]) -> dict[str, str]:
    """Return the names of regions by code."""
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def resolutions_for(*, project: Project, kind: str):
    """Return the adopted council resolutions of the kind that a decision on the project may cite."""
    from fupin.councils.models import Resolution

    return (
        Resolution.objects.filter(
            kind=kind,
            adopted=True,
            meeting__council__village__code__startswith=project.region.prefix,
        )
        .select_related("meeting__council")
        .order_by("-meeting__held_on", "-id")[:20]
    )


def household_projects(*, household) -> list[ProjectBeneficiary]:
    """Return the household's beneficiary rows with their projects, latest year first."""
    return list(
        ProjectBeneficiary.objects.filter(household=household)
        .select_related("project__region")
        .order_by("-year", "project__code")
    )
