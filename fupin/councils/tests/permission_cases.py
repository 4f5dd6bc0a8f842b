"""Councils' cases for the shared permission suite (fupin/api/tests/test_permissions.py)."""

from fupin.councils.tests.factories import council_with_members


def _away_council(w):
    """Return the council of village B (town B), made once per world."""
    if not hasattr(w, "away_council"):
        w.away_council = council_with_members(w.regions.village_b, members=3)
    return w.away_council


OUT_OF_SCOPE = {
    "council_id": lambda w: _away_council(w).pk,
    "member_id": lambda w: _away_council(w).members.first().pk,
}
BODIES = {
    "/api/v1/councils": {
        "village_code": "370481102201",
        "name": "理事会",
        "established_on": "2018-01-01",
    },
    "/api/v1/councils/{council_id}/members": {
        "name": "新理事",
        "role": "member",
        "start_date": "2018-02-01",
    },
    "/api/v1/councils/{council_id}/members/{member_id}/end": {
        "end_date": "2018-03-01",
        "reason": "迁出",
    },
    "/api/v1/councils/{council_id}/meetings": {
        "held_on": "2018-06-01",
        "attendees": 3,
        "minutes": "纪要",
        "resolutions": [{"kind": "other", "title": "决议", "votes_for": 3}],
    },
}
# The village in the body lies in town B: out of a town A officer's scope.
BODY_SCOPED = {("post", "/api/v1/councils")}
QUERY_OUT_OF_SCOPE = {
    "/api/v1/councils": {"region": lambda w: w.regions.town_b.code},
}
