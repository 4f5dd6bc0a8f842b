"""Funds' cases for the shared permission suite (fupin/api/tests/test_permissions.py).

The out-of-scope objects lie in town B: a source of town B, an allocation of it to a project of
village B, a loan of the household `away`.
"""

import datetime as dt
from decimal import Decimal


def away_source(w):
    """Return a fund source of town B (created once per world)."""
    if not hasattr(w, "away_source"):
        from fupin.funds.tests.factories import FundSourceFactory

        w.away_source = FundSourceFactory(region=w.regions.town_b, amount=Decimal("1000.00"))
    return w.away_source


def away_project(w):
    """Return an operating project of village B (created once per world)."""
    if not hasattr(w, "away_project"):
        from fupin.funds.tests.factories import ProjectFactory

        w.away_project = ProjectFactory(region=w.regions.village_b, status="operating")
    return w.away_project


def away_allocation(w):
    """Return an allocation of town B's source to village B's project."""
    if not hasattr(w, "away_allocation"):
        from fupin.funds.models import Allocation

        w.away_allocation = Allocation.objects.create(
            source=away_source(w),
            project=away_project(w),
            amount=Decimal("500.00"),
            allocated_on=dt.date(2018, 3, 1),
        )
    return w.away_allocation


def away_loan(w):
    """Return a microcredit loan of the household `away`."""
    if not hasattr(w, "away_loan"):
        from fupin.funds.models import Loan

        w.away_loan = Loan.objects.create(
            household=w.away,
            bank="滕州农商银行",
            amount=Decimal("30000.00"),
            start_date=dt.date(2018, 3, 1),
            term_months=36,
            due_date=dt.date(2021, 3, 1),
            rate=Decimal("0.0435"),
        )
    return w.away_loan


OUT_OF_SCOPE = {
    "source_id": lambda w: away_source(w).pk,
    "allocation_id": lambda w: away_allocation(w).pk,
    "loan_id": lambda w: away_loan(w).pk,
}
BODIES = {
    "/api/v1/funds/sources": {
        "kind": "integrated",
        "year": 2018,
        "region": "370481102000",
        "amount": "1000.00",
    },
    "/api/v1/funds/sources/{source_id}/allocations": {
        "project_id": 1,
        "amount": "1.00",
        "allocated_on": "2018-03-01",
    },
    "/api/v1/funds/allocations/{allocation_id}/disbursements": {
        "amount": "1.00",
        "voucher_no": "记-1",
        "paid_on": "2018-04-01",
    },
    "/api/v1/funds/loans": {
        "household_no": "H-B-1",
        "bank": "滕州农商银行",
        "amount": "10000.00",
        "start_date": "2018-03-01",
        "term_months": 12,
        "rate": "0.0435",
    },
    "/api/v1/funds/loans/{loan_id}/repayments": {
        "paid_on": "2019-03-01",
        "principal": "1.00",
        "voucher_no": "还-1",
    },
}
# New sources and loans name their region or household (in town B) in the body.
BODY_SCOPED = {("post", "/api/v1/funds/sources"), ("post", "/api/v1/funds/loans")}
QUERY_OUT_OF_SCOPE = {
    path: {"region": lambda w: w.regions.town_b.code}
    for path in (
        "/api/v1/funds/sources",
        "/api/v1/funds/allocations",
        "/api/v1/funds/balances",
        "/api/v1/funds/loans",
    )
}
