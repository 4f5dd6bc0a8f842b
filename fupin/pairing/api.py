"""API of pairing: coverage of a region and of each child region (`/pairing/coverage`)."""

from ninja import Query, Router, Schema

from fupin.pairing.selectors import coverage

router = Router(tags=["pairing"])


class CoverageFigures(Schema):
    region: str
    needing: int
    covered: int
    uncovered: int
    cadres_active: int
    cadres_over_capacity: int


class CoverageOut(CoverageFigures):
    children: list[CoverageFigures]


class CoverageQuery(Schema):
    region: str | None = None


@router.get("/coverage", response=CoverageOut, summary="结对帮扶覆盖情况（本级及下级）")
def coverage_get(request, query: Query[CoverageQuery]):
    """Return needing / covered / uncovered households and active / over-capacity cadres.

    `region` defaults to the user's own region; a region outside the scope is a 404.
    """
    return coverage(user=request.user, region_code=query.region)
