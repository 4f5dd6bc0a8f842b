"""Writes of pairing: units, cadres, village posts, pairings and the allocation of cadres."""

import datetime as dt
import heapq
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.choices import Role
from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from fupin.core.idempotency import key_read, replayed, saved_once
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import import_lock, keys_table, rows_insert, rows_update
from fupin.core.services import event_record, history_attribute
from fupin.core.uploads import IMAGES, upload_checked
from fupin.pairing import choices as c
from fupin.pairing.models import (
    AidUnit,
    AllocationRun,
    Cadre,
    Pairing,
    RoundVisit,
    UnitVillage,
    VillagePost,
    Visit,
    VisitPhoto,
)
from fupin.policy.selectors import policy_get
from fupin.regions.models import Region
from fupin.registry.choices import CATEGORIES_NEEDING_CADRE
from fupin.registry.models import Household, category_q

CAPACITY_KEY = "pairing.cadre_capacity"
# Households named in a run's list of the uncovered, at most (the counts are always complete).
UNCOVERED_LISTED = 5000
# Below this many keys a plain IN list is cheaper than a temporary table.
SMALL_SET = 500


def needing_q() -> Q:
    """Return the condition of a household that must have at least one active cadre."""
    return reduce(or_, (category_q(cat) for cat in CATEGORIES_NEEDING_CADRE))


