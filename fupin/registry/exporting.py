"""Exporting households to XLSX with the columns of the import, personal data masked by default."""

from pathlib import Path

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Forbidden, NotFound, Refused
from fupin.core.masking import mask_id_number, mask_phone
from fupin.core.services import event_record
from fupin.core.tabular import Column, WorkbookWriter, max_rows
from fupin.regions.models import Region
from fupin.registry import choices as c
from fupin.registry.importing import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_FIELDS,
    HOUSEHOLD_REQUIRED,
    INCOME_COLUMNS,
    MONEY_FIELDS,
    household_allowed_labels,
)
from fupin.registry.models import HouseholdIncome, Person

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


# The most data rows an XLSX sheet holds (1,048,576 rows, the header one of them).
XLSX_MAX_DATA_ROWS = 1_048_575
MEMBER_WIDTHS = (18, 14, 20, 10, 10, 13, 10, 12, 10, 14, 12, 14, 12, 10, 16, 12)


def export_max_rows() -> int:
    """Return the most rows one household export may have.

    An export must import back, so the import's limit (FUPIN_IMPORT_MAX_ROWS) applies, and it
    must open, so one sheet's rows do too.
    """
    return min(max_rows(), XLSX_MAX_DATA_ROWS)


def _member_labels() -> tuple[list[str], list]:
    """Return the Chinese headings of the member columns and each column's value → label map."""
    with translation.override("zh-hans"):
        labels = {
            key: {value: str(label) for value, label in choices.choices}
            for key, choices in LABELLED.items()
        }
        header = [names[0] for names in HOUSEHOLD_COLUMNS.values()]
    labels["policy_support"] = {True: "是", False: "否"}
    return header, [labels.get(key) for key in EXPORT_FIELDS]


