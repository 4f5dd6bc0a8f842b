"""Writes of the regions app: importing the official division list."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.errors import FupinError
from fupin.core.services import event_record
from fupin.core.tabular import map_header, open_sheet
from fupin.regions.codes import is_valid_code, level_of, parent_code, prefix_of
from fupin.regions.models import Region

REGION_COLUMNS = {"code": ("代码", "区划代码", "code"), "name": ("名称", "name")}


@dataclass
class RegionImportResult:
    """Counts of a region import."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)


@transaction.atomic
def region_import(*, path: str | Path, actor=None) -> RegionImportResult:
    """Create or rename regions from a file of codes and names; all or nothing."""
    sheet = open_sheet(path)
    index = map_header(sheet.header, REGION_COLUMNS, {"code", "name"})
    result = RegionImportResult()
    rows: dict[str, tuple[int, str]] = {}
    for number, cells in sheet.rows:
        code = cells[index["code"]] if index["code"] < len(cells) else ""
        name = cells[index["name"]] if index["name"] < len(cells) else ""
        if not is_valid_code(code):
            result.errors.append({"row": number, "column": "code", "value": code,
                                  "message": _("区划代码应为 12 位数字统计用区划代码")})
        elif not name:
            result.errors.append({"row": number, "column": "name", "value": name, "message": _("名称不能为空")})
        elif code in rows:
            result.errors.append({"row": number, "column": "code", "value": code,
                                  "message": _("区划代码在文件中重复（第 %(row)s 行）") % {"row": rows[code][0]}})
        else:
            rows[code] = (number, name)
    existing = dict(Region.objects.values_list("code", "name"))
    for code, (number, _name) in rows.items():
        parent = parent_code(code)
        if parent is not None and parent not in rows and parent not in existing:
            result.errors.append({"row": number, "column": "code", "value": code,
                                  "message": _("上级区划 %(parent)s 不存在") % {"parent": parent}})
    if result.errors:
        raise FupinError("import_invalid", _("区划文件有错误，未导入任何数据"), {"errors": result.errors})

    # Parents before children: sorting by level makes every parent exist when its child is saved.
    for code in sorted(rows, key=lambda c: (level_of(c), c)):
        name = rows[code][1]
        if code not in existing:
            Region.objects.create(code=code, name=name, level=level_of(code), parent_id=parent_code(code),
                                  prefix=prefix_of(code))
            result.created += 1
        elif existing[code] != name:
            region = Region.objects.get(code=code)
            region.name = name
            region.save(update_fields=["name"])
            result.updated += 1
        else:
            result.unchanged += 1
    event_record(actor=actor, verb="regions.imported", object_type="regions.region",
                 data={"file": Path(path).name, "created": result.created, "updated": result.updated})
    return result


def region_create(*, code: str, name: str) -> Region:
    """Create one region whose parent exists (used by the demo and tests)."""
    if not is_valid_code(code):
        raise FupinError("invalid_region_code", _("区划代码应为 12 位数字统计用区划代码"), {"code": code})
    parent = parent_code(code)
    if parent is not None and not Region.objects.filter(code=parent).exists():
        raise FupinError("region_parent_missing", _("上级区划不存在"), {"code": code, "parent": parent})
    return Region.objects.create(code=code, name=name, level=level_of(code), parent_id=parent, prefix=prefix_of(code))
