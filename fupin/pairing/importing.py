"""Reading, checking and applying the pairing import files: units, cadres, pairings.

The same rules as the household import (fupin.core.importing): every row is checked first;
one problem anywhere and nothing is written, and the report lists row, column, value and
message; otherwise one transaction writes everything through the pairing services, with field
history and their events. The columns are documented in docs/pairing-imports.md.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import ImportResult, import_lock
from fupin.core.importing.columns import (
    INVALID,
    Column,
    Table,
    choice,
    date,
    separated,
    yes_no,
)
from fupin.core.services import event_record
from fupin.pairing import choices as c
from fupin.pairing import services
from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage, VillagePost
from fupin.regions.models import Region
from fupin.registry.models import Household

UNIT_COLUMNS = (
    Column("name", ("单位名称", "name"), required=True),
    Column("level", ("单位层级", "level"), choice(c.UnitLevel), required=True),
    Column("region_code", ("所属区划代码", "region_code"), required=True),
    Column("villages", ("帮扶村代码", "village_codes"), separated(str)),
    Column("start_date", ("开始日期", "start_date"), date()),
)
CADRE_COLUMNS = (
    Column("name", ("姓名", "name"), required=True),
    Column("id_number", ("身份证号码", "证件号码", "id_number"), required=True),
    Column("phone", ("联系电话", "phone")),
    Column("unit", ("单位名称", "unit"), required=True),
    Column("unit_region_code", ("单位所属区划代码", "unit_region_code"), required=True),
    Column("position", ("职务", "position")),
    Column("active", ("是否在岗", "active"), yes_no(yes=("在岗",), no=("离岗",))),
    Column("post_village", ("驻村村代码", "post_village_code")),
    Column("post_role", ("驻村岗位", "post_role"), choice(c.VillageRole)),
    Column("start_date", ("开始日期", "start_date"), date()),
)
PAIRING_COLUMNS = (
    Column("cadre_id_number", ("帮扶责任人身份证号码", "cadre_id_number"), required=True),
    Column("household_no", ("户编号", "household_no"), required=True),
    Column("start_date", ("开始日期", "start_date"), date(), required=True),
    Column("end_date", ("结束日期", "end_date"), date()),
    Column("end_reason", ("结束原因", "end_reason"), choice(c.EndReason)),
)
START = dt.date(2016, 1, 1)  # the start of a pairing of villages when the file gives none


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit of the file: where it is, what it is, and the villages it is paired with."""

    number: int
    name: str
    level: str
    region: str
    villages: list[str]
    start: dt.date


@dataclass(frozen=True, slots=True)
class PostRow:
    """A cadre's village post as the file states it."""

    village: str
    role: str
    start: dt.date


@dataclass(frozen=True, slots=True)
class CadreRow:
    """A cadre of the file, by ID number, with the unit it belongs to and its post."""

    number: int
    name: str
    id_number: str
    phone: str
    unit: tuple[str, str]  # (region code, unit name)
    position: str
    active: bool
    post: PostRow | None


@dataclass(frozen=True, slots=True)
class PairingRow:
    """A pairing of the file: cadre and household, started, and maybe ended with a reason."""

    number: int
    cadre: str
    household: str
    start: dt.date
    end: dt.date | None
    reason: str | None


class _File(Table):
    """A pairing file being checked: the dialect's table and the actor's scope."""

    def __init__(self, path, columns, actor):
        super().__init__(path, columns)
        self.prefix = "" if actor is None else getattr(actor, "scope_prefix", None)

    def in_scope(self, number, key, code) -> bool:
        if self.prefix is None or not code.startswith(self.prefix):
            self.bad(
                number, key, code, "out_of_scope", _("不在您的管辖范围内"), "Outside your scope"
            )
            return False
        return True

    def unknown_regions(self, found: list[tuple[int, str, str]]) -> None:
        """Note each (row, column, code) whose division does not exist, with one query."""
        known = set(
            Region.objects.filter(code__in={code for _n, _k, code in found}).values_list(
                "code", flat=True
            )
        )
        for number, key, code in found:
            if code not in known:
                self.bad(
                    number, key, code, "unknown_region", _("区划代码不存在"), "Unknown division"
                )


