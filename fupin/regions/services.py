"""Writes of the regions app: importing the official division list."""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.errors import Refused
from fupin.core.importing import ImportResult, import_sheet_open, problem
from fupin.core.services import event_record
from fupin.regions.codes import is_valid_code, level_of, parent_code, prefix_of
from fupin.regions.models import Region

REGION_COLUMNS = {"code": ("代码", "区划代码", "code"), "name": ("名称", "name")}


@transaction.atomic
def region_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or rename regions from a file of codes and names; all or nothing."""
    problems = []
    sheet = import_sheet_open(path, REGION_COLUMNS, {"code", "name"}, problems)
    if sheet is None:
        return ImportResult(problems=problems)
    code_column, name_column = sheet.name("code"), sheet.name("name")
    rows: dict[str, tuple[int, str]] = {}
    for number, cells in sheet.rows:
        code = cells[sheet.index["code"]] if sheet.index["code"] < len(cells) else ""
        name = cells[sheet.index["name"]] if sheet.index["name"] < len(cells) else ""
        if not is_valid_code(code):
            problems.append(
                problem(
                    number,
                    code_column,
                    code,
                    "invalid_region_code",
                    gettext_lazy("区划代码应为 12 位数字统计用区划代码"),
                    "The code must be a 12-digit NBS division code",
                )
            )
        elif not name:
            problems.append(
                problem(
                    number,
                    name_column,
                    name,
                    "required",
                    gettext_lazy("名称不能为空"),
                    "The name is missing",
                )
            )
        elif code in rows:
            problems.append(
                problem(
                    number,
                    code_column,
                    code,
                    "duplicate_code",
                    gettext_lazy("区划代码在文件中重复（第 %(row)s 行）"),
                    "The code appears already on row %(row)s",
                    row=rows[code][0],
                )
            )
        else:
            rows[code] = (number, name)
    existing = dict(Region.objects.values_list("code", "name"))
    for code, (number, _name) in rows.items():
        parent = parent_code(code)
        if parent is not None and parent not in rows and parent not in existing:
            problems.append(
                problem(
                    number,
                    code_column,
                    code,
                    "region_parent_missing",
                    gettext_lazy("上级区划 %(parent)s 不存在"),
                    "The parent division %(parent)s does not exist",
                    parent=parent,
                )
            )
    if problems:
        return ImportResult(problems=problems)

    result = ImportResult()
    # Parents before children: sorting by level makes every parent exist when its child is saved.
    for code in sorted(rows, key=lambda c: (level_of(c), c)):
        name = rows[code][1]
        if code not in existing:
            Region.objects.create(
                code=code,
                name=name,
                level=level_of(code),
                parent_id=parent_code(code),
                prefix=prefix_of(code),
            )
            result.created += 1
        elif existing[code] != name:
            region = Region.objects.get(code=code)
            region.name = name
            region.save(update_fields=["name"])
            result.updated += 1
        else:
            result.unchanged += 1
    event_record(
        actor=actor,
        verb="regions.imported",
        object_type="regions.region",
        data={"file": Path(path).name, "created": result.created, "updated": result.updated},
    )
    return result


def region_create(*, code: str, name: str) -> Region:
    """Create one region whose parent exists (used by the demo and tests)."""
    if not is_valid_code(code):
        raise Refused(
            "invalid_region_code", _("区划代码应为 12 位数字统计用区划代码"), {"code": code}
        )
    parent = parent_code(code)
    if parent is not None and not Region.objects.filter(code=parent).exists():
        raise Refused(
            "region_parent_missing", _("上级区划不存在"), {"code": code, "parent": parent}
        )
    return Region.objects.create(
        code=code, name=name, level=level_of(code), parent_id=parent, prefix=prefix_of(code)
    )


@transaction.atomic
def region_set_key(*, codes: list[str], is_key: bool = True, actor=None) -> int:
    """Mark towns or villages as key (重点镇、重点村) or not; return how many changed."""
    from fupin.core.bulk import history_bulk_record
    from fupin.regions.choices import Level

    codes = sorted(set(codes))
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Refused("unknown_region", _("区划代码不存在"), {"codes": unknown})
    wrong = [code for code in codes if found[code] not in (Level.TOWN, Level.VILLAGE)]
    if wrong:
        raise Refused(
            "not_town_or_village", _("只有乡镇和村可以列为重点镇、重点村"), {"codes": wrong}
        )
    changing = Region.objects.filter(code__in=codes).exclude(is_key=is_key)
    changed = list(changing.values_list("code", flat=True))
    if not changed:
        return 0
    Region.objects.filter(code__in=changed).update(is_key=is_key)
    history_bulk_record(
        queryset=Region.objects.filter(code__in=changed),
        history_type="~",
        actor=actor,
        reason=_("列为重点镇村") if is_key else _("取消重点镇村"),
    )
    for code in changed:
        event_record(
            actor=actor,
            verb="region.key_set" if is_key else "region.key_unset",
            object_type="regions.region",
            object_id=code,
            region_code=code,
        )
    return len(changed)
