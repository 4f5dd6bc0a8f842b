"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    PROJECT_BENEFICIARIES = "project.beneficiaries", _("登记项目受益户")
    PROJECT_CONTRACT_ADDED = "project.contract_added", _("登记经营合同")
    PROJECT_LIST_EXPORTED = "project.list_exported", _("导出项目清单")
    PROJECT_OPERATOR_ADDED = "project.operator_added", _("登记经营主体")
    PROJECT_OPERATOR_QUALIFIED = "project.operator_qualified", _("认定经营主体资质")
    PROJECT_PROGRESS = "project.progress", _("登记项目进度")
    PROJECT_PROPOSED = "project.proposed", _("申报项目")
    PROJECT_REVIEW = "project.review", _("项目回头看")
    PROJECT_REVIEW_EXPORTED = "project.review_exported", _("导出回头看结果")

    # A move of a project to a status: project.<ProjectStatus> (proposed is project.proposed above).
    PROJECT_SCREENED = "project.screened", _("项目转入筛选")
    PROJECT_APPRAISED = "project.appraised", _("项目转入论证")
    PROJECT_APPROVED = "project.approved", _("项目转入审批")
    PROJECT_BUILDING = "project.building", _("项目转入建设")
    PROJECT_ACCEPTED = "project.accepted", _("项目转入验收")
    PROJECT_OPERATING = "project.operating", _("项目转入运营")
    PROJECT_REJECTED = "project.rejected", _("项目转入未通过")
    PROJECT_WEAK = "project.weak", _("项目转入弱质")
    PROJECT_RECTIFYING = "project.rectifying", _("项目转入整改")
    PROJECT_IDLE = "project.idle", _("项目转入闲置")
    PROJECT_REVIVING = "project.reviving", _("项目转入盘活")
    PROJECT_DISPOSED = "project.disposed", _("项目转入处置")
    # A rectification or revival plan proposed or approved: project.<PlanKind>_plan_<step>.
    PROJECT_RECTIFICATION_PLAN_ADDED = "project.rectification_plan_added", _("整改方案：提出")
    PROJECT_RECTIFICATION_PLAN_APPROVED = "project.rectification_plan_approved", _("整改方案：批准")
    PROJECT_REVIVAL_PLAN_ADDED = "project.revival_plan_added", _("盘活方案：提出")
    PROJECT_REVIVAL_PLAN_APPROVED = "project.revival_plan_approved", _("盘活方案：批准")