def _members_ordered(persons):
    """Return the persons' export values, by household, the head first."""
    head_first = Case(
        When(relation=c.Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        persons.annotate(head_first=head_first)
        .order_by("household__household_no", "head_first", "id")
        .values_list(*EXPORT_FIELDS.values())
    )


def _members_write(workbook: WorkbookWriter, title, persons, *, full_ids: bool) -> int:
    """Write a sheet of the persons in the import's columns (masked unless `full_ids`); return the rows."""
    header, converters = _member_labels()
    keys = list(EXPORT_FIELDS)
    id_at, phone_at = keys.index("id_number"), keys.index("phone")
    columns = [
        Column(heading, "text", width) for heading, width in zip(header, MEMBER_WIDTHS, strict=True)
    ]
    sheet = workbook.sheet(title, columns)
    count = 0
    for row in _members_ordered(persons).iterator(chunk_size=5000):
        cells = [
            "" if value is None else labels_of.get(value, value) if labels_of is not None else value
            for value, labels_of in zip(row, converters, strict=True)
        ]
        if not full_ids:
            cells[id_at] = mask_id_number(cells[id_at])
            cells[phone_at] = mask_phone(cells[phone_at])
        sheet.append(cells)
        count += 1
    return count


def _refuse_over_cap(rows: int) -> None:
    limit = export_max_rows()
    if rows > limit:
        raise Refused(
            "export_too_large",
            _("共 %(rows)s 行，超过导出上限 %(max)s 行：请缩小区划或增加筛选条件后再导出")
            % {"rows": f"{rows:,}", "max": f"{limit:,}"},
            {"rows": rows, "max": limit},
        )


def _filtered_region_code(*, user, filters) -> str:
    """Return the code of the region the list's filters name, else of the user's own region."""
    code = filters.region
    if code.isdigit() and len(code) < 12:
        code = code.ljust(12, "0")
    if code and Region.objects.filter(code=code).exists():
        return code
    return user.region_id or ""


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
    households that are not removed. More rows than `export_max_rows()` are refused
    (`export_too_large`) before anything is written. `out_path` is a path or a binary file.
    """
    from fupin.registry.selectors import household_list

    if filters is not None and user is not None and not region_code:
        region_code = _filtered_region_code(user=user, filters=filters)
    region = _export_region(user=user, region_code=region_code, full_ids=full_ids)
    persons = Person.objects.filter(left_on__isnull=True)
    if filters is not None and user is not None:
        listed = household_list(user=user, filters=filters).order_by().values("pk")
        persons = persons.filter(household__in=listed)
    else:
        persons = persons.filter(
            household__village__code__startswith=region.prefix, household__removal_reason=""
        )
    with transaction.atomic():
        _refuse_over_cap(persons.order_by().count())
        workbook = WorkbookWriter()
        count = _members_write(workbook, _("农户"), persons, full_ids=full_ids)
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


INCOME_WIDTHS = {"household_no": 18, "year": 8, "size": 10}


def household_file_export(*, user, household_no: str, out_path, full_ids: bool = False) -> int:
    """Write one household's file to an XLSX file: its members, then its incomes by year.

    The members sheet has the columns of the household import (active members, the head first)
    and the incomes sheet those of the income import, so either sheet imports back. IDs and phones
    are masked unless `full_ids`, which needs `registry.export_full_ids`; a household outside the
    user's scope is NotFound. The export is recorded on the household. Return the member rows.
    """
    from fupin.registry.selectors import household_get

    household = household_get(user=user, household_no=household_no)
    if not user.has_perm("registry.export_household", household):
        raise Forbidden(_("您的角色不能导出农户数据"))
    if full_ids and not user.has_perm("registry.export_full_ids", household):
        raise Forbidden(
            _("您的角色不能导出完整证件号码"), {"permission": "registry.export_full_ids"}
        )
    workbook = WorkbookWriter()
    with transaction.atomic():
        persons = Person.objects.filter(household=household, left_on__isnull=True)
        count = _members_write(workbook, _("家庭成员"), persons, full_ids=full_ids)
        with translation.override("zh-hans"):
            income_columns = [
                Column(
                    names[0],
                    "money" if key in MONEY_FIELDS else "text" if key == "household_no" else "",
                    INCOME_WIDTHS.get(key, 14),
                )
                for key, names in INCOME_COLUMNS.items()
            ]
        incomes = workbook.sheet(_("年度收入"), income_columns)
        fields = [
            "household__household_no" if key == "household_no" else key for key in INCOME_COLUMNS
        ]
        years = 0
        for row in (
            HouseholdIncome.objects.filter(household=household)
            .order_by("year")
            .values_list(*fields)
        ):
            incomes.append(["" if value is None else value for value in row])
            years += 1
        workbook.save(out_path)
        event_record(
            actor=user,
            verb="registry.households_exported",
            obj=household,
            reason=str(_("导出完整证件号码")) if full_ids else "",
            data={"rows": count, "incomes": years, "full_ids": full_ids},
        )
    return count


def household_import_template(out_path) -> None:
    """Write the template of the household import: its Chinese headings and no rows, a drop-down
    of the accepted labels in every coded column, and a sheet saying what each column needs.

    Headings and labels are the importer's own (`HOUSEHOLD_COLUMNS`, `household_allowed_labels`),
    so the template cannot drift from what the import accepts. The columns without a list are
    text, so that ID numbers and codes keep every digit.
    """
    allowed = household_allowed_labels()
    keys = list(HOUSEHOLD_COLUMNS)
    workbook = WorkbookWriter()
    with translation.override("zh-hans"):
        headings = [HOUSEHOLD_COLUMNS[key][0] for key in keys]
        form = workbook.form_sheet(
            _("农户"),
            [Column(h, "text", w) for h, w in zip(headings, MEMBER_WIDTHS, strict=True)],
            text=[i for i, key in enumerate(keys) if key not in allowed],
        )
        notes = workbook.sheet(
            _("填写说明"), [Column(_("列名"), "text", 16), Column(_("填写要求"), "text", 18)]
        )
        for key, heading in zip(keys, headings, strict=True):
            if key in HOUSEHOLD_REQUIRED and key in HOUSEHOLD_FIELDS:
                need = _("户主所在行必填")
            elif key in HOUSEHOLD_REQUIRED:
                need = _("必填")
            else:
                need = _("选填")
            notes.append([heading, str(need)])
        coded = [key for key in keys if key in allowed]
        lists = workbook.sheet(
            _("可填值"), [Column(HOUSEHOLD_COLUMNS[key][0], "text", 16) for key in coded]
        )
    longest = max(len(allowed[key]) for key in coded)
    for i in range(longest):
        lists.append([allowed[key][i] if i < len(allowed[key]) else None for key in coded])
    for at, key in enumerate(coded):
        form.drop_down(keys.index(key), lists.cells_range(at, len(allowed[key])))
    workbook.save(out_path)
