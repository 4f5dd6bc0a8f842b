"""Distribution's cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

from decimal import Decimal

from fupin.distribution.models import DistributionPlan


def _away_plan(w):
    """Return a draft plan of village B (town B), made once per world."""
    if not hasattr(w, "away_plan"):
        w.away_plan = DistributionPlan.objects.create(
            village=w.regions.village_b,
            year=2019,
            amount=Decimal("100.00"),
            welfare_pool=Decimal("20.00"),
            fund_direct=Decimal("10.00"),
            village_fund=Decimal("80.00"),
            households_total=Decimal("0.00"),
            households=0,
        )
    return w.away_plan


OUT_OF_SCOPE = {
    "distribution_plan_id": lambda w: _away_plan(w).pk,
    "fund_village_code": lambda w: w.regions.village_b.code,
}
BODIES = {
    "/api/v1/distribution/plans": {
        "village_code": "370481102201",
        "year": 2019,
        "amount": "1000.00",
    },
    "/api/v1/distribution/plans/{distribution_plan_id}/resolve": {"resolution_id": 1},
    "/api/v1/distribution/plans/{distribution_plan_id}/notice": {"started_on": "2020-03-01"},
    "/api/v1/distribution/plans/{distribution_plan_id}/effect": {"on": "2020-03-20"},
    "/api/v1/distribution/plans/{distribution_plan_id}/cancel": {"reason": "重新制定"},
    "/api/v1/distribution/plans/{distribution_plan_id}/payments": {
        "paid_on": "2020-03-21",
        "voucher_no": "付-1",
    },
    "/api/v1/distribution/funds/{fund_village_code}/entries": {
        "date": "2020-03-01",
        "kind": "in",
        "amount": "10.00",
        "reason": "捐赠",
    },
}
# The village in the body lies in town B: out of a town A officer's scope.
BODY_SCOPED = {("post", "/api/v1/distribution/plans")}
QUERY_OUT_OF_SCOPE = {
    "/api/v1/distribution/plans": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/distribution/totals": {"region": lambda w: w.regions.town_b.code},
}