@transaction.atomic
def unit_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update aid units and add their current pairings of villages; all or nothing."""
    f = _File(path, UNIT_COLUMNS, actor)
    rows: list[UnitRow] = []
    seen: dict[tuple[str, str], int] = {}
    for row in f.rows():
        if row["name"] is INVALID or row["region_code"] is INVALID:
            continue
        number, name, region = row.number, row["name"], row["region_code"]
        key = (region, name)
        if key in seen:
            f.bad(
                number,
                "name",
                name,
                "duplicate_unit",
                _("单位在文件中重复（第 %(row)s 行）"),
                "The unit appears already on row %(row)s",
                row=seen[key],
            )
            continue
        seen[key] = number
        villages = row["villages"] or []
        f.in_scope(number, "region_code", region)
        for village in villages:
            f.in_scope(number, "villages", village)
        if row.clean:
            rows.append(
                UnitRow(number, name, row["level"], region, villages, row["start_date"] or START)
            )
    f.unknown_regions(
        [(r.number, "region_code", r.region) for r in rows]
        + [(r.number, "villages", v) for r in rows for v in r.villages]
    )
    if f.problems:
        return ImportResult(problems=f.problems)

    import_lock("pairing")
    result = ImportResult()
    existing = {
        (u.region_id, u.name): u for u in AidUnit.objects.filter(name__in=[r.name for r in rows])
    }
    current = set(
        UnitVillage.objects.current(timezone.localdate()).values_list("unit_id", "village_id")
    )
    reason = str(_("导入帮扶单位"))
    links = 0
    for r in rows:
        unit = existing.get((r.region, r.name))
        if unit is None:
            unit = services.unit_add(
                name=r.name, level=r.level, region_code=r.region, actor=actor, reason=reason
            )
            result.created += 1
        elif unit.level != r.level:
            services.unit_update(unit=unit, level=r.level, actor=actor, reason=reason)
            result.updated += 1
        else:
            result.unchanged += 1
        for village in r.villages:
            if (unit.pk, village) not in current:
                services.unit_village_add(
                    unit=unit, village_code=village, start_date=r.start, actor=actor, reason=reason
                )
                current.add((unit.pk, village))
                links += 1
    result.details["village_pairings_added"] = links
    event_record(
        actor=actor,
        verb="pairing.units_imported",
        object_type="pairing.aidunit",
        data={"created": result.created, "updated": result.updated, "villages": links},
    )
    return result


@transaction.atomic
def cadre_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update cadres (by ID number) and their village posts; all or nothing."""
    f = _File(path, CADRE_COLUMNS, actor)
    rows: list[CadreRow] = []
    seen: dict[str, int] = {}
    for row in f.rows():
        number = row.number
        if any(row[k] is INVALID for k in ("name", "id_number", "unit", "unit_region_code")):
            continue
        try:
            id_number = resident_id_parse(row["id_number"]).number
        except FupinError as exc:
            f.bad(number, "id_number", row["id_number"], exc.code, exc.message, _ID_EN[exc.code])
            continue
        if id_number in seen:
            f.bad(
                number,
                "id_number",
                row["id_number"],
                "duplicate_id_number",
                _("身份证号码在文件中重复（第 %(row)s 行）"),
                "The ID number appears already on row %(row)s",
                row=seen[id_number],
            )
            continue
        seen[id_number] = number
        post = None
        if row["post_village"] or row.text("post_role"):
            if not row["post_role"]:
                f.refuse(number, "post_role", "", "required")
            if not row["post_village"]:
                f.refuse(number, "post_village", "", "required")
            else:
                f.in_scope(number, "post_village", row["post_village"])
            post = PostRow(row["post_village"], row["post_role"], row["start_date"] or START)
        f.in_scope(number, "unit_region_code", row["unit_region_code"])
        if row.clean:
            rows.append(
                CadreRow(
                    number,
                    row["name"],
                    id_number,
                    row["phone"] or "",
                    (row["unit_region_code"], row["unit"]),
                    row["position"] or "",
                    row["active"] is not False,
                    post,
                )
            )
    units = {
        (u.region_id, u.name): u for u in AidUnit.objects.filter(name__in={r.unit[1] for r in rows})
    }
    for r in rows:
        if r.unit not in units:
            f.bad(
                r.number,
                "unit",
                r.unit[1],
                "unknown_unit",
                _("该区划下没有这个帮扶单位"),
                "No such aid unit in that division",
            )
    f.unknown_regions([(r.number, "post_village", r.post.village) for r in rows if r.post])
    if f.problems:
        return ImportResult(problems=f.problems)

    import_lock("pairing")
    result = ImportResult()
    reason = str(_("导入帮扶责任人"))
    existing = {c_.id_number: c_ for c_ in Cadre.objects.filter(id_number__in=list(seen))}
    posts = set(
        VillagePost.objects.filter(end_date__isnull=True).values_list(
            "cadre_id", "village_id", "role"
        )
    )
    for r in rows:
        cadre = existing.get(r.id_number)
        unit = units[r.unit]
        if cadre is None:
            cadre = services.cadre_add(
                name=r.name,
                id_number=r.id_number,
                unit=unit,
                phone=r.phone,
                position=r.position,
                active=r.active,
                actor=actor,
                reason=reason,
            )
            result.created += 1
        elif services.cadre_update(
            cadre=cadre,
            actor=actor,
            reason=reason,
            name=r.name,
            phone=r.phone,
            unit_id=unit.pk,
            position=r.position,
            active=r.active,
        ):
            result.updated += 1
        else:
            result.unchanged += 1
        if r.post and (cadre.pk, r.post.village, r.post.role) not in posts:
            services.village_post_add(
                cadre=cadre,
                village_code=r.post.village,
                role=r.post.role,
                start_date=r.post.start,
                actor=actor,
                reason=reason,
            )
    event_record(
        actor=actor,
        verb="pairing.cadres_imported",
        object_type="pairing.cadre",
        data={"created": result.created, "updated": result.updated},
    )
    return result


