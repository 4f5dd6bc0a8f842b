"""The demo's projects: every state of the life, records, contracts and beneficiaries."""

import pytest
from django.db.models import Count

from fupin.core.demo import demo_load
from fupin.projects import choices as c
from fupin.projects.models import (
    OperatingContract,
    Project,
    ProjectBeneficiary,
    ProjectMove,
    ProjectReview,
    RectificationPlan,
)
from fupin.projects.services import current_contract


@pytest.fixture
def demo(db):
    return demo_load(households=600, seed=7)


def test_the_demo_walks_projects_along_their_life(demo):
    projects = Project.objects.count()
    assert projects >= 20
    states = dict(
        Project.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert states.get("operating", 0) >= 5
    assert len(states) >= 5  # projects of 2016–2020 stand at many points of their life
    # Every move is recorded, in the order of the table, ending at the project's state.
    last = dict(
        ProjectMove.objects.values("project_id")
        .annotate(n=Count("pk"))
        .values_list("project_id", "n")
    )
    assert len(last) == projects
    for project in Project.objects.all()[:30]:
        moves = list(project.moves.order_by("created_at", "id"))
        assert moves[0].from_status == "" and moves[0].to_status == "proposed"
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.to_status in c.TRANSITIONS[before.to_status]
        assert moves[-1].to_status == project.status
    # Every project in operation has an operator under contract on the day it began operating.
    for project in Project.objects.filter(status__in=c.IN_OPERATION):
        contract = current_contract(project=project, on=project.operating_since)
        assert contract is not None and contract.operator.qualified
        assert project.expected_annual_return and project.expected_annual_return > 0
    assert OperatingContract.objects.exists()
    assert ProjectBeneficiary.objects.count() > projects
    assert Project.history.filter(history_type="+").count() == projects
    # The demo ran the look-back review of 2020 over the city; each project it flagged moved.
    review = ProjectReview.objects.get()
    assert (review.region_id, review.year) == ("370400000000", 2020)
    flagged = review.results.filter(verdict__in=("weak", "idle"), moved=True).count()
    assert ProjectMove.objects.filter(record__review=review.pk).count() == flagged


def test_demo_plans_cite_their_councils_resolutions(demo):
    for plan in RectificationPlan.objects.filter(status="approved"):
        assert plan.resolution.kind == c.PLAN_RESOLUTION_KIND[c.PlanKind(plan.kind)]
        assert plan.resolution.meeting.council.village_id.startswith(plan.project.region.prefix)
    for move in ProjectMove.objects.filter(to_status="disposed"):
        assert move.resolution is None or move.resolution.kind == "disposal"
