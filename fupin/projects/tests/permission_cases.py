"""Projects' cases for the shared permission suite (fupin/api/tests/test_permissions.py).

Every object lives in town B (village B), the town A officer's blind spot, and is created once
per world on first use.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone


def _away_project(w):
    if not hasattr(w, "away_project"):
        from fupin.projects.tests.factories import project_in

        w.away_project = project_in(w.regions.village_b, "weak", name="沙村项目")
    return w.away_project


def _away_operator(w):
    if not hasattr(w, "away_operator"):
        from fupin.projects.tests.factories import operator_qualified

        w.away_operator = operator_qualified(w.regions.town_b, n=900, qualified_at=None)
    return w.away_operator


def _away_plan(w):
    if not hasattr(w, "away_plan"):
        from fupin.projects.models import RectificationPlan

        w.away_plan = RectificationPlan.objects.create(
            project=_away_project(w),
            kind="rectification",
            measures=["cooperative"],
            deadline=timezone.localdate() - dt.timedelta(days=1),
            responsible_name="沙主任",
        )
    return w.away_plan


def _away_review(w):
    if not hasattr(w, "away_review"):
        from fupin.projects.models import ProjectReview

        w.away_review = ProjectReview.objects.create(
            region=w.regions.town_b,
            year=2024,
            period_end=dt.date(2024, 12, 31),
            weak_ratio=Decimal("0.5"),
            idle_months=6,
        )
    return w.away_review


OUT_OF_SCOPE = {
    "project_id": lambda w: _away_project(w).pk,
    "operator_id": lambda w: _away_operator(w).pk,
    "plan_id": lambda w: _away_plan(w).pk,
    "review_id": lambda w: _away_review(w).pk,
}
BODIES = {
    "/api/v1/projects": {
        "region_code": "370481102201",
        "name": "沙村大棚",
        "category": "industry",
        "year": 2024,
    },
    "/api/v1/projects/{project_id}/move": {"to": "rectifying"},
    "/api/v1/projects/{project_id}/progress": {"percent": 50},
    "/api/v1/projects/{project_id}/contracts": {
        "operator_id": 1,
        "kind": "lease",
        "start_date": "2024-01-01",
        "annual_amount": "1000.00",
    },
    "/api/v1/projects/{project_id}/beneficiaries": {
        "year": 2024,
        "households": [{"household_no": "H-B-1"}],
    },
    "/api/v1/projects/{project_id}/plans": {
        "kind": "rectification",
        "measures": ["cooperative"],
        "deadline": "2099-01-01",
        "responsible_name": "沙主任",
    },
    "/api/v1/projects/plans/{plan_id}/approve": {"resolution_id": 1},
    "/api/v1/projects/operators": {
        "name": "沙村合作社",
        "kind": "cooperative",
        "licence_no": "91370481000000900X",
        "region_code": "370481102000",
    },
    "/api/v1/projects/operators/{operator_id}/qualify": {"note": ""},
    "/api/v1/projects/reviews": {"region": "370481102000", "year": 2024},
}
# Writes that name their region in the body (town B): out of town A's scope, so a 404.
BODY_SCOPED = {
    ("post", "/api/v1/projects"),
    ("post", "/api/v1/projects/operators"),
    ("post", "/api/v1/projects/reviews"),
}
QUERY_OUT_OF_SCOPE = {
    "/api/v1/projects": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/projects/beneficiary-counts": {
        "region": lambda w: w.regions.town_b.code,
        "year": lambda w: 2024,
    },
    "/api/v1/projects/plans/overdue": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/projects/reviews": {"region": lambda w: w.regions.town_b.code},
}
