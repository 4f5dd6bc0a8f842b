"""The look-back review (回头看): each income project's year weighed against its expected return,
the verdicts stored and the weak and idle projects moved set-based."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.dates import add_months
from fupin.core.errors import InvalidInput
from fupin.core.services import event_record
from fupin.projects import choices as c
from fupin.projects.models import Project, ProjectMove
from fupin.projects.services.common import CENT, S, _region, _require, _user

WEAK_RATIO_KEY = "assets.weak_return_ratio"
IDLE_MONTHS_KEY = "assets.idle_months"
# The extension point that the app of the projects' assets fills in (spine.Extension):
# returns(projects=, start=, end=) -> {project id: {"actual", "last"}}.
RETURNS = "projects.returns"


def expected_in_window(*, expected: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """Return the part of an annual expected return due between two dates of one year (days)."""
    days_in_year = (dt.date(end.year, 12, 31) - dt.date(end.year, 1, 1)).days + 1
    days = (end - start).days + 1
    if days >= days_in_year:
        return expected
    return (expected * days / days_in_year).quantize(CENT)


def review_classify(
    *,
    expected: Decimal,
    actual: Decimal,
    last_income_on: dt.date | None,
    since: dt.date,
    end: dt.date,
    ratio: Decimal,
    idle_months: int,
) -> str:
    """Classify a project's year: idle, weak or healthy.

    Idle: nothing earned for `idle_months` whole months up to `end`, counted from the last income
    (or from the start of operation when it never earned). Weak: the year's actual return below
    `ratio` × the expected return of the period. Idle comes first: an idle project is also weak.
    """
    reference = last_income_on or since
    if add_months(reference, idle_months) <= end:
        return c.ReviewClass.IDLE
    if actual < ratio * expected:
        return c.ReviewClass.WEAK
    return c.ReviewClass.HEALTHY


@transaction.atomic
def review_run(*, region_code: str, year: int, actor, today: dt.date | None = None):
    """Review every income project of a region for a year, store the verdicts, flag the projects.

    Projects in operation (operating, weak, rectifying, idle, reviving) with an expected return
    are weighed; those still `operating` that turn out weak or idle move into that state.
    """
    from fupin.core import spine
    from fupin.core.importing import rows_insert
    from fupin.policy.selectors import policy_get
    from fupin.projects.models import ProjectReview, ReviewResult

    region = _region(region_code, actor)
    _require(actor, c.REVIEW_ROLES, "projects.add_projectreview", region)
    today = today or timezone.localdate()
    if not isinstance(year, int) or not 2000 <= year <= today.year:
        raise InvalidInput({"year": _("年度不正确（不能晚于今年）")}, {"year": "invalid_year"})
    year_start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    ratio = Decimal(str(policy_get(WEAK_RATIO_KEY, region_code=region.code, on=end)))
    idle_months = int(policy_get(IDLE_MONTHS_KEY, region_code=region.code, on=end))
    projects = Project.objects.filter(
        region__code__startswith=region.prefix,
        status__in=c.IN_OPERATION,
        expected_annual_return__gt=0,
        operating_since__lte=end,
    )
    income: dict[int, dict] = {}
    for returns in spine.extensions(RETURNS):
        income.update(returns(projects=projects, start=year_start, end=end))
    review = ProjectReview.objects.create(
        region=region,
        year=year,
        period_end=end,
        weak_ratio=ratio,
        idle_months=idle_months,
        run_by=_user(actor),
    )
    results = []  # (project, verdict, expected, actual, last income, status before, moved)
    for pk, status, expected, since in projects.values_list(
        "pk", "status", "expected_annual_return", "operating_since"
    ).order_by("pk"):
        start = max(year_start, since)
        due = expected_in_window(expected=expected, start=start, end=end)
        row = income.get(pk, {})
        actual = row.get("actual") or Decimal("0.00")
        last = row.get("last")
        verdict = review_classify(
            expected=due,
            actual=actual,
            last_income_on=last,
            since=since,
            end=end,
            ratio=ratio,
            idle_months=idle_months,
        )
        moves = status == S.OPERATING and verdict != c.ReviewClass.HEALTHY
        results.append((pk, verdict, due, actual, last, status, moves))
    # Plain tuples in one executemany (COPY on PostgreSQL): model instances and bulk_create's
    # per-value preparation cost more than the whole classification.
    rows_insert(
        ReviewResult._meta.db_table,
        [
            "review_id",
            "project_id",
            "verdict",
            "expected",
            "actual",
            "last_income_on",
            "status_before",
            "moved",
        ],
        ((review.pk, *row) for row in results),
    )
    moved = _review_moves_apply(review=review, actor=actor)
    tally = Counter(row[1] for row in results)
    counts = {v: tally[v] for v in c.ReviewClass.values}
    review.reviewed = len(results)
    review.healthy = counts[c.ReviewClass.HEALTHY]
    review.weak = counts[c.ReviewClass.WEAK]
    review.idle = counts[c.ReviewClass.IDLE]
    review.moved = moved
    review.save(update_fields=["reviewed", "healthy", "weak", "idle", "moved"])
    event_record(
        actor=actor,
        verb="project.review",
        object_type="projects.projectreview",
        object_id=str(review.pk),
        region_code=region.code,
        data={"year": year, **counts, "moved": moved},
    )
    return review


def _review_moves_apply(*, review, actor) -> int:
    """Move the review's flagged projects to their verdict set-based; return how many moved.

    The same records as one `project_move` each (the state, its field history with the actor and
    the reason, a ProjectMove and a `project.<state>` event), written in a constant number of
    statements. Only moves the TRANSITIONS table allows from a project's current state are made,
    by a role it names; a flagged project no longer in such a state keeps it and is not counted.
    """
    from django.db.models import OuterRef, Q, Subquery

    from fupin.core.bulk import history_bulk_record
    from fupin.core.models import Event
    from fupin.projects.models import ReviewResult

    note = _("回头看评定")
    flagged = ReviewResult.objects.filter(review=review, moved=True)
    allowed = Q(pk__in=[])
    for status, to in flagged.values_list("project__status", "verdict").distinct().order_by():
        roles = c.TRANSITIONS.get(status, {}).get(to)
        if roles is None:
            continue
        _require(actor, roles, "projects.move_project", review.region)
        allowed |= Q(status=status, pk__in=flagged.filter(verdict=to).values("project_id"))
    # Locked in the order of their keys, so that two reviews never wait on each other in a ring.
    rows = list(
        Project.objects.filter(allowed)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "code", "region_id", "status")
    )
    if len(rows) < flagged.count():
        flagged.exclude(project__in=Project.objects.filter(allowed)).update(moved=False)
    if not rows:
        return 0
    verdicts = dict(flagged.values_list("project_id", "verdict"))
    moving = Project.objects.filter(pk__in=flagged.values("project_id"))
    moving.update(
        status=Subquery(
            ReviewResult.objects.filter(review=review, project=OuterRef("pk")).values("verdict")[:1]
        ),
        status_changed_at=timezone.now(),
    )
    history_bulk_record(queryset=moving, history_type="~", actor=actor, reason=note)
    user = _user(actor)
    record = {"review": review.pk}
    ProjectMove.objects.bulk_create(
        ProjectMove(
            project_id=pk,
            from_status=status,
            to_status=verdicts[pk],
            actor=user,
            note=note,
            record=record,
        )
        for pk, _code, _region, status in rows
    )
    Event.objects.bulk_create(
        Event(
            actor=user,
            verb=f"project.{verdicts[pk]}",
            object_type=Project._meta.label_lower,
            object_id=code,
            region_code=region_code,
            reason=note,
            data={"from": status, "to": verdicts[pk], **record},
        )
        for pk, code, region_code, status in rows
    )
    return len(rows)
