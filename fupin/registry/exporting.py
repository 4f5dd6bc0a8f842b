"""Exporting households to XLSX with the columns of the import, personal data masked by default."""

from pathlib import Path

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Forbidden, NotFound
from fupin.core.masking import mask_id_number, mask_phone
from fupin.core.services import event_record
from fupin.core.tabular import Column, WorkbookWriter
from fupin.regions.models import Region
from fupin.registry import choices as c
from fupin.registry.importing import HOUSEHOLD_COLUMNS
from fupin.registry.models import Person

# Stored fields of each export column, in the order of HOUSEHOLD_COLUMNS.
EXPORT_FIELDS = {
    "household_no": "household__household_no",
    "village_code": "household__village_id",
    "id_number": "id_number",
    "name": "name",
    "relation": "relation",
    "phone": "phone",
    "poverty_status": "household__poverty_status",
    "policy_support": "household__policy_support",
    "household_type": "household__household_type",
    "monitoring_type": "household__monitoring_type",
    "risk_state": "household__risk_state",
    "main_cause": "household__main_cause",
    "health": "health",
    "disability_grade": "disability_grade",
    "labor_ability": "labor_ability",
    "schooling": "schooling",
}
LABELLED = {
    "relation": c.Relation,
    "poverty_status": c.PovertyStatus,
    "household_type": c.HouseholdType,
    "monitoring_type": c.MonitoringType,
    "risk_state": c.RiskState,
    "main_cause": c.PovertyCause,
    "health": c.Health,
    "disability_grade": c.DisabilityGrade,
    "labor_ability": c.LaborAbility,
    "schooling": c.Schooling,
}


def _export_region(*, user, region_code: str, full_ids: bool) -> Region:
    """Return the region to export if the user may export it (with full IDs when asked)."""
    region = Region.objects.filter(code=region_code).first()
    if user is None:
        if region is None:
            raise NotFound("region", {"code": region_code})
        return region
    prefix = user.scope_prefix if getattr(user, "is_authenticated", False) else None
    if region is None or prefix is None or not region.code.startswith(prefix):
        raise NotFound("region", {"code": region_code})
    if not user.has_perm("registry.export_household"):
        raise Forbidden(_("您的角色不能导出农户数据"))
    if full_ids and not user.has_perm("registry.export_full_ids"):
        raise Forbidden(
            _("您的角色不能导出完整证件号码"), {"permission": "registry.export_full_ids"}
        )
    return region


def household_export(
    *,
    user,
    region_code: str = "",
    out_path,
    full_ids: bool = False,
    filters=None,
) -> int:
    """Write the active members of the region's households to an XLSX file; return the number of rows.

    The columns are those of the household import, so an export with full IDs imports back
    unchanged. ID numbers and phones are masked unless `full_ids`, which needs the
    `registry.export_full_ids` permission. Every export is recorded as an event. Without a user the
    export is a system export with the whole country in scope. With `filters` (the household
    list's) the export holds exactly the households the list shows; without, the region's
    households that are not removed. `out_path` is a path or a binary file.
    """
    from fupin.registry.selectors import household_list

    if filters is not None and user is not None:
        region_code = region_code or filters.region or user.region_id or ""
        if len(region_code) < 12 and region_code.isdigit():
            region_code = region_code.ljust(12, "0")
    region = _export_region(user=user, region_code=region_code, full_ids=full_ids)
    with translation.override("zh-hans"):
        labels = {
            key: {value: str(label) for value, label in choices.choices}
            for key, choices in LABELLED.items()
        }
        header = [names[0] for names in HOUSEHOLD_COLUMNS.values()]
        sheet_title = str(_("农户"))
    labels["policy_support"] = {True: "是", False: "否"}
    keys = list(EXPORT_FIELDS)
    converters = [labels.get(key) for key in keys]
    id_at, phone_at = keys.index("id_number"), keys.index("phone")

    head_first = Case(
        When(relation=c.Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    persons = Person.objects.filter(left_on__isnull=True)
    if filters is not None and user is not None:
        listed = household_list(user=user, filters=filters).order_by().values("pk")
        persons = persons.filter(household__in=listed)
    else:
        persons = persons.filter(
            household__village__code__startswith=region.prefix, household__removal_reason=""
        )
    persons = (
        persons.annotate(head_first=head_first)
        .order_by("household__household_no", "head_first", "id")
        .values_list(*EXPORT_FIELDS.values())
    )

    widths = (18, 14, 20, 10, 10, 13, 10, 12, 10, 14, 12, 14, 12, 10, 16, 12)
    columns = [Column(title, "text", width) for title, width in zip(header, widths, strict=True)]
    workbook = WorkbookWriter()
    sheet = workbook.sheet(sheet_title, columns)
    count = 0
    with transaction.atomic():
        for row in persons.iterator(chunk_size=5000):
            cells = [
                ""
                if value is None
                else labels_of.get(value, value)
                if labels_of is not None
                else value
                for value, labels_of in zip(row, converters, strict=True)
            ]
            if not full_ids:
                cells[id_at] = mask_id_number(cells[id_at])
                cells[phone_at] = mask_phone(cells[phone_at])
            sheet.append(cells)
            count += 1
        workbook.save(out_path)
        data = {
            "file": Path(out_path).name if isinstance(out_path, str | Path) else "",
            "rows": count,
            "full_ids": full_ids,
        }
        if filters is not None:
            data["filters"] = {k: v for k, v in vars(filters).items() if v}
        event_record(
            actor=user,
            verb="registry.households_exported",
            object_type="regions.region",
            object_id=region.code,
            region_code=region.code,
            reason=str(_("导出完整证件号码")) if full_ids else "",
            data=data,
        )
    return count