@transaction.atomic
def pairing_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create pairings of cadres and households, or end them with a reason; all or nothing."""
    f = _File(path, PAIRING_COLUMNS, actor)
    rows: list[PairingRow] = []
    seen: dict[tuple[str, str], int] = {}
    for row in f.rows():
        number = row.number
        if row["cadre_id_number"] is INVALID or row["household_no"] is INVALID:
            continue
        start, end, reason = row["start_date"], row["end_date"], row["end_reason"]
        if row.text("end_date") or row.text("end_reason"):
            if not row.text("end_reason"):
                f.bad(
                    number,
                    "end_reason",
                    "",
                    "end_reason_required",
                    _("填写结束日期时须填写结束原因"),
                    "An end date needs an end reason",
                )
            if not row.text("end_date"):
                f.bad(
                    number,
                    "end_date",
                    "",
                    "end_date_required",
                    _("填写结束原因时须填写结束日期"),
                    "An end reason needs an end date",
                )
        if start and end and start is not INVALID and end is not INVALID and end < start:
            f.bad(
                number,
                "end_date",
                row.text("end_date"),
                "end_before_start",
                _("结束日期早于开始日期"),
                "The end date is before the start date",
            )
        key = (row["cadre_id_number"].upper(), row["household_no"])
        if key in seen:
            f.bad(
                number,
                "household_no",
                row["household_no"],
                "duplicate_pairing",
                _("同一结对在文件中重复（第 %(row)s 行）"),
                "The same pairing appears already on row %(row)s",
                row=seen[key],
            )
            continue
        seen[key] = number
        rows.append(PairingRow(number, key[0], key[1], start, end, reason))
    cadres = dict(
        Cadre.objects.filter(id_number__in={r.cadre for r in rows}).values_list("id_number", "pk")
    )
    households = {
        no: (pk, village)
        for no, pk, village in Household.objects.filter(
            household_no__in={r.household for r in rows}
        ).values_list("household_no", "pk", "village_id")
    }
    for r in rows:
        if r.cadre not in cadres:
            f.bad(
                r.number,
                "cadre_id_number",
                r.cadre,
                "unknown_cadre",
                _("没有这个身份证号码的帮扶责任人"),
                "No cadre with this ID number",
            )
        if r.household not in households:
            f.bad(
                r.number,
                "household_no",
                r.household,
                "unknown_household",
                _("户编号不存在"),
                "Unknown household number",
            )
        else:
            f.in_scope(r.number, "household_no", households[r.household][1])
    if f.problems:
        return ImportResult(problems=f.problems)

    import_lock("pairing")
    result = ImportResult()
    label = str(_("导入结对"))
    active = {
        (p.cadre_id, p.household_id): p
        for p in Pairing.objects.active().filter(
            household_id__in=[pk for pk, _village in households.values()]
        )
    }
    adds, endings = [], []
    for r in rows:
        pair = (cadres[r.cadre], households[r.household][0])
        pairing = active.get(pair)
        if pairing is None:
            if r.end is None:
                adds.append((*pair, r.start))
                result.created += 1
            else:
                result.unchanged += 1  # an ended pairing that is not active: nothing to do
        elif r.end is not None:
            endings.append((pairing, r.end, r.reason))
            result.updated += 1
        else:
            result.unchanged += 1
    services.pairings_end(endings=endings, actor=actor, reason=label)
    services.pairings_add(pairs=adds, actor=actor, reason=label)
    event_record(
        actor=actor,
        verb="pairing.pairings_imported",
        object_type="pairing.pairing",
        data={"created": result.created, "updated": result.updated},
    )
    return result


_ID_EN = {
    "id_length": "An ID number has 18 characters",
    "id_format": "The ID number is malformed",
    "id_checksum": "The ID number's check digit is wrong",
    "id_component": "The birth date in the ID number is not a date",
    "id_future_birth": "The birth date in the ID number is in the future",
}
