"""Reading, checking and applying the pairing import files: units, cadres, pairings.

The same rules as the household import (fupin.core.importing): every row is checked first;
one problem anywhere and nothing is written, and the report lists row, column, value and
message; otherwise one transaction writes everything, with field history.
The columns are documented in docs/pairing-imports.md.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import (
    ImportProblem,
    ImportResult,
    OpenedSheet,
    import_lock,
    import_sheet_open,
    problem,
)
from fupin.core.services import event_record, history_attribute
from fupin.pairing import choices as c
from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage, VillagePost
from fupin.regions.models import Region
from fupin.registry.models import Household

UNIT_COLUMNS = {
    "name": ("单位名称", "name"),
    "level": ("单位层级", "level"),
    "region_code": ("所属区划代码", "region_code"),
    "villages": ("帮扶村代码", "village_codes"),
    "start_date": ("开始日期", "start_date"),
}
UNIT_REQUIRED = {"name", "level", "region_code"}
CADRE_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "证件号码", "id_number"),
    "phone": ("联系电话", "phone"),
    "unit": ("单位名称", "unit"),
    "unit_region_code": ("单位所属区划代码", "unit_region_code"),
    "position": ("职务", "position"),
    "active": ("是否在岗", "active"),
    "post_village": ("驻村村代码", "post_village_code"),
    "post_role": ("驻村岗位", "post_role"),
    "start_date": ("开始日期", "start_date"),
}
CADRE_REQUIRED = {"name", "id_number", "unit", "unit_region_code"}
PAIRING_COLUMNS = {
    "cadre_id_number": ("帮扶责任人身份证号码", "cadre_id_number"),
    "household_no": ("户编号", "household_no"),
    "start_date": ("开始日期", "start_date"),
    "end_date": ("结束日期", "end_date"),
    "end_reason": ("结束原因", "end_reason"),
}
PAIRING_REQUIRED = {"cadre_id_number", "household_no", "start_date"}
YES = {"是", "在岗", "yes", "y", "true", "1"}
NO = {"否", "离岗", "no", "n", "false", "0"}
LIST_SEPARATORS = re.compile(r"[;；,，、\s]+")
START = dt.date(2016, 1, 1)  # the start of a pairing of villages when the file gives none


class _File:
    """One import file being checked: its rows as dicts, and the problems found."""

    def __init__(self, path, columns, required, actor):
        self.problems: list[ImportProblem] = []
        self.columns = columns
        self.actor = actor
        self.prefix = "" if actor is None else getattr(actor, "scope_prefix", None)
        self.sheet: OpenedSheet | None = import_sheet_open(path, columns, required, self.problems)

    def rows(self) -> Iterator[tuple[int, Callable[[str], str]]]:
        if self.sheet is None:
            return
        index = self.sheet.index
        for number, cells in self.sheet.rows:
            if not any(cell.strip() for cell in cells):
                continue

            def get(key, cells=cells):
                i = index.get(key)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            yield number, get

    def column(self, key: str) -> str:
        if self.sheet is not None and key in self.sheet.index:
            return self.sheet.name(key)
        return self.columns[key][0]

    def bad(self, number, key, value, code, message, message_en, **params) -> None:
        self.problems.append(
            problem(number, self.column(key), value, code, message, message_en, **params)
        )

    def required(self, number, get, keys) -> bool:
        ok = True
        for key in keys:
            if not get(key):
                self.bad(number, key, "", "required", _("不能为空"), "This cell is required")
                ok = False
        return ok

    def in_scope(self, number, key, code) -> bool:
        if self.prefix is None:
            self.bad(
                number, key, code, "out_of_scope", _("不在您的管辖范围内"), "Outside your scope"
            )
            return False
        if not code.startswith(self.prefix):
            self.bad(
                number, key, code, "out_of_scope", _("不在您的管辖范围内"), "Outside your scope"
            )
            return False
        return True

    def date(self, number, key, value) -> dt.date | None:
        text = value.split(" ")[0].replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.bad(
                number,
                key,
                value,
                "invalid_date",
                _("日期格式应为 YYYY-MM-DD"),
                "The date must be YYYY-MM-DD",
            )
            return None

    def choice(self, number, key, value, choices) -> str | None:
        lookup = {str(label): k for k, label in choices.choices} | {k: k for k in choices.values}
        if value in lookup:
            return lookup[value]
        self.bad(
            number,
            key,
            value,
            "invalid_choice",
            _("取值不正确，应为：%(allowed)s"),
            "Not an allowed value: %(allowed)s",
            allowed="、".join(str(label) for _k, label in choices.choices),
        )
        return None


def _region_codes(codes: set[str]) -> set[str]:
    return set(Region.objects.filter(code__in=codes).values_list("code", flat=True))


def _save(obj, actor, reason) -> None:
    history_attribute(obj, actor, reason)
    obj.save()


@transaction.atomic
def unit_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update aid units and add their current pairings of villages; all or nothing."""
    f = _File(path, UNIT_COLUMNS, UNIT_REQUIRED, actor)
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for number, get in f.rows():
        if not f.required(number, get, ("name", "level", "region_code")):
            continue
        level = f.choice(number, "level", get("level"), c.UnitLevel)
        region = get("region_code")
        villages = [v for v in LIST_SEPARATORS.split(get("villages")) if v]
        start = f.date(number, "start_date", get("start_date")) if get("start_date") else START
        key = (region, get("name"))
        if key in seen:
            f.bad(
                number,
                "name",
                get("name"),
                "duplicate_unit",
                _("单位在文件中重复（第 %(row)s 行）"),
                "The unit appears already on row %(row)s",
                row=seen[key],
            )
            continue
        seen[key] = number
        f.in_scope(number, "region_code", region)
        for village in villages:
            f.in_scope(number, "villages", village)
        rows.append((number, get("name"), level, region, villages, start))
    known = _region_codes({r[3] for r in rows} | {v for r in rows for v in r[4]})
    for number, _name, _level, region, villages, _start in rows:
        for code, key in ((region, "region_code"), *((v, "villages") for v in villages)):
            if code not in known:
                f.bad(number, key, code, "unknown_region", _("区划代码不存在"), "Unknown division")
    if f.problems:
        return ImportResult(problems=f.problems)

    import_lock("pairing")
    result = ImportResult()
    today = timezone.localdate()
    existing = {
        (u.region_id, u.name): u for u in AidUnit.objects.filter(name__in=[r[1] for r in rows])
    }
    current = set(UnitVillage.objects.current(today).values_list("unit_id", "village_id"))
    reason = str(_("导入帮扶单位"))
    links = 0
    for _number, name, level, region, villages, start in rows:
        unit = existing.get((region, name))
        if unit is None:
            unit = AidUnit(name=name, level=level, region_id=region)
            _save(unit, actor, reason)
            result.created += 1
        elif unit.level != level:
            unit.level = level
            _save(unit, actor, reason)
            result.updated += 1
        else:
            result.unchanged += 1
        for village in villages:
            if (unit.pk, village) not in current:
                _save(UnitVillage(unit=unit, village_id=village, start_date=start), actor, reason)
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
    f = _File(path, CADRE_COLUMNS, CADRE_REQUIRED, actor)
    rows = []
    seen: dict[str, int] = {}
    for number, get in f.rows():
        if not f.required(number, get, ("name", "id_number", "unit", "unit_region_code")):
            continue
        try:
            id_number = resident_id_parse(get("id_number")).number
        except FupinError as exc:
            f.bad(number, "id_number", get("id_number"), exc.code, exc.message, _ID_EN[exc.code])
            continue
        if id_number in seen:
            f.bad(
                number,
                "id_number",
                get("id_number"),
                "duplicate_id_number",
                _("身份证号码在文件中重复（第 %(row)s 行）"),
                "The ID number appears already on row %(row)s",
                row=seen[id_number],
            )
            continue
        seen[id_number] = number
        active = True
        if get("active"):
            if get("active").lower() in YES:
                active = True
            elif get("active").lower() in NO:
                active = False
            else:
                f.bad(
                    number,
                    "active",
                    get("active"),
                    "invalid_choice",
                    _("应为“是”或“否”"),
                    "Must be yes or no",
                )
        post = None
        if get("post_village") or get("post_role"):
            role = f.choice(number, "post_role", get("post_role"), c.VillageRole)
            if not get("post_village"):
                f.required(number, get, ("post_village",))
            else:
                f.in_scope(number, "post_village", get("post_village"))
            start = f.date(number, "start_date", get("start_date")) if get("start_date") else START
            post = (get("post_village"), role, start)
        f.in_scope(number, "unit_region_code", get("unit_region_code"))
        rows.append(
            (
                number,
                get("name"),
                id_number,
                get("phone"),
                (get("unit_region_code"), get("unit")),
                get("position"),
                active,
                post,
            )
        )
    units = {
        (u.region_id, u.name): u.pk
        for u in AidUnit.objects.filter(name__in={r[4][1] for r in rows})
    }
    known = _region_codes({r[7][0] for r in rows if r[7] and r[7][0]})
    for number, _n, _i, _p, unit, _pos, _a, post in rows:
        if unit not in units:
            f.bad(
                number,
                "unit",
                unit[1],
                "unknown_unit",
                _("该区划下没有这个帮扶单位"),
                "No such aid unit in that division",
            )
        if post and post[0] and post[0] not in known:
            f.bad(
                number,
                "post_village",
                post[0],
                "unknown_region",
                _("区划代码不存在"),
                "Unknown division",
            )
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
    for _number, name, id_number, phone, unit, position, active, post in rows:
        cadre = existing.get(id_number)
        values = {
            "name": name,
            "phone": phone,
            "unit_id": units[unit],
            "position": position,
            "active": active,
        }
        if cadre is None:
            cadre = Cadre(id_number=id_number, **values)
            _save(cadre, actor, reason)
            result.created += 1
        elif any(getattr(cadre, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(cadre, k, v)
            _save(cadre, actor, reason)
            result.updated += 1
        else:
            result.unchanged += 1
        if post and (cadre.pk, post[0], post[1]) not in posts:
            _save(
                VillagePost(cadre=cadre, village_id=post[0], role=post[1], start_date=post[2]),
                actor,
                reason,
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
    f = _File(path, PAIRING_COLUMNS, PAIRING_REQUIRED, actor)
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for number, get in f.rows():
        if not f.required(number, get, ("cadre_id_number", "household_no", "start_date")):
            continue
        start = f.date(number, "start_date", get("start_date"))
        end = f.date(number, "end_date", get("end_date")) if get("end_date") else None
        reason = None
        if end is not None or get("end_reason"):
            if not get("end_reason"):
                f.bad(
                    number,
                    "end_reason",
                    "",
                    "end_reason_required",
                    _("填写结束日期时须填写结束原因"),
                    "An end date needs an end reason",
                )
            else:
                reason = f.choice(number, "end_reason", get("end_reason"), c.EndReason)
            if end is None and not get("end_date"):
                f.bad(
                    number,
                    "end_date",
                    "",
                    "end_date_required",
                    _("填写结束原因时须填写结束日期"),
                    "An end reason needs an end date",
                )
        if start and end and end < start:
            f.bad(
                number,
                "end_date",
                get("end_date"),
                "end_before_start",
                _("结束日期早于开始日期"),
                "The end date is before the start date",
            )
        key = (get("cadre_id_number").upper(), get("household_no"))
        if key in seen:
            f.bad(
                number,
                "household_no",
                get("household_no"),
                "duplicate_pairing",
                _("同一结对在文件中重复（第 %(row)s 行）"),
                "The same pairing appears already on row %(row)s",
                row=seen[key],
            )
            continue
        seen[key] = number
        rows.append((number, key[0], key[1], start, end, reason))
    cadres = dict(
        Cadre.objects.filter(id_number__in={r[1] for r in rows}).values_list("id_number", "pk")
    )
    households = dict(
        Household.objects.filter(household_no__in={r[2] for r in rows}).values_list(
            "household_no", "village_id"
        )
    )
    ids = dict(
        Household.objects.filter(household_no__in={r[2] for r in rows}).values_list(
            "household_no", "pk"
        )
    )
    for number, cadre, household, *_rest in rows:
        if cadre not in cadres:
            f.bad(
                number,
                "cadre_id_number",
                cadre,
                "unknown_cadre",
                _("没有这个身份证号码的帮扶责任人"),
                "No cadre with this ID number",
            )
        if household not in households:
            f.bad(
                number,
                "household_no",
                household,
                "unknown_household",
                _("户编号不存在"),
                "Unknown household number",
            )
        else:
            f.in_scope(number, "household_no", households[household])
    if f.problems:
        return ImportResult(problems=f.problems)

    import_lock("pairing")
    result = ImportResult()
    label = str(_("导入结对"))
    active = {
        (p.cadre_id, p.household_id): p
        for p in Pairing.objects.active().filter(household_id__in=list(ids.values()))
    }
    for _number, cadre, household, start, end, reason in rows:
        pair = (cadres[cadre], ids[household])
        pairing = active.get(pair)
        if pairing is None:
            if end is None:
                pairing = Pairing(cadre_id=pair[0], household_id=pair[1], start_date=start)
                _save(pairing, actor, label)
                result.created += 1
            else:
                result.unchanged += 1  # an ended pairing that is not active: nothing to do
        elif end is not None:
            pairing.end_date, pairing.end_reason = end, reason
            _save(pairing, actor, label)
            result.updated += 1
        else:
            result.unchanged += 1
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
