"""Reads of pairing, always within the user's scope: coverage, units, cadres, a household's cadres."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from fupin.core.errors import NotFound
from fupin.pairing.models import AidUnit, AllocationRun, Cadre, Pairing
from fupin.policy.selectors import policy_get
from fupin.regions.models import Region
from fupin.regions.selectors import region_children, region_get
from fupin.registry.models import Household

VIEW = "pairing.view_pairing"
ALLOCATE = "pairing.allocate_pairing"
FIGURES = ("needing", "covered", "uncovered", "cadres_active", "cadres_over_capacity")


def _visible_region(*, user, code: str | None) -> Region:
    if not user.has_perm(VIEW):
        raise NotFound("region", {"code": code})
    if code:
        return region_get(user=user, code=code)
    region = getattr(user, "region", None)
    if region is None:
        raise NotFound("region", {"code": code})
    return region


def coverage(*, user, region_code: str | None = None) -> dict:
    """Return the coverage figures of a region in the user's scope and of each child region.

    Needing: households of a category that must have a cadre; covered: those with at least one
    active pairing with an active cadre; cadres are counted in the region of their unit.
    """
    from fupin.pairing.services import CAPACITY_KEY, needing_q

    region = _visible_region(user=user, code=region_code)
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
    if not user.has_perm(VIEW):
        return AidUnit.objects.none()
    return (
        AidUnit.objects.restrict(user)
        .select_related("region")
        .annotate(cadres_active=Count("cadres", filter=Q(cadres__active=True)))
        .order_by("region_id", "name")
    )


def cadre_list(*, user) -> QuerySet[Cadre]:
    """Return the cadres of the user's scope with their number of active pairings."""
    if not user.has_perm(VIEW):
        return Cadre.objects.none()
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
    if not user.has_perm(VIEW):
        return AllocationRun.objects.none()
    return AllocationRun.objects.restrict(user).select_related("region", "actor")[:limit]
