"""Pairing's cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

QUERY_OUT_OF_SCOPE = {
    "/api/v1/pairing/coverage": {"region": lambda w: w.regions.town_b.code},
}
