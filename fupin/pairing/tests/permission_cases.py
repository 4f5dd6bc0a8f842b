"""Pairing's cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

import datetime as dt

from django.utils import timezone

from fupin.monitoring.tests.factories import photo


def _away_visit(w):
    """Return a visit to the household of town B (created once per world)."""
    if not hasattr(w, "away_visit"):
        from fupin.pairing.models import Visit
        from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory

        cadre = CadreFactory(unit=AidUnitFactory(region=w.regions.county))
        PairingFactory(cadre=cadre, household=w.away)
        now = timezone.now()
        w.away_visit = Visit.objects.create(
            cadre=cadre,
            household=w.away,
            visited_at=now - dt.timedelta(days=1),
            visited_on=timezone.localdate(now - dt.timedelta(days=1)),
            found="看望",
            idempotency_key="suite-away-visit",
        )
    return w.away_visit


OUT_OF_SCOPE = {"visit_id": lambda w: _away_visit(w).pk}
QUERY_OUT_OF_SCOPE = {
    "/api/v1/pairing/coverage": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/pairing/visit-compliance": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/pairing/overdue": {"region": lambda w: w.regions.town_b.code},
    "/api/v1/pairing/rounds/progress": {"region": lambda w: w.regions.town_b.code},
}
BODIES = {
    # The household of town B: out of a town A officer's scope.
    "/api/v1/pairing/visits": {"household_no": "H-B-1", "found": "看望"},
    "/api/v1/pairing/rounds": {"household_no": "H-B-1", "notes": "遍访"},
}
BODY_SCOPED = {("post", "/api/v1/pairing/visits"), ("post", "/api/v1/pairing/rounds")}
MULTIPART = {"/api/v1/pairing/visits/{visit_id}/photos": lambda: {"file": photo()}}
