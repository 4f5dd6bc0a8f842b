"""Reads of pairing, always within the user's scope: coverage, units, cadres, a household's cadres."""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.db.models.lookups import GreaterThanOrEqual, IsNull
from django.utils import timezone

from fupin.accounts.choices import Position
from fupin.accounts.models import User
from fupin.core.errors import NotFound
from fupin.pairing.models import AidUnit, AllocationRun, Cadre, Pairing, RoundVisit, Visit
from fupin.policy.keys import policy_key
from fupin.policy.models import PolicyValue
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.regions.selectors import region_children, region_visible
from fupin.registry.choices import CATEGORIES_NEEDING_CADRE
from fupin.registry.models import Household, Person, category_q

VIEW = "pairing.view_pairing"
ALLOCATE = "pairing.allocate_pairing"
FIGURES = ("needing", "covered", "uncovered", "cadres_active", "cadres_over_capacity")


def coverage(*, user, region_code: str | None = None) -> dict:
    """Return the coverage figures of a region in the user's scope and of each child region.

    Needing: households of a category that must have a cadre; covered: those with at least one
    active pairing with an active cadre; cadres are counted in the region of their unit.
    """
    from fupin.pairing.services import CAPACITY_KEY, needing_q

    region = region_visible(user=user, code=region_code, perm=VIEW)
    children = list(region_children(region=region))
    width = len(children[0].prefix) if children else len(region.code)
    capacity = int(policy_get(CAPACITY_KEY, region_code=region.code, on=timezone.localdate()))
    figures: dict[str, dict[str, int]] = {}

    def add(prefix: str, name: str, n: int) -> None:
        figures.setdefault(prefix, dict.fromkeys(FIGURES, 0))[name] += n

    helped = Pairing.objects.filter(
        household=OuterRef("pk"), end_date__isnull=True, cadre__active=True
    )
    rows = (
        Household.objects.filter(needing_q(), village__code__startswith=region.prefix)
        .annotate(p=Substr("village_id", 1, width))
        .values("p")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(Exists(helped))))
        .values_list("p", "n", "covered")
        .order_by()
    )
    for prefix, n, covered in rows:
        add(prefix, "needing", n)
        add(prefix, "covered", covered)
        add(prefix, "uncovered", n - covered)
    cadres = Cadre.objects.filter(active=True, unit__region__code__startswith=region.prefix)
    for prefix, n in (
        cadres.annotate(p=Substr("unit__region_id", 1, width))
        .values("p")
        .annotate(n=Count("pk"))
        .values_list("p", "n")
        .order_by()
    ):
        add(prefix, "cadres_active", n)
    for unit_region, _n in (
        Pairing.objects.filter(end_date__isnull=True, cadre__in=cadres)
        .values("cadre_id", "cadre__unit__region_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=capacity)
        .values_list("cadre__unit__region_id", "n")
        .order_by()
    ):
        add(unit_region[:width], "cadres_over_capacity", 1)

    total = dict.fromkeys(FIGURES, 0)
    for values in figures.values():
        for name in FIGURES:
            total[name] += values[name]
    empty = dict.fromkeys(FIGURES, 0)
    return {
        "region": region.code,
        **total,
        "children": [
            {"region": child.code, **figures.get(child.prefix[:width], empty)} for child in children
        ],
    }


def coverage_names(*, codes: list[str]) -> dict[str, str]:
    """Return the names of regions by code."""
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def unit_list(*, user) -> QuerySet[AidUnit]:
    """Return the aid units of the user's scope with their number of active cadres."""
    return (
        AidUnit.objects.restrict(user)
        .select_related("region")
        .annotate(cadres_active=Count("cadres", filter=Q(cadres__active=True)))
        .order_by("region_id", "name")
    )


def cadre_list(*, user) -> QuerySet[Cadre]:
    """Return the cadres of the user's scope with their number of active pairings."""
    return (
        Cadre.objects.restrict(user)
        .select_related("unit")
        .annotate(households=Count("pairings", filter=Q(pairings__end_date__isnull=True)))
        .order_by("unit__region_id", "unit__name", "id")
    )


def household_cadres(*, household: Household) -> list[Cadre]:
    """Return the active cadres paired with a household (the caller has checked its scope)."""
    return list(
        Cadre.objects.filter(
            active=True, pairings__household=household, pairings__end_date__isnull=True
        )
        .select_related("unit")
        .order_by("id")
    )


def allocation_runs(*, user, limit: int = 10) -> QuerySet[AllocationRun]:
    """Return the latest allocation runs of the user's scope."""
    return AllocationRun.objects.restrict(user).select_related("region", "actor")[:limit]


# -- visits (走访) ------------------------------------------------------------------------------

VISIT_DAYS_KEY = "pairing.visit_days.{category}"


def _policy_zones(key: str, *, region: Region, on: dt.date) -> list[tuple[str, int]]:
    """Return (code prefix, value) of a key over a region: overrides below it first, most specific
    first, and last ("", the value in force for the region itself)."""
    definition = policy_key(key)
    base = int(policy_get(key, region_code=region.code, on=on))
    best: dict[str, tuple] = {}
    for code, prefix, value, valid_from, pk in (
        PolicyValue.objects.filter(
            key=key, valid_from__lte=on, region__code__startswith=region.prefix
        )
        .exclude(region_id=region.code)
        .values_list("region_id", "region__prefix", "value", "valid_from", "pk")
    ):
        if code not in best or (valid_from, pk) > best[code][:2]:
            best[code] = (valid_from, pk, prefix, value)
    zones = sorted(
        ((prefix, int(definition.parse(value))) for _d, _pk, prefix, value in best.values()),
        key=lambda zone: (-len(zone[0]), zone[0]),
    )
    return [*zones, ("", base)]


def visit_days(*, region: Region, on: dt.date) -> dict[str, list[tuple[str, int]]]:
    """Return the visit frequency zones of each category needing a cadre over a region."""
    return {
        category: _policy_zones(VISIT_DAYS_KEY.format(category=category), region=region, on=on)
        for category in CATEGORIES_NEEDING_CADRE
    }


def _cutoff(*, region: Region, on: dt.date) -> Case:
    """Return the expression of a household's earliest visit date that is still on time on `on`."""
    whens = []
    for category, zones in visit_days(region=region, on=on).items():
        for prefix, days in zones:
            condition = category_q(category)
            if prefix:
                condition &= Q(village__code__startswith=prefix)
            whens.append(When(condition, then=Value(on - dt.timedelta(days=days))))
    return Case(*whens, default=Value(None), output_field=DateField())


def _on_time_q(on: dt.date) -> Q:
    """Return the condition, on households annotated with `cutoff`, of not being overdue on `on`.

    On time: a visit on or after the cutoff (and not after `on`); or never visited, paired with a
    cadre on `on`, and every pairing in force then started on or after the cutoff (docs/decisions/0017).
    The subqueries give dates and the comparison with `cutoff` is made outside them: PostgreSQL
    cannot see an annotation's alias from inside a subquery of an aggregate. No part is NULL, so
    that excluding the condition keeps the overdue households.
    """
    visits = Visit.objects.filter(household=OuterRef("pk"), visited_on__lte=on)
    in_force = Pairing.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on), household=OuterRef("pk"), start_date__lte=on
    )
    last_visit = Subquery(visits.order_by("-visited_on").values("visited_on")[:1])
    first_start = Subquery(in_force.order_by("start_date").values("start_date")[:1])
    cutoff = F("cutoff")
    visited_in_time = (
        Q(IsNull(cutoff, False))
        & Q(IsNull(last_visit, False))
        & Q(GreaterThanOrEqual(last_visit, cutoff))
    )
    paired_since = Q(IsNull(cutoff, True)) | Q(GreaterThanOrEqual(first_start, cutoff))
    return visited_in_time | (~Q(Exists(visits)) & Q(Exists(in_force)) & paired_since)


