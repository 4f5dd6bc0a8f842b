"""Codes of projects: categories, the life states and the TRANSITIONS table with the roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectCategory(models.TextChoices):
    """What a project builds (项目类别)."""

    INDUSTRY = "industry", _("产业发展")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    PHOTOVOLTAIC = "photovoltaic", _("光伏扶贫")
    TOURISM = "tourism", _("乡村旅游")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    """The states of a project's life."""

    PROPOSED = "proposed", _("申报")
    SCREENED = "screened", _("筛选")
    APPRAISED = "appraised", _("论证")
    APPROVED = "approved", _("审批")
    BUILDING = "building", _("建设")
    ACCEPTED = "accepted", _("验收")
    OPERATING = "operating", _("运营")
    REJECTED = "rejected", _("未通过")
    WEAK = "weak", _("弱质")
    RECTIFYING = "rectifying", _("整改")
    IDLE = "idle", _("闲置")
    REVIVING = "reviving", _("盘活")
    DISPOSED = "disposed", _("处置")
