"""Reads of the assessment: scorecards computed live or read frozen, and the records behind a figure.

Every indicator is computed set-based for all the children of a region at once: one query
grouped by the first characters of the village code (the child's prefix), never a loop over
households (docs/decisions/0020).
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance import choices as ac
from fupin.assistance.models import Measure
from fupin.core.errors import NotFound, Refused
from fupin.monitoring import choices as mc
from fupin.monitoring.models import Case, CaseStep
from fupin.oversight.choices import Indicator, Status
from fupin.oversight.models import Scorecard
from fupin.pairing.models import Pairing
from fupin.pairing.selectors import rounds_progress_by_region, visit_compliance_by_region
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.regions.selectors import region_children, region_get
from fupin.registry.choices import SupportCategory
from fupin.registry.models import Household, Person, category_q

VIEW = "oversight.view_scorecard"
CLOSE = "oversight.close_scorecard"
WEIGHTS_KEY = "assessment.weights"
SCORE_PLACES = Decimal("0.0001")
TOTAL_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figure:
    """One indicator of one region: what was measured, what met it, the value and the score.

    `count` is the denominator (households, cases, targets); `hits` the numerator (None for the
    median); `value` the ratio or the median days; `score` in [0, 1], None when there is no data.
    """

    count: int = 0
    hits: int | None = None
    value: Decimal | None = None
    score: Decimal | None = None

    def as_json(self) -> dict:
        """Return the figure as stored in a snapshot (decimals as text)."""
        return {
            "count": self.count,
            "hits": self.hits,
            "value": None if self.value is None else str(self.value),
            "score": None if self.score is None else str(self.score),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Figure":
        """Return the figure of a snapshot."""

        def number(text):
            return None if text is None else Decimal(text)

        return cls(data["count"], data["hits"], number(data["value"]), number(data["score"]))


NO_DATA = Figure()


@dataclass
class Row:
    """One ranked region of a scorecard."""

    region: str
    name: str
    level: int
    figures: dict[str, Figure]
    total: Decimal | None = None
    rank: int | None = None


@dataclass
class ScorecardData:
    """A scorecard of a region's children for a period, live or frozen."""

    region: Region
    start: dt.date
    end: dt.date
    as_of: dt.date
    status: str
    weights: dict[str, Decimal]
    targets: dict[str, Decimal]
    rows: list[Row]
    snapshot: Scorecard | None = None

    @property
    def indicators(self) -> list[dict]:
        """Return the indicators in order with their labels and weights."""
        return [
            {"key": i.value, "label": i.label, "weight": self.weights.get(i.value, Decimal(0))}
            for i in Indicator
        ]


def ratio(hits: int, count: int) -> Decimal | None:
    """Return hits / count rounded to four places, None when nothing was measured."""
    if not count:
        return None
    return (Decimal(hits) / Decimal(count)).quantize(SCORE_PLACES, ROUND_HALF_UP)


def days_score(median: Decimal | None, target: Decimal) -> Decimal | None:
    """Return the score of a median number of days: 1 up to the target, then target / median."""
    if median is None:
        return None
    if median <= target:
        return Decimal(1).quantize(SCORE_PLACES)
    return (target / median).quantize(SCORE_PLACES, ROUND_HALF_UP)


def total_score(figures: dict[str, Figure], weights: dict[str, Decimal]) -> Decimal | None:
    """Return Σ weight × score out of 100 over the indicators with data (their weights rescaled).

    With weights summing to 100 and every indicator measured this is Σ weight × score; an
    indicator with no data leaves the total, and the others' weights are rescaled to 100.
    """
    scored = [
        (weights.get(k, Decimal(0)), f.score) for k, f in figures.items() if f.score is not None
    ]
    weight_sum = sum((w for w, _s in scored), Decimal(0))
    if not scored or not weight_sum:
        return None
    points = sum((w * s for w, s in scored), Decimal(0))
    return (HUNDRED * points / weight_sum).quantize(TOTAL_PLACES, ROUND_HALF_UP)


