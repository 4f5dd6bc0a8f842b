"""Assets' cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

from decimal import Decimal


def away_asset(w):
    """Return an asset of village B (created once per world)."""
    if not hasattr(w, "away_asset"):
        import datetime as dt

        from fupin.assets.models import Asset

        w.away_asset = Asset.objects.create(
            name="沙村光伏电站",
            category="operating",
            owner_kind="village",
            village=w.regions.village_b,
            value=Decimal("200000.00"),
            formed_on=dt.date(2018, 10, 1),
        )
    return w.away_asset


OUT_OF_SCOPE = {"asset_id": lambda w: away_asset(w).pk}
BODIES = {
    "/api/v1/assets": {
        "name": "光伏电站",
        "category": "operating",
        "owner_kind": "village",
        "village_code": "370481102201",
        "value": "1000.00",
        "formed_on": "2018-10-01",
    },
    "/api/v1/assets/{asset_id}/fundings": {"source_id": 1, "amount": "1.00"},
    "/api/v1/assets/{asset_id}/income": {
        "kind": "rent",
        "period_start": "2019-01-01",
        "period_end": "2019-06-30",
        "amount": "100.00",
        "received_on": "2019-07-01",
        "voucher_no": "收-1",
    },
}
# A new asset names its village (in town B) in the body.
BODY_SCOPED = {("post", "/api/v1/assets")}
QUERY_OUT_OF_SCOPE = {
    path: {"region": lambda w: w.regions.town_b.code}
    for path in ("/api/v1/assets", "/api/v1/assets/income", "/api/v1/assets/ledger")
}