def _needing(*, region: Region, on: dt.date) -> QuerySet[Household]:
    from fupin.pairing.services import needing_q

    return Household.objects.filter(needing_q(), village__code__startswith=region.prefix).annotate(
        cutoff=_cutoff(region=region, on=on)
    )


def _region_or_404(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound("region", {"code": code}) from None


def _by_child(region: Region, rows) -> dict[str, tuple[int, int]]:
    """Map (child prefix, a, b) rows onto the child regions' codes."""
    children = {child.prefix: child.code for child in region_children(region=region)}
    return {children[prefix]: (a, b) for prefix, a, b in rows if prefix in children}


def _child_width(region: Region) -> int | None:
    child = region_children(region=region).first()
    return len(child.prefix) if child else None


def visit_compliance_by_region(*, parent_code: str, on: dt.date) -> dict[str, tuple[int, int]]:
    """Return, for each child region of the parent, (households needing a cadre, of which not
    overdue on `on`); children without such households are left out. Not scoped: callers check."""
    region = _region_or_404(parent_code)
    width = _child_width(region)
    if width is None:
        return {}
    rows = (
        _needing(region=region, on=on)
        .annotate(p=Substr("village_id", 1, width))
        .values("p")
        .annotate(n=Count("pk"), ok=Count("pk", filter=_on_time_q(on)))
        .values_list("p", "n", "ok")
        .order_by()
    )
    return _by_child(region, rows)


def visit_compliance(*, user, region_code: str | None = None, on: dt.date | None = None) -> dict:
    """Return needing / on time / overdue households of a region in scope and of each child."""
    region = region_visible(user=user, code=region_code, perm=VIEW)
    on = on or timezone.localdate()
    by_child = visit_compliance_by_region(parent_code=region.code, on=on)
    children = []
    for child in region_children(region=region):
        needing, on_time = by_child.get(child.code, (0, 0))
        children.append(
            {
                "region": child.code,
                "name": child.name,
                "needing": needing,
                "on_time": on_time,
                "overdue": needing - on_time,
            }
        )
    if children:
        needing = sum(child["needing"] for child in children)
        on_time = sum(child["on_time"] for child in children)
    else:  # a village: count it directly
        figures = _needing(region=region, on=on).aggregate(
            n=Count("pk"), ok=Count("pk", filter=_on_time_q(on))
        )
        needing, on_time = figures["n"], figures["ok"]
    return {
        "region": region.code,
        "name": region.name,
        "on": on,
        "needing": needing,
        "on_time": on_time,
        "overdue": needing - on_time,
        "children": children,
    }


def _last_visit(on: dt.date) -> Subquery:
    return Subquery(
        Visit.objects.filter(household=OuterRef("pk"), visited_on__lte=on)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def overdue_households(
    *, user, region_code: str | None = None, on: dt.date | None = None
) -> QuerySet[Household]:
    """Return the households of a region in scope that are overdue for a visit on the date, with
    their last visit date (`last_visit`), longest unvisited first."""
    region = region_visible(user=user, code=region_code, perm=VIEW)
    on = on or timezone.localdate()
    return (
        _needing(region=region, on=on)
        .filter(pk__in=Household.objects.restrict(user).values("pk"))
        .exclude(_on_time_q(on))
        .annotate(last_visit=_last_visit(on))
        .select_related("village")
        .order_by(F("last_visit").asc(nulls_first=True), "village_id", "household_no")
    )


def overdue_by_cadre(
    *, user, region_code: str | None = None, on: dt.date | None = None
) -> QuerySet[Cadre]:
    """Return the cadres with overdue paired households in a region, with `households` and
    `overdue` counts, most overdue first."""
    overdue = overdue_households(user=user, region_code=region_code, on=on)
    return (
        Cadre.objects.filter(
            pairings__end_date__isnull=True, pairings__household__in=overdue.values("pk")
        )
        .annotate(overdue=Count("pairings", distinct=True))
        .select_related("unit")
        .order_by("-overdue", "id")
    )


@dataclass
class MyHousehold:
    """A household paired with the cadre: its last visit and whether it is overdue."""

    household: Household
    last_visit: dt.date | None
    overdue: bool
    head_name: str


def cadre_of(user) -> Cadre | None:
    """Return the active cadre linked to a login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Cadre.objects.filter(user=user, active=True).select_related("unit").first()


def my_households(*, user, on: dt.date | None = None) -> list[MyHousehold]:
    """Return the households paired with the user's cadre, overdue first, then by number."""
    cadre = cadre_of(user)
    if cadre is None or user.region is None:
        return []
    on = on or timezone.localdate()
    rows = (
        Household.objects.restrict(user)
        .filter(pairings__cadre=cadre, pairings__end_date__isnull=True)
        .annotate(cutoff=_cutoff(region=user.region, on=on))
        .annotate(
            last_visit=_last_visit(on),
            on_time=ExpressionWrapper(_on_time_q(on), output_field=BooleanField()),
            head_name=head_name(),
        )
        .select_related("village")
        .order_by("household_no")
        .distinct()
    )
    items = [
        MyHousehold(
            household=h,
            last_visit=h.last_visit,
            overdue=h.cutoff is not None and not h.on_time,
            head_name=h.head_name or "",
        )
        for h in rows
    ]
    items.sort(key=lambda item: (not item.overdue, item.household.household_no))
    return items


def head_name(household_ref: str = "pk") -> Subquery:
    """Return the name of the active head of the household at `household_ref`, as a subquery."""
    return Subquery(
        Person.objects.filter(
            household=OuterRef(household_ref), relation="head", left_on__isnull=True
        ).values("name")[:1]
    )


# Meta.ordering is not applied to a query with an aggregate (photo counts): say it each time.
NEWEST_FIRST = ("-visited_at", "-id")


def visit_list(*, user, household: Household, limit: int = 50) -> QuerySet[Visit]:
    """Return a household's visits, newest first (the caller has checked its scope)."""
    return (
        Visit.objects.restrict(user)
        .filter(household=household)
        .select_related("cadre", "recorded_by")
        .annotate(photo_count=Count("photos"))
        .order_by(*NEWEST_FIRST)[:limit]
    )


def cadre_recent_visits(*, cadre: Cadre, limit: int = 20) -> QuerySet[Visit]:
    """Return a cadre's latest visits, newest first, with the head's name and the photo count."""
    return (
        Visit.objects.filter(cadre=cadre)
        .select_related("household__village")
        .annotate(photo_count=Count("photos"), head_name=head_name("household_id"))
        .order_by(*NEWEST_FIRST)[:limit]
    )


def visit_get(*, user, visit_id: int) -> Visit:
    """Return one visit in the user's scope, or raise NotFound."""
    return Visit.objects.select_related("household", "cadre").get_restricted(user, pk=visit_id)


# -- leaders' rounds (遍访) ---------------------------------------------------------------------

REGION_TARGETS = {Position.CITY_SECRETARY: Level.TOWN, Position.COUNTY_SECRETARY: Level.VILLAGE}
HOUSEHOLD_TARGETS = (Position.TOWN_SECRETARY, Position.VILLAGE_SECRETARY)
LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWN, Level.VILLAGE)


@dataclass
class LeaderProgress:
    """A leader's round targets and how many were visited in the period."""

    leader_id: int
    name: str
    position: str
    region_code: str
    targets: int
    visited: int

    @property
    def share(self) -> float:
        """Return the share of targets visited (1 when there is none to visit)."""
        return self.visited / self.targets if self.targets else 1.0


def _counts_by_prefix(rows) -> dict[str, int]:
    """Sum (code, n) rows onto every prefix of the code at each region level."""
    counts: dict[str, int] = {}
    for code, n in rows:
        for level in LEVELS:
            key = code[:level]
            counts[key] = counts.get(key, 0) + n
    return counts


def _round_visits(*, start: dt.date, end: dt.date):
    return RoundVisit.objects.filter(visited_on__gte=start, visited_on__lte=end)


def leader_progress(*, prefix: str, start: dt.date, end: dt.date) -> list[LeaderProgress]:
    """Return every leader under a code prefix with targets and targets visited in [start, end].

    City secretary: the key towns of their region; county secretary: its key villages; town and
    village secretaries: its households needing a cadre (today's categories). Not scoped.
    """
    from fupin.pairing.services import needing_q

    leaders = list(
        User.objects.filter(
            ~Q(position=""), is_active=True, region__isnull=False, region__code__startswith=prefix
        )
        .select_related("region")
        .order_by("region_id", "position", "id")
    )
    if not leaders:
        return []
    scope = prefix
    key_counts = {
        level: _counts_by_prefix(
            (code, 1)
            for code in Region.objects.filter(
                is_key=True, level=level, code__startswith=scope
            ).values_list("code", flat=True)
        )
        for level in (Level.TOWN, Level.VILLAGE)
    }
    household_counts = _counts_by_prefix(
        Household.objects.filter(needing_q(), village__code__startswith=scope)
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
        .order_by()
    )
    in_area = Q(region__code__startswith=F("leader__region__prefix"))
    visits = _round_visits(start=start, end=end).filter(leader__in=[x.pk for x in leaders])
    visited: dict[int, int] = {}
    region_rows = (
        visits.filter(in_area, household__isnull=True, region__is_key=True)
        .filter(
            reduce(
                or_,
                (
                    Q(leader__position=position, region__level=level)
                    for position, level in REGION_TARGETS.items()
                ),
            )
        )
        .values("leader_id")
        .annotate(n=Count("region", distinct=True))
        .values_list("leader_id", "n")
        .order_by()
    )
    household_rows = (
        visits.filter(
            in_area,
            leader__position__in=HOUSEHOLD_TARGETS,
            household__in=Household.objects.filter(needing_q()).values("pk"),
        )
        .values("leader_id")
        .annotate(n=Count("household", distinct=True))
        .values_list("leader_id", "n")
        .order_by()
    )
    for leader_id, n in [*region_rows, *household_rows]:
        visited[leader_id] = visited.get(leader_id, 0) + n
    result = []
    for leader in leaders:
        level = REGION_TARGETS.get(leader.position)
        counts = key_counts[level] if level else household_counts
        result.append(
            LeaderProgress(
                leader_id=leader.pk,
                name=leader.display_name or leader.username,
                position=leader.position,
                region_code=leader.region_id,
                targets=counts.get(leader.region.prefix, 0),
                visited=visited.get(leader.pk, 0),
            )
        )
    return result


def rounds_progress_by_region(
    *, parent_code: str, start: dt.date, end: dt.date
) -> dict[str, tuple[int, int]]:
    """Return, for each child region of the parent, (round targets of the leaders whose region
    lies in it, of which visited within [start, end]); children without leaders are left out."""
    region = _region_or_404(parent_code)
    children = {child.prefix: child.code for child in region_children(region=region)}
    if not children:
        return {}
    width = len(next(iter(children)))
    totals: dict[str, tuple[int, int]] = {}
    for row in leader_progress(prefix=region.prefix, start=start, end=end):
        code = children.get(row.region_code[:width])
        if code is None or row.region_code == region.code:
            continue
        targets, visited = totals.get(code, (0, 0))
        totals[code] = (targets + row.targets, visited + row.visited)
    return totals


def rounds_progress(*, user, region_code: str | None = None, start: dt.date, end: dt.date):
    """Return the leaders of a region in scope with their progress, least complete first."""
    region = region_visible(user=user, code=region_code, perm=VIEW)
    rows = leader_progress(prefix=region.prefix, start=start, end=end)
    return sorted(rows, key=lambda row: (row.share, row.region_code, row.leader_id))


@dataclass
class RoundTarget:
    """A target of a leader's rounds and the last round visit to it in the period."""

    kind: str  # "region" or "household"
    code: str  # region code, or household number
    name: str
    village_code: str
    last_visit: dt.date | None


def round_targets(*, user, start: dt.date, end: dt.date) -> list[RoundTarget]:
    """Return the leader's round targets with their last visit by them in [start, end]."""
    from fupin.pairing.services import needing_q

    region = getattr(user, "region", None)
    if not getattr(user, "position", "") or region is None:
        return []
    visits = _round_visits(start=start, end=end).filter(leader=user)
    level = REGION_TARGETS.get(user.position)
    if level:
        last = Subquery(
            visits.filter(region=OuterRef("code"), household__isnull=True)
            .order_by("-visited_on")
            .values("visited_on")[:1]
        )
        rows = (
            Region.objects.filter(is_key=True, level=level, code__startswith=region.prefix)
            .annotate(last=last)
            .order_by("code")
        )
        return [RoundTarget("region", r.code, r.name, r.code, r.last) for r in rows]
    last = Subquery(
        visits.filter(household=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    )
    rows = (
        Household.objects.filter(needing_q(), village__code__startswith=region.prefix)
        .annotate(last=last, head=head_name())
        .order_by("village_id", "household_no")
    )
    return [
        RoundTarget("household", h.household_no, h.head or "", h.village_id, h.last) for h in rows
    ]


def household_visit_status(*, household: Household, on: dt.date | None = None) -> dict:
    """Return a household's visit count, last visit and whether it is overdue (None: not needing)."""
    on = on or timezone.localdate()
    village = Region.objects.get(code=household.village_id)
    row = (
        _needing(region=village, on=on)
        .filter(pk=household.pk)
        .annotate(on_time=ExpressionWrapper(_on_time_q(on), output_field=BooleanField()))
        .values_list("on_time", flat=True)
        .first()
    )
    visits = Visit.objects.filter(household=household, visited_on__lte=on)
    return {
        "count": visits.count(),
        "last": visits.order_by("-visited_on").values_list("visited_on", flat=True).first(),
        "overdue": None if row is None else not row,
    }