def rank_rows(rows: list[Row]) -> list[Row]:
    """Rank rows by total, best first; equal totals share a rank ("1, 2, 2, 4"); no total, no rank.

    Rows are returned ranked first (ties by region code), then the unranked by code.
    """
    ranked = sorted((r for r in rows if r.total is not None), key=lambda r: (-r.total, r.region))
    for index, row in enumerate(ranked):
        row.rank = (
            ranked[index - 1].rank if index and row.total == ranked[index - 1].total else index + 1
        )
    unranked = sorted((r for r in rows if r.total is None), key=lambda r: r.region)
    for row in unranked:
        row.rank = None
    return ranked + unranked


def weights_get(*, region_code: str, on: dt.date) -> dict[str, Decimal]:
    """Return the indicator weights in force for the region on the date (missing names weigh 0)."""
    weights = policy_get(WEIGHTS_KEY, region_code=region_code, on=on)
    unknown = sorted(set(weights) - set(Indicator.values))
    if unknown:
        raise Refused(
            "unknown_indicator",
            _("考核权重中有未知的指标"),
            {"key": WEIGHTS_KEY, "unknown": unknown, "known": list(Indicator.values)},
        )
    return {key: Decimal(weights.get(key, 0)) for key in Indicator.values}


def days_target(*, region_code: str, on: dt.date) -> Decimal:
    """Return the target days from opening a case to the county decision: check plus decision."""
    return Decimal(
        int(policy_get("monitoring.verify_days", region_code=region_code, on=on))
        + int(policy_get("monitoring.decide_days", region_code=region_code, on=on))
    )


def period_check(start: dt.date, end: dt.date) -> None:
    """Refuse a period that ends before it starts."""
    if end < start:
        raise Refused(
            "invalid_period",
            _("考核期结束日期不能早于开始日期"),
            {
                "fields": {"end": _("结束日期不能早于开始日期")},
                "start": str(start),
                "end": str(end),
            },
        )


# The indicators, each for every child of a parent prefix at once -----------------------------------


def _grouped(rows) -> dict[str, tuple[int, int]]:
    return {prefix: (n, hits) for prefix, n, hits in rows}


def pairing_figures(*, prefix: str, width: int, on: dt.date) -> dict[str, tuple[int, int]]:
    """Return (needing, covered) by child prefix: households needing a cadre, and those paired on the date."""
    from fupin.pairing.services import needing_q

    helped = Pairing.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on),
        household=OuterRef("pk"),
        cadre__active=True,
        start_date__lte=on,
    )
    return _grouped(
        Household.objects.filter(needing_q(), village__code__startswith=prefix)
        .annotate(p=Substr("village_id", 1, width))
        .values("p")
        .annotate(n=Count("pk"), hits=Count("pk", filter=Q(Exists(helped))))
        .values_list("p", "n", "hits")
        .order_by()
    )


def plan_figures(*, prefix: str, width: int, on: dt.date) -> dict[str, tuple[int, int]]:
    """Return (monitored, with a measure) by child prefix: monitored households whose plan has one."""
    measured = Measure.objects.filter(
        plan__household=OuterRef("pk"),
        status__in=ac.LIVE_STATUSES,
        created_at__date__lte=on,
    )
    return _grouped(
        Household.objects.filter(
            category_q(SupportCategory.MONITORED), village__code__startswith=prefix
        )
        .annotate(p=Substr("village_id", 1, width))
        .values("p")
        .annotate(n=Count("pk"), hits=Count("pk", filter=Q(Exists(measured))))
        .values_list("p", "n", "hits")
        .order_by()
    )


