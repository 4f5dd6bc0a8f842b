"""API of the assessment: a region's scorecard for a period (live or frozen) and closing a period.

`GET /oversight/scorecard?region=CODE&start=D&end=D` ranks the region's children (the user's own
region by default, the current year by default); `POST /oversight/scorecard/close` freezes a
period that is over; `GET /oversight/scorecards` lists the closed ones in the user's scope.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.oversight.selectors import ScorecardData, scorecard_frozen, scorecard_get, scorecard_list
from fupin.oversight.services import scorecard_close

router = Router(tags=["oversight"])


class FigureOut(Schema):
    count: int
    hits: int | None
    value: Decimal | None
    score: Decimal | None


class RowOut(Schema):
    region: str
    name: str
    rank: int | None
    total: Decimal | None
    figures: dict[str, FigureOut]


class IndicatorOut(Schema):
    key: str
    label: str
    weight: Decimal


class ScorecardOut(Schema):
    region: str
    name: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    status: str
    closed_at: dt.datetime | None
    indicators: list[IndicatorOut]
    targets: dict[str, Decimal]
    rows: list[RowOut]


class SnapshotOut(Schema):
    region: str
    name: str
    start: dt.date
    end: dt.date
    closed_at: dt.datetime
    regions: int


class ScorecardQuery(Schema):
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class CloseIn(Schema):
    region: str
    start: dt.date
    end: dt.date


def scorecard_out(card: ScorecardData) -> dict:
    """Return the JSON shape of a scorecard."""
    return {
        "region": card.region.code,
        "name": card.region.name,
        "start": card.start,
        "end": card.end,
        "as_of": card.as_of,
        "status": card.status,
        "closed_at": card.snapshot.closed_at if card.snapshot else None,
        "indicators": [
            {"key": i["key"], "label": str(i["label"]), "weight": i["weight"]}
            for i in card.indicators
        ],
        "targets": card.targets,
        "rows": [
            {
                "region": row.region,
                "name": row.name,
                "rank": row.rank,
                "total": row.total,
                "figures": {k: f.as_json() for k, f in row.figures.items()},
            }
            for row in card.rows
        ],
    }


def default_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """Return the asked period, the current year where a date is not given."""
    year = timezone.localdate().year
    return start or dt.date(year, 1, 1), end or dt.date(year, 12, 31)


@router.get("/scorecard", response=ScorecardOut, summary="考核记分卡（下级区划排名）")
def scorecard_read(request, query: Query[ScorecardQuery]):
    """Return the scorecard of the region's children for the period: frozen once closed, else live.

    `region` defaults to the user's own region, the period to the current year; a region outside
    the scope is a 404.
    """
    start, end = default_period(query.start, query.end)
    return scorecard_out(
        scorecard_get(user=request.user, region_code=query.region, start=start, end=end)
    )


@router.post("/scorecard/close", response={201: ScorecardOut}, summary="关闭考核期，冻结并发布排名")
def scorecard_close_api(request, payload: CloseIn):
    """Freeze the scorecard of a period that is over; the city closes its counties', a county its towns'."""
    snapshot = scorecard_close(
        parent_code=payload.region, start=payload.start, end=payload.end, actor=request.user
    )
    return Status(201, scorecard_out(scorecard_frozen(snapshot=snapshot)))


@router.get("/scorecards", response=list[SnapshotOut], summary="已关闭的考核期")
def scorecards_closed(request):
    """Return the closed periods in the user's scope, the latest first."""
    return [
        {
            "region": s.region_id,
            "name": s.region.name,
            "start": s.start,
            "end": s.end,
            "closed_at": s.closed_at,
            "regions": s.regions,
        }
        for s in scorecard_list(user=request.user)
    ]
