"""Exporting a look-back review to XLSX: its parameters, every project's verdict, overdue plans."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fupin.core.services import event_record
from fupin.core.tabular import Column, WorkbookWriter
from fupin.projects import choices as c
from fupin.projects.models import ProjectReview
from fupin.projects.selectors import review_results


def review_workbook(*, review: ProjectReview, overdue, user=None) -> bytes:
    """Return the review as an XLSX file (Chinese headings) and record the export as an event."""
    workbook = WorkbookWriter()
    with translation.override("zh-hans"):
        lead = [
            [
                _("%(region)s %(year)s 年度项目回头看")
                % {"region": review.region.name, "year": review.year}
            ],
            [_("统计截止日期"), review.period_end.isoformat()],
            [_("弱质收益比例"), float(review.weak_ratio)],
            [_("闲置月数"), review.idle_months],
            [
                _("参评项目数"),
                review.reviewed,
                _("正常"),
                review.healthy,
                _("弱质"),
                review.weak,
                _("闲置"),
                review.idle,
            ],
            [],
        ]
        sheet = workbook.sheet(
            _("回头看结果"),
            [
                Column(_("项目编号"), width=24),
                Column(_("项目名称"), width=20),
                Column(_("实施区划"), width=12),
                Column(_("评定"), width=8),
                Column(_("应得收益（元）"), "money", 16),
                Column(_("实际收益（元）"), "money", 16),
                Column(_("实际/应得"), "percent", 10),
                Column(_("最近收益日期"), "date", 14),
                Column(_("评定前状态"), width=10),
                Column(_("已转入弱质/闲置"), width=14),
            ],
            lead=lead,
        )
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

        plans = workbook.sheet(
            _("逾期方案"),
            [
                Column(_("项目编号"), width=24),
                Column(_("项目名称"), width=20),
                Column(_("方案类别"), width=8),
                Column(_("措施"), width=30),
                Column(_("完成期限"), "date", 12),
                Column(_("逾期天数"), "integer", 10),
                Column(_("责任人"), width=10),
                Column(_("方案状态"), width=14),
            ],
        )
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
    content = workbook.content()
    event_record(
        actor=user,
        verb="project.review_exported",
        object_type="projects.projectreview",
        object_id=str(review.pk),
        region_code=review.region_id,
    )
    return content


def project_list_workbook(*, projects, user=None, region_code: str = "") -> bytes:
    """Return the listed projects as an XLSX file (Chinese headings) and record the export."""
    workbook = WorkbookWriter()
    with translation.override("zh-hans"):
        sheet = workbook.sheet(
            _("扶贫项目"),
            [
                Column(_("项目编号"), width=24),
                Column(_("项目名称"), width=24),
                Column(_("实施区划代码"), width=15),
                Column(_("实施区划"), width=12),
                Column(_("年度"), width=6),
                Column(_("项目类别"), width=10),
                Column(_("项目状态"), width=8),
                Column(_("总投资（元）"), "money", 16),
                Column(_("预期年收益（元）"), "money", 16),
                Column(_("投入运营日期"), "date", 12),
            ],
        )
        for p in projects.iterator(chunk_size=2000):
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
    content = workbook.content()
    event_record(
        actor=user,
        verb="project.list_exported",
        object_type="projects.project",
        region_code=region_code or getattr(user, "region_id", "") or "",
        data={"rows": sheet.rows},
    )
    return content