def decided_cases(*, prefix: str, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Return the cases the county decided (passed or rejected) in the period, with their due date.

    `decision_due` is the due date the case carried while it waited for the county decision
    (its last history row at that stage); `decided_on` the local date of the decision.
    """
    by_county = CaseStep.objects.filter(
        case=OuterRef("pk"), from_stage=mc.Stage.COUNTY_DECIDE, to_stage=mc.Stage.CLOSED
    )
    due = (
        Case.history.filter(id=OuterRef("pk"), stage=mc.Stage.COUNTY_DECIDE)
        .exclude(due_date=None)
        .order_by("-history_date", "-history_id")
        .values("due_date")[:1]
    )
    return Case.objects.filter(
        Exists(by_county),
        village__code__startswith=prefix,
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    ).annotate(decision_due=Subquery(due), decided_on=TruncDate("decided_at"))


def ontime_figures(*, prefix: str, width: int, start: dt.date, end: dt.date):
    """Return (decided with a due date, decided on or before it) by child prefix."""
    return _grouped(
        decided_cases(prefix=prefix, start=start, end=end)
        .annotate(p=Substr("village_id", 1, width))
        .values("p")
        .annotate(
            n=Count("pk", filter=Q(decision_due__isnull=False)),
            hits=Count("pk", filter=Q(decision_due__gte=F("decided_on"))),
        )
        .values_list("p", "n", "hits")
        .order_by()
    )


def days_figures(*, prefix: str, width: int, start: dt.date, end: dt.date):
    """Return (decided, median days from opening to the decision) by child prefix.

    One query reads the days of the cases decided in the period (cases, not households); the
    median of each child is taken from that list, as SQLite has no median aggregate.
    """
    days: dict[str, list[int]] = defaultdict(list)
    for p, n in (
        decided_cases(prefix=prefix, start=start, end=end)
        .exclude(days_to_decision=None)
        .annotate(p=Substr("village_id", 1, width))
        .values_list("p", "days_to_decision")
        .order_by()
    ):
        days[p].append(n)
    return {
        p: (len(values), Decimal(str(statistics.median(values))).quantize(Decimal("0.1")))
        for p, values in days.items()
    }


def _by_prefix(data: dict, width: int) -> dict[str, tuple[int, int]]:
    return {code[:width]: (int(n), int(hits)) for code, (n, hits) in data.items()}


def scorecard_compute(
    *, region: Region, start: dt.date, end: dt.date, today: dt.date | None = None
) -> ScorecardData:
    """Compute the scorecard of the region's children for the period from the data as it stands.

    Figures "at the period end" are taken on the end date, or today while the period runs.
    """
    period_check(start, end)
    today = today or timezone.localdate()
    on = min(end, today)
    children = list(region_children(region=region))
    width = len(children[0].prefix) if children else len(region.prefix)
    weights = weights_get(region_code=region.code, on=on)
    target = days_target(region_code=region.code, on=on)
    prefix = region.prefix

    ratios: dict[str, dict[str, tuple[int, int]]] = {
        Indicator.PAIRING: pairing_figures(prefix=prefix, width=width, on=on),
        Indicator.ONTIME: ontime_figures(prefix=prefix, width=width, start=start, end=end),
        Indicator.PLANS: plan_figures(prefix=prefix, width=width, on=on),
        Indicator.VISITS: _by_prefix(
            visit_compliance_by_region(parent_code=region.code, on=on), width
        ),
        Indicator.ROUNDS: _by_prefix(
            rounds_progress_by_region(parent_code=region.code, start=start, end=end), width
        ),
    }
    days = days_figures(prefix=prefix, width=width, start=start, end=end)

    rows = []
    for child in children:
        key = child.prefix[:width]
        figures: dict[str, Figure] = {}
        for indicator in Indicator:
            if indicator == Indicator.DAYS:
                n, median = days.get(key, (0, None))
                figures[indicator] = Figure(n, None, median, days_score(median, target))
            else:
                n, hits = ratios[indicator].get(key, (0, 0))
                value = ratio(hits, n)
                figures[indicator] = Figure(n, hits, value, value)
        rows.append(
            Row(
                child.code,
                child.name,
                child.level,
                figures,
                total_score(figures, weights),
            )
        )
    return ScorecardData(
        region=region,
        start=start,
        end=end,
        as_of=on,
        status=Status.LIVE,
        weights=weights,
        targets={Indicator.DAYS.value: target},
        rows=rank_rows(rows),
    )


def scorecard_frozen(*, snapshot: Scorecard) -> ScorecardData:
    """Return a closed period's scorecard exactly as it was published."""
    rows = [
        Row(
            row.region_id,
            row.region.name,
            row.region.level,
            {k: Figure.from_json(v) for k, v in row.figures.items()},
            row.total,
            row.rank,
        )
        for row in snapshot.rows.select_related("region")
    ]
    ranked = sorted((r for r in rows if r.rank is not None), key=lambda r: (r.rank, r.region))
    unranked = sorted((r for r in rows if r.rank is None), key=lambda r: r.region)
    return ScorecardData(
        region=snapshot.region,
        start=snapshot.start,
        end=snapshot.end,
        as_of=snapshot.as_of,
        status=Status.CLOSED,
        weights={k: Decimal(v) for k, v in snapshot.weights.items()},
        targets={k: Decimal(v) for k, v in snapshot.targets.items()},
        rows=ranked + unranked,
        snapshot=snapshot,
    )


def scorecard_region(*, user, code: str | None) -> Region:
    """Return the region whose children the user asks to see ranked (their own by default)."""
    if not user.has_perm(VIEW):
        raise NotFound("region", {"code": code})
    if code:
        region = region_get(user=user, code=code)
    else:
        region = getattr(user, "region", None)
        if region is None:
            raise NotFound("region", {"code": code})
    if region.level == Level.VILLAGE:
        raise Refused("no_children", _("村没有下级区划可以考核"), {"region": region.code})
    return region


def scorecard_get(*, user, region_code: str | None, start: dt.date, end: dt.date) -> ScorecardData:
    """Return the scorecard of a region in the user's scope: frozen when closed, else live."""
    region = scorecard_region(user=user, code=region_code)
    period_check(start, end)
    snapshot = (
        Scorecard.objects.filter(region=region, start=start, end=end)
        .select_related("region", "closed_by")
        .first()
    )
    if snapshot is not None:
        return scorecard_frozen(snapshot=snapshot)
    return scorecard_compute(region=region, start=start, end=end)


def scorecard_list(*, user) -> QuerySet[Scorecard]:
    """Return the closed scorecards of the user's scope, the latest period first."""
    return (
        Scorecard.objects.restrict(user)
        .select_related("region", "closed_by")
        .annotate(regions=Count("rows"))
        .order_by("-end", "-start", "region_id")
    )


def can_close(*, user, region: Region) -> bool:
    """Tell whether the user may close the scorecard of the region: their own city or county."""
    return (
        user.has_perm(CLOSE)
        and getattr(user, "region_id", None) == region.code
        and region.level in (Level.CITY, Level.COUNTY)
    )


# The records behind a figure -------------------------------------------------------------------


def records_households(*, user, indicator: str, region: Region, on: dt.date, missing: bool):
    """Return the households behind a pairing or plan figure of a region, the ones missing first.

    Each household carries `met`: paired on the date (pairing) or with a measure (plans).
    """
    from fupin.pairing.services import needing_q

    if indicator == Indicator.PAIRING:
        base = needing_q()
        met = Pairing.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=on),
            household=OuterRef("pk"),
            cadre__active=True,
            start_date__lte=on,
        )
    else:
        base = category_q(SupportCategory.MONITORED)
        met = Measure.objects.filter(
            plan__household=OuterRef("pk"),
            status__in=ac.LIVE_STATUSES,
            created_at__date__lte=on,
        )
    head = Person.objects.filter(household=OuterRef("pk"), relation="head", left_on__isnull=True)
    rows = (
        Household.objects.restrict(user)
        .filter(base, village__code__startswith=region.prefix)
        .annotate(met=Exists(met), head_name=Subquery(head.values("name")[:1]))
        .select_related("village")
    )
    if missing:
        rows = rows.filter(met=False)
    return rows.order_by("met", "household_no")


def records_cases(*, user, region: Region, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Return the cases the county decided in the period in a region, in the order decided."""
    return (
        decided_cases(prefix=region.prefix, start=start, end=end)
        .filter(pk__in=Case.objects.restrict(user).values("pk"))
        .select_related("village", "household")
        .order_by("decided_at", "id")
    )
