"""Writes of the assessment: closing a period freezes its scorecard and publishes the ranking."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import Forbidden, NotFound, Refused
from fupin.core.services import event_record
from fupin.core.states import role_of, transition_check
from fupin.oversight import choices as c
from fupin.oversight.models import Scorecard, ScorecardRow
from fupin.oversight.selectors import can_close, period_check, scorecard_compute
from fupin.regions.choices import Level
from fupin.regions.models import Region


def _close_check(region: Region, start: dt.date, end: dt.date, current: str, actor) -> None:
    """Refuse to close a period whose scorecard is not live (closed is final) or by a role that may not."""
    transition_check(
        c.TRANSITIONS,
        current,
        c.Status.CLOSED,
        role=role_of(actor),
        message=_("该考核期已关闭，排名已发布，不能再次关闭"),
        details={"region": region.code, "start": str(start), "end": str(end)},
    )


@transaction.atomic
def scorecard_close(
    *, parent_code: str, start: dt.date, end: dt.date, actor, today: dt.date | None = None
) -> Scorecard:
    """Freeze the scorecard of a region's children for a period that is over, with the weights used.

    A user closes the scorecard of their own city (its counties) or county (its towns); a
    system run (no actor) may close any region's. Once closed, the published figures, totals and
    ranks never change, whatever happens to the data or the weights afterwards.
    """
    today = today or timezone.localdate()
    region = Region.objects.filter(code=parent_code).first()
    if region is None or (
        actor is not None
        and (actor.scope_prefix is None or not region.code.startswith(actor.scope_prefix))
    ):
        raise NotFound("region", {"code": parent_code})
    if actor is not None and not can_close(user=actor, region=region):
        raise Forbidden(
            _("只有本级市、县可以关闭下一级的考核期"),
            {"region": region.code, "permission": "oversight.close_scorecard"},
        )
    if region.level == Level.VILLAGE:
        raise Refused("no_children", _("村没有下级区划可以考核"), {"region": region.code})
    period_check(start, end)
    if end >= today:
        raise Refused(
            "period_not_over",
            _("考核期尚未结束，结束日期之后才能关闭"),
            {"end": str(end), "today": str(today)},
        )
    closed = Scorecard.objects.filter(region=region, start=start, end=end).exists()
    _close_check(region, start, end, c.Status.CLOSED if closed else c.Status.LIVE, actor)
    card = scorecard_compute(region=region, start=start, end=end, today=today)
    try:
        with transaction.atomic():
            snapshot = Scorecard.objects.create(
                region=region,
                start=start,
                end=end,
                as_of=card.as_of,
                weights={k: str(v) for k, v in card.weights.items()},
                targets={k: str(v) for k, v in card.targets.items()},
                closed_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        snapshot = None
    if snapshot is None:  # another close won the race: the period is closed now
        _close_check(region, start, end, c.Status.CLOSED, actor)
    ScorecardRow.objects.bulk_create(
        ScorecardRow(
            scorecard=snapshot,
            region_id=row.region,
            figures={k: f.as_json() for k, f in row.figures.items()},
            total=row.total,
            rank=row.rank,
        )
        for row in card.rows
    )
    event_record(
        actor=actor,
        verb="oversight.scorecard_closed",
        obj=snapshot,
        object_id=f"{region.code}:{start}:{end}",
        data={
            "start": str(start),
            "end": str(end),
            "weights": snapshot.weights,
            "ranking": [[row.region, str(row.total), row.rank] for row in card.rows],
        },
    )
    return snapshot
