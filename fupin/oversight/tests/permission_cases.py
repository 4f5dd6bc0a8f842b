"""Oversight's cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

QUERY_OUT_OF_SCOPE = {
    "/api/v1/oversight/scorecard": {"region": lambda w: w.regions.town_b.code},
}
# Closing Tengzhou's towns' period: the county's, out of a town officer's scope (a 404).
BODIES = {
    "/api/v1/oversight/scorecard/close": {
        "region": "370481000000",
        "start": "2024-01-01",
        "end": "2024-12-31",
    },
}
BODY_SCOPED = {("post", "/api/v1/oversight/scorecard/close")}