def _region(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound("region", {"code": code}) from None


@transaction.atomic
def unit_add(*, name: str, level: str, region_code: str, actor=None, reason: str = "") -> AidUnit:
    """Register an aid unit (帮扶单位) of a region."""
    _level_check(level)
    unit = AidUnit(name=name.strip(), level=level, region=_region(region_code))
    history_attribute(unit, actor, reason)
    unit.save()
    event_record(actor=actor, verb="pairing.unit_added", obj=unit)
    return unit


def _level_check(level: str) -> None:
    if level not in c.UnitLevel.values:
        raise Refused("invalid_level", _("单位层级不正确"), {"level": level})


@transaction.atomic
def unit_update(*, unit: AidUnit, level: str, actor=None, reason: str = "") -> AidUnit:
    """Change the level of an aid unit."""
    _level_check(level)
    unit.level = level
    history_attribute(unit, actor, reason)
    unit.save(update_fields=["level"])
    event_record(actor=actor, verb="pairing.unit_updated", obj=unit, data={"level": level})
    return unit


@transaction.atomic
def unit_village_add(
    *,
    unit: AidUnit,
    village_code: str,
    start_date: dt.date,
    end_date=None,
    actor=None,
    reason: str = "",
) -> UnitVillage:
    """Pair a unit with a village (单位帮村) for a period."""
    link = UnitVillage(
        unit=unit, village=_region(village_code), start_date=start_date, end_date=end_date
    )
    history_attribute(link, actor, reason)
    link.save()
    event_record(actor=actor, verb="pairing.unit_village_added", obj=link)
    return link


@transaction.atomic
def cadre_add(
    *,
    name: str,
    id_number: str,
    unit: AidUnit,
    phone: str = "",
    position: str = "",
    active: bool = True,
    user=None,
    actor=None,
    reason: str = "",
) -> Cadre:
    """Register a cadre (帮扶责任人) of an aid unit; the ID number must be valid."""
    number = resident_id_parse(id_number).number
    if user is not None and user.role != Role.CADRE:
        raise Refused(
            "not_a_cadre_account",
            _("登录账号的角色应为帮扶责任人"),
            {"username": user.username, "role": user.role},
        )
    if Cadre.objects.filter(id_number=number).exists():
        raise Conflict("cadre_exists", _("该身份证号码的帮扶责任人已登记"), {})
    cadre = Cadre(
        name=name.strip(),
        id_number=number,
        unit=unit,
        phone=phone,
        position=position,
        active=active,
        user=user,
    )
    history_attribute(cadre, actor, reason)
    cadre.save()
    event_record(actor=actor, verb="pairing.cadre_added", obj=cadre)
    return cadre


CADRE_FIELDS = ("name", "phone", "unit_id", "position", "active")


@transaction.atomic
def cadre_update(*, cadre: Cadre, actor=None, reason: str = "", **values) -> bool:
    """Change a cadre's name, phone, unit, position or being in post; tell whether anything changed."""
    unknown = set(values) - set(CADRE_FIELDS)
    if unknown:
        raise Refused("invalid_field", _("不能修改这些字段"), {"fields": sorted(unknown)})
    changed = [k for k, v in values.items() if getattr(cadre, k) != v]
    if not changed:
        return False
    for key in changed:
        setattr(cadre, key, values[key])
    history_attribute(cadre, actor, reason)
    cadre.save(update_fields=changed)
    event_record(actor=actor, verb="pairing.cadre_updated", obj=cadre, data={"fields": changed})
    return True


@transaction.atomic
def cadre_set_active(*, cadre: Cadre, active: bool, actor=None, reason: str = "") -> Cadre:
    """Mark a cadre in post or gone; the next allocation ends a gone cadre's pairings."""
    cadre.active = active
    history_attribute(cadre, actor, reason)
    cadre.save(update_fields=["active"])
    event_record(
        actor=actor,
        verb="pairing.cadre_activated" if active else "pairing.cadre_left",
        obj=cadre,
        reason=reason,
    )
    return cadre


@transaction.atomic
def village_post_add(
    *,
    cadre: Cadre,
    village_code: str,
    role: str,
    start_date: dt.date,
    end_date=None,
    actor=None,
    reason: str = "",
) -> VillagePost:
    """Post a cadre to a village as first secretary or poverty officer for a period."""
    if role not in c.VillageRole.values:
        raise Refused("invalid_role", _("岗位不正确"), {"role": role})
    post = VillagePost(
        cadre=cadre,
        village=_region(village_code),
        role=role,
        start_date=start_date,
        end_date=end_date,
    )
    history_attribute(post, actor, reason)
    post.save()
    event_record(actor=actor, verb="pairing.village_post_added", obj=post)
    return post


@transaction.atomic
def pairing_add(
    *, cadre: Cadre, household: Household, start_date: dt.date | None = None, actor=None
) -> Pairing:
    """Pair a cadre with a household by hand (capacity is the allocation's concern)."""
    if Pairing.objects.active().filter(cadre=cadre, household=household).exists():
        raise Conflict("pairing_exists", _("该帮扶责任人已与该户结对"), {})
    pairing = Pairing(
        cadre=cadre, household=household, start_date=start_date or timezone.localdate()
    )
    history_attribute(pairing, actor)
    pairing.save()
    event_record(actor=actor, verb="pairing.added", obj=pairing)
    return pairing


@transaction.atomic
def pairing_end(*, pairing: Pairing, reason: str, on: dt.date | None = None, actor=None) -> Pairing:
    """End a pairing on a date with one of the end reasons."""
    if reason not in c.EndReason.values:
        raise Refused("invalid_end_reason", _("结束原因不正确"), {"reason": reason})
    if pairing.end_date:
        raise Conflict("pairing_ended", _("该结对已结束"), {})
    pairing.end_date = on or timezone.localdate()
    pairing.end_reason = reason
    history_attribute(pairing, actor, str(c.EndReason(reason).label))
    pairing.save(update_fields=["end_date", "end_reason"])
    event_record(actor=actor, verb="pairing.ended", obj=pairing, data={"reason": reason})
    return pairing


@transaction.atomic
def pairings_add(
    *, pairs: list[tuple[int, int, dt.date]], actor=None, reason: str = ""
) -> list[Pairing]:
    """Pair many (cadre id, household id, start date) at once: `pairing_add`'s check, history and events."""
    if not pairs:
        return []
    wanted = {(cadre, household) for cadre, household, _start in pairs}
    with ExitStack() as stack:
        households = sorted({household for _cadre, household in wanted})
        taken = wanted & set(
            Pairing.objects.active()
            .filter(_in("household_id", households, stack))
            .values_list("cadre_id", "household_id")
        )
    if taken or len(wanted) < len(pairs):
        raise Conflict("pairing_exists", _("该帮扶责任人已与该户结对"), {})
    last = last_pk(Pairing)
    now = timezone.now()
    rows_insert(
        Pairing._meta.db_table,
        ["cadre_id", "household_id", "start_date", "end_date", "end_reason", "created_at"],
        ((cadre, household, start, None, "", now) for cadre, household, start in pairs),
    )
    added = Pairing.objects.filter(pk__gt=last)
    history_bulk_record(queryset=added, history_type="+", actor=actor, reason=reason)
    created = list(added.order_by("pk"))
    for pairing in created:
        event_record(actor=actor, verb="pairing.added", obj=pairing)
    return created


@transaction.atomic
def pairings_end(
    *, endings: list[tuple[Pairing, dt.date, str]], actor=None, reason: str = ""
) -> int:
    """End many (pairing, date, end reason) at once: `pairing_end`'s checks, history and events.

    The history's reason is `reason`, or each end reason's label.
    """
    for pairing, _on, end_reason in endings:
        if end_reason not in c.EndReason.values:
            raise Refused("invalid_end_reason", _("结束原因不正确"), {"reason": end_reason})
        if pairing.end_date:
            raise Conflict("pairing_ended", _("该结对已结束"), {})
    rows_update(
        Pairing._meta.db_table,
        ["end_date", "end_reason"],
        [(on, end_reason, pairing.pk) for pairing, on, end_reason in endings],
    )
    by_reason: dict[str, list[int]] = {}
    for pairing, on, end_reason in endings:
        pairing.end_date, pairing.end_reason = on, end_reason
        by_reason.setdefault(end_reason, []).append(pairing.pk)
    for end_reason, ids in by_reason.items():
        with ExitStack() as stack:
            history_bulk_record(
                queryset=Pairing.objects.filter(_in("pk", ids, stack)),
                history_type="~",
                actor=actor,
                reason=reason or str(c.EndReason(end_reason).label),
            )
    for pairing, _on, end_reason in endings:
        event_record(actor=actor, verb="pairing.ended", obj=pairing, data={"reason": end_reason})
    return len(endings)


# -- allocation ------------------------------------------------------------------------------


@dataclass
class AllocationResult:
    """What an allocation kept, ended, added and left uncovered (and the run that stores it)."""

    region_code: str
    dry_run: bool
    needing: int = 0
    kept: int = 0
    ended: int = 0
    added: int = 0
    # [{"household_id", "household_no", "village_code", "reason"}] in household order.
    uncovered: list[dict] = field(default_factory=list)
    uncovered_count: int = 0
    # (household id, cadre id, tier) of each pairing added, in the order they were made.
    assignments: list[tuple[int, int, int]] = field(default_factory=list)
    # (pairing id, end reason) of each pairing ended.
    endings: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    run: AllocationRun | None = None

    def summary(self) -> str:
        """Return the one-line outcome."""
        return _("保留 %(kept)s，结束 %(ended)s，新增 %(added)s，仍未覆盖 %(uncovered)s") % {
            "kept": self.kept,
            "ended": self.ended,
            "added": self.added,
            "uncovered": self.uncovered_count,
        }


def _in(field_name: str, keys: list, stack) -> Q:
    """Return `field__in=keys`, through a temporary table when the keys are many."""
    if len(keys) <= SMALL_SET:
        return Q(**{f"{field_name}__in": keys})
    return Q(**{f"{field_name}__in": stack.enter_context(keys_table(keys, column_type="bigint"))})


def _cadre_scope(prefix: str) -> str:
    # Cadres come from the county (or the larger region) around the households.
    return prefix if len(prefix) <= 6 else prefix[:6]


@transaction.atomic
def pairing_allocate(
    *,
    region_code: str,
    actor=None,
    dry_run: bool = False,
    households: list[int] | None = None,
) -> AllocationResult:
    """End pairings no longer due, keep the rest, and give each uncovered household a cadre.

    Preference: a cadre of a unit paired with the household's village, then with a village of
    the same town, then a cadre of the same county; among equals the fewest households, then
    the lowest id. `households` (ids) limits the run to those households.
    """
    started = time.monotonic()
    region = _region(region_code)
    today = timezone.localdate()
    capacity = int(policy_get(CAPACITY_KEY, region_code=region.code, on=today))
    prefix = region.prefix
    scope = _cadre_scope(prefix)
    result = AllocationResult(region_code=region.code, dry_run=dry_run)
    if not dry_run:
        import_lock("pairing")

    with ExitStack() as stack:
        needing_qs = Household.objects.filter(needing_q(), village__code__startswith=prefix)
        pairing_qs = Pairing.objects.filter(
            end_date__isnull=True, household__village__code__startswith=prefix
        )
        if households is not None:
            ids = sorted({int(pk) for pk in households})
            needing_qs = needing_qs.filter(_in("pk", ids, stack))
            pairing_qs = pairing_qs.filter(_in("household_id", ids, stack))
        needing = list(needing_qs.order_by("pk").values_list("pk", "household_no", "village_id"))
        needing_ids = {pk for pk, _no, _village in needing}
        existing = list(
            pairing_qs.order_by("pk").values_list("pk", "cadre_id", "household_id", "cadre__active")
        )

        paired_units = UnitVillage.objects.current(today).filter(village__code__startswith=scope)
        links = list(paired_units.values_list("unit_id", "village_id"))
        candidates = Cadre.objects.filter(
            Q(unit__region__code__startswith=scope) | Q(unit_id__in=paired_units.values("unit_id")),
            active=True,
            unit__active=True,
        )
        cadres = list(candidates.order_by("pk").values_list("pk", "unit_id", "unit__region_id"))
        load = dict(
            Pairing.objects.filter(end_date__isnull=True, cadre__in=candidates)
            .values("cadre_id")
            .annotate(n=Count("pk"))
            .values_list("cadre_id", "n")
        )

    # Which pairings end, and which households stay covered.
    covered: set[int] = set()
    for pairing_id, cadre_id, household_id, cadre_active in existing:
        if household_id not in needing_ids:
            reason = c.EndReason.HOUSEHOLD_NO_LONGER_NEEDS.value
        elif not cadre_active:
            reason = c.EndReason.CADRE_LEFT.value
        else:
            covered.add(household_id)
            result.kept += 1
            continue
        result.endings.append((pairing_id, reason))
        if cadre_id in load:
            load[cadre_id] -= 1

    # Where each cadre may help: villages, towns and counties of its unit.
    unit_villages: dict[int, list[str]] = {}
    for unit_id, village in links:
        unit_villages.setdefault(unit_id, []).append(village)
    heaps: dict[tuple[int, str], list[tuple[int, int]]] = {}
    keys_of: dict[int, list[tuple[int, str]]] = {}
    counties_with_cadre: set[str] = set()
    unit_keys: dict[tuple[int, str], list] = {}
    for cadre_id, unit_id, unit_region in cadres:
        keys = unit_keys.get((unit_id, unit_region))
        if keys is None:
            villages = unit_villages.get(unit_id, ())
            counties = {v[:6] for v in villages} | {unit_region[:6]}
            counties_with_cadre |= counties
            keys = sorted(
                {(c.Tier.VILLAGE, v) for v in villages}
                | {(c.Tier.TOWN, v[:9]) for v in villages}
                | {(c.Tier.COUNTY, k) for k in counties}
            )
            unit_keys[unit_id, unit_region] = keys
        keys_of[cadre_id] = keys
        n = load.setdefault(cadre_id, 0)
        if n < capacity:
            for key in keys:
                heaps.setdefault(key, []).append((n, cadre_id))
    for heap in heaps.values():
        heapq.heapify(heap)

    def best(key) -> int | None:
        heap = heaps.get(key)
        while heap:
            n, cadre_id = heap[0]
            if n == load[cadre_id] and n < capacity:
                return cadre_id
            heapq.heappop(heap)  # stale (the cadre took another household since) or full
        return None

    for household_id, household_no, village in needing:
        if household_id in covered:
            continue
        chosen = None
        for tier, key in (
            (c.Tier.VILLAGE, village),
            (c.Tier.TOWN, village[:9]),
            (c.Tier.COUNTY, village[:6]),
        ):
            chosen = best((tier, key))
            if chosen is not None:
                break
        if chosen is None:
            reason = (
                c.UncoveredReason.NO_CAPACITY
                if village[:6] in counties_with_cadre
                else c.UncoveredReason.NO_CADRE
            )
            result.uncovered_count += 1
            if len(result.uncovered) < UNCOVERED_LISTED:
                result.uncovered.append(
                    {
                        "household_id": household_id,
                        "household_no": household_no,
                        "village_code": village,
                        "reason": reason.value,
                    }
                )
            continue
        load[chosen] += 1
        if load[chosen] < capacity:
            for key in keys_of[chosen]:
                heapq.heappush(heaps[key], (load[chosen], chosen))
        result.assignments.append((household_id, chosen, int(tier)))

    result.needing = len(needing)
    result.ended = len(result.endings)
    result.added = len(result.assignments)
    if not dry_run:
        _allocation_write(result, today=today, actor=actor)
    result.seconds = round(time.monotonic() - started, 2)
    result.run = AllocationRun.objects.create(
        region=region,
        actor=actor if getattr(actor, "pk", None) else None,
        dry_run=dry_run,
        households_only=households is not None,
        needing=result.needing,
        kept=result.kept,
        ended=result.ended,
        added=result.added,
        uncovered=result.uncovered_count,
        uncovered_list=result.uncovered,
        seconds=result.seconds,
    )
    event_record(
        actor=actor,
        verb="pairing.allocation_dry_run" if dry_run else "pairing.allocated",
        obj=result.run,
        data={
            "run": result.run.pk,
            "needing": result.needing,
            "kept": result.kept,
            "ended": result.ended,
            "added": result.added,
            "uncovered": result.uncovered_count,
            "households": households is not None,
        },
    )
    return result


def _allocation_write(result: AllocationResult, *, today: dt.date, actor) -> None:
    """Write the endings and the new pairings set-based, with their field history."""
    table = Pairing._meta.db_table
    if result.endings:
        rows_update(
            table,
            ["end_date", "end_reason"],
            [(today, reason, pk) for pk, reason in result.endings],
        )
        with ExitStack() as stack:
            ids = [pk for pk, _reason in result.endings]
            history_bulk_record(
                queryset=Pairing.objects.filter(_in("pk", ids, stack)),
                history_type="~",
                actor=actor,
                reason=_("结对分配：结束"),
            )
    if result.assignments:
        last = last_pk(Pairing)
        now = timezone.now()
        rows_insert(
            table,
            ["cadre_id", "household_id", "start_date", "end_date", "end_reason", "created_at"],
            (
                (cadre_id, household_id, today, None, "", now)
                for household_id, cadre_id, _tier in result.assignments
            ),
        )
        history_bulk_record(
            queryset=Pairing.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=_("结对分配：新增"),
        )


# -- visits (走访) and leaders' rounds (遍访) ----------------------------------------------------

VISIT_PHOTOS_KEY = "pairing.visit_photos"
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _when_and_where(visited_at, latitude, longitude) -> tuple[dt.datetime, dict[str, str]]:
    """Return the visit time (now when missing, aware) and the field errors of time and place."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if visited_at is None:
        visited_at = now
    elif timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    if visited_at > now + CLOCK_SKEW:
        errors["visited_at"] = _("走访时间不能晚于现在")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("经纬度应同时填写")
    elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = _("经纬度超出范围")
    return visited_at, errors


def _rounded(value):
    from decimal import Decimal

    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


def _visit_replayed(key: str, *, household: Household, actor) -> Visit | None:
    """Return the visit already saved under a key, or refuse a key reused for another visit."""
    return replayed(
        Visit.objects.filter(idempotency_key=key),
        same=lambda visit: visit.household_id == household.pk and visit.recorded_by_id == actor.pk,
        what=_("走访记录"),
    )


@transaction.atomic
def visit_record(
    *,
    household: Household,
    idempotency_key: str,
    actor,
    visited_at: dt.datetime | None = None,
    found: str = "",
    done: str = "",
    problems: str = "",
    problems_solved: bool = False,
    latitude=None,
    longitude=None,
    cadre_id: int | None = None,
) -> tuple[Visit, bool]:
    """Record a cadre's visit to a paired household once per key; return (visit, created).

    A cadre records their own visits, to households paired with them only; an officer with
    `pairing.record_visit_for_cadre` records one for a cadre paired with the household (the
    household's first active cadre when none is named). The caller has checked the household's scope.
    """
    key = key_read(idempotency_key)
    own_visits = actor.has_perm("pairing.add_visit")
    for_cadres = actor.has_perm("pairing.record_visit_for_cadre")
    if not (own_visits or for_cadres):
        raise Forbidden(_("您没有登记走访的权限"))
    existing = _visit_replayed(key, household=household, actor=actor)
    if existing is not None:
        return existing, False
    paired = Cadre.objects.filter(
        active=True, pairings__household=household, pairings__end_date__isnull=True
    ).order_by("id")
    own = Cadre.objects.filter(user=actor, active=True).first() if own_visits else None
    if own is not None and cadre_id in (None, own.pk):
        if not paired.filter(pk=own.pk).exists():
            raise Forbidden(
                _("该户不是您结对帮扶的农户"),
                {"household_no": household.household_no},
                code="household_not_paired",
            )
        cadre = own
    elif for_cadres:
        cadre = paired.filter(pk=cadre_id).first() if cadre_id is not None else paired.first()
        if cadre is None and cadre_id is None:
            raise Refused(
                "household_has_no_cadre",
                _("该户没有在岗的帮扶责任人"),
                {"household_no": household.household_no},
            )
        if cadre is None:
            raise Forbidden(
                _("该帮扶责任人未与该户结对"),
                {"household_no": household.household_no, "cadre_id": cadre_id},
                code="household_not_paired",
            )
    else:
        raise Forbidden(_("您没有登记走访的权限"))
    visited_at, errors = _when_and_where(visited_at, latitude, longitude)
    texts = {"found": found, "done": done, "problems": problems}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    if not any(texts.values()):
        errors["found"] = _("请至少填写了解到的情况、开展的帮扶或反映的问题之一")
    if errors:
        raise InvalidInput(errors)
    visit = Visit(
        cadre=cadre,
        household=household,
        visited_at=visited_at,
        visited_on=timezone.localdate(visited_at),
        latitude=_rounded(latitude),
        longitude=_rounded(longitude),
        problems_solved=bool(problems_solved),
        recorded_by=actor if actor.pk else None,
        idempotency_key=key,
        **texts,
    )
    history_attribute(visit, actor)
    visit, created = saved_once(
        visit,
        Visit.objects.filter(idempotency_key=key),
        same=lambda earlier: (
            earlier.household_id == household.pk and earlier.recorded_by_id == actor.pk
        ),
        what=_("走访记录"),
    )
    if not created:
        return visit, False
    event_record(
        actor=actor,
        verb="pairing.visit_recorded",
        obj=visit,
        data={"household": household.household_no, "cadre": cadre.pk},
    )
    return visit, True


@transaction.atomic
def visit_photo_add(
    *, visit: Visit, upload, idempotency_key: str, actor
) -> tuple[VisitPhoto, bool]:
    """Add a photo to a visit once per key, checked by its first bytes; return (photo, created)."""
    key = key_read(idempotency_key, limit=120)
    existing = replayed(
        VisitPhoto.objects.filter(idempotency_key=key),
        same=lambda photo: photo.visit_id == visit.pk,
        what=_("走访记录"),
    )
    if existing is not None:
        return existing, False
    if visit.recorded_by_id != actor.pk and not actor.has_perm("pairing.record_visit_for_cadre"):
        raise Forbidden(_("只有登记人可以补充照片"))
    # Locking the visit keeps two photos sent at once from both passing the count.
    Visit.objects.select_for_update().filter(pk=visit.pk).first()
    limit = int(
        policy_get(VISIT_PHOTOS_KEY, region_code=visit.household.village_id, on=visit.visited_on)
    )
    if visit.photos.count() >= limit:
        raise Refused(
            "too_many_photos",
            _("每次走访最多附 %(n)s 张照片") % {"n": limit},
            {"limit": limit},
        )
    content_type = upload_checked(upload, accept=IMAGES)
    photo = VisitPhoto.objects.create(
        visit=visit,
        file=upload,
        content_type=content_type,
        idempotency_key=key,
        uploaded_by=actor if actor.pk else None,
    )
    event_record(actor=actor, verb="pairing.visit_photo_added", obj=visit, data={"photo": photo.pk})
    return photo, True


@transaction.atomic
def round_visit_record(
    *,
    leader,
    idempotency_key: str,
    region: Region | None = None,
    household: Household | None = None,
    visited_at: dt.datetime | None = None,
    notes: str = "",
    latitude=None,
    longitude=None,
) -> tuple[RoundVisit, bool]:
    """Record a leader's round visit to one of their targets once per key; return (visit, created).

    The caller has checked the region's or household's scope.
    """
    from fupin.pairing.selectors import HOUSEHOLD_TARGETS, REGION_TARGETS

    key = key_read(idempotency_key)
    existing = replayed(
        RoundVisit.objects.filter(idempotency_key=key),
        same=lambda earlier: earlier.leader_id == leader.pk,
        what=_("走访记录"),
    )
    if existing is not None:
        return existing, False
    area = getattr(leader, "region", None)
    if not leader.position or area is None:
        raise Forbidden(_("只有担任书记职务的用户登记遍访"), code="not_a_leader")
    if (region is None) == (household is None):
        raise InvalidInput({"target": _("请选择走访的镇村或农户")})
    level = REGION_TARGETS.get(leader.position)
    if household is not None:
        target_ok = (
            leader.position in HOUSEHOLD_TARGETS
            and area.contains(household.village_id)
            and Household.objects.filter(needing_q(), pk=household.pk).exists()
        )
        place = household.village
    else:
        target_ok = level is not None and region.is_key and region.level == level
        target_ok = target_ok and area.contains(region.code)
        place = region
    if not target_ok:
        raise Refused(
            "not_a_round_target",
            _("不在您的遍访对象之内"),
            {
                "position": leader.position,
                "target": household.household_no if household else region.code,
            },
        )
    visited_at, errors = _when_and_where(visited_at, latitude, longitude)
    if errors:
        raise InvalidInput(errors)
    visit = RoundVisit(
        leader=leader,
        region=place,
        household=household,
        visited_at=visited_at,
        visited_on=timezone.localdate(visited_at),
        latitude=_rounded(latitude),
        longitude=_rounded(longitude),
        notes=(notes or "").strip(),
        idempotency_key=key,
    )
    history_attribute(visit, leader)
    visit.save()
    event_record(
        actor=leader,
        verb="pairing.round_visit_recorded",
        obj=visit,
        data={"household": household.household_no if household else "", "region": place.code},
    )
    return visit, True
