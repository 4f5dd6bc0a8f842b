"""Exporting a look-back review to XLSX: its parameters, every project's verdict, overdue plans."""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fupin.core.services import event_record
from fupin.projects import choices as c
from fupin.projects.models import ProjectReview
from fupin.projects.selectors import review_results

MONEY_FORMAT = "#,##0.00"


def review_workbook(*, review: ProjectReview, overdue, user=None) -> bytes:
    """Return the review as an XLSX file (Chinese headings) and record the export as an event."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    with translation.override("zh-hans"):
        sheet = workbook.active
        sheet.title = _("回头看结果")
        sheet.append(
            [
                _("%(region)s %(year)s 年度项目回头看")
                % {"region": review.region.name, "year": review.year}
            ]
        )
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("统计截止日期"), review.period_end.isoformat()])
        sheet.append([_("弱质收益比例"), float(review.weak_ratio)])
        sheet.append([_("闲置月数"), review.idle_months])
        sheet.append(
            [
                _("参评项目数"),
                review.reviewed,
                _("正常"),
                review.healthy,
                _("弱质"),
                review.weak,
                _("闲置"),
                review.idle,
            ]
        )
        sheet.append([])
        sheet.append(
            [
                _("项目编号"),
                _("项目名称"),
                _("实施区划"),
                _("评定"),
                _("应得收益（元）"),
                _("实际收益（元）"),
                _("实际/应得"),
                _("最近收益日期"),
                _("评定前状态"),
                _("已转入弱质/闲置"),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for r in review_results(review=review):
            sheet.append(
                [
                    r.project.code,
                    r.project.name,
                    r.project.region.name,
                    str(c.ReviewClass(r.verdict).label),
                    r.expected,
                    r.actual,
                    float(r.actual / r.expected) if r.expected else None,
                    r.last_income_on,
                    str(c.ProjectStatus(r.status_before).label),
                    _("是") if r.moved else _("否"),
                ]
            )
            row = sheet.max_row
            sheet.cell(row, 5).number_format = MONEY_FORMAT
            sheet.cell(row, 6).number_format = MONEY_FORMAT
            sheet.cell(row, 7).number_format = "0.0%"
            sheet.cell(row, 8).number_format = "yyyy-mm-dd"

        plans = workbook.create_sheet(_("逾期方案"))
        plans.append(
            [
                _("项目编号"),
                _("项目名称"),
                _("方案类别"),
                _("措施"),
                _("完成期限"),
                _("逾期天数"),
                _("责任人"),
                _("方案状态"),
            ]
        )
        for cell in plans[1]:
            cell.font = Font(bold=True)
        today = timezone.localdate()
        for plan in overdue:
            plans.append(
                [
                    plan.project.code,
                    plan.project.name,
                    str(c.PlanKind(plan.kind).label),
                    "、".join(plan.measure_labels()),
                    plan.deadline,
                    (today - plan.deadline).days,
                    plan.responsible_name,
                    str(c.PlanStatus(plan.status).label),
                ]
            )
            plans.cell(plans.max_row, 5).number_format = "yyyy-mm-dd"
    for ws, widths in (
        (sheet, (24, 20, 12, 8, 16, 16, 10, 14, 10, 14)),
        (plans, (24, 20, 8, 30, 12, 10, 10, 14)),
    ):
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    event_record(
        actor=user,
        verb="project.review_exported",
        object_type="projects.projectreview",
        object_id=str(review.pk),
        region_code=review.region_id,
    )
    return buffer.getvalue()


def project_list_workbook(*, projects, user=None, region_code: str = "") -> bytes:
    """Return the listed projects as an XLSX file (Chinese headings) and record the export."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    with translation.override("zh-hans"):
        sheet = workbook.active
        sheet.title = _("扶贫项目")
        sheet.append(
            [
                _("项目编号"),
                _("项目名称"),
                _("实施区划代码"),
                _("实施区划"),
                _("年度"),
                _("项目类别"),
                _("项目状态"),
                _("总投资（元）"),
                _("预期年收益（元）"),
                _("投入运营日期"),
            ]
        )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        count = 0
        for p in projects.iterator(chunk_size=2000):
            count += 1
            sheet.append(
                [
                    p.code,
                    p.name,
                    p.region_id,
                    p.region.name,
                    p.year,
                    str(c.ProjectCategory(p.category).label),
                    str(c.ProjectStatus(p.status).label),
                    p.total_investment,
                    p.expected_annual_return,
                    p.operating_since,
                ]
            )
            row = sheet.max_row
            sheet.cell(row, 8).number_format = MONEY_FORMAT
            sheet.cell(row, 9).number_format = MONEY_FORMAT
            sheet.cell(row, 10).number_format = "yyyy-mm-dd"
    for index, width in enumerate((24, 24, 15, 12, 6, 10, 8, 16, 16, 12)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    event_record(
        actor=user,
        verb="project.list_exported",
        object_type="projects.project",
        region_code=region_code or getattr(user, "region_id", "") or "",
        data={"rows": count},
    )
    return buffer.getvalue()
