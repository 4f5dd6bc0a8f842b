"""Codes and labels of village councils: English keys in code, Chinese labels in the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("理事长")
    MEMBER = "member", _("理事")
    SUPERVISOR = "supervisor", _("监事")


class ResolutionKind(models.TextChoices):
    """What a resolution decides; some decisions take effect only with one of these."""

    PROJECT_SELECTION = "project_selection", _("项目选择")
    DISTRIBUTION_PLAN = "distribution_plan", _("收益分配方案")
    DISPOSAL = "disposal", _("资产处置")
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案")
    REVIVAL_PLAN = "revival_plan", _("盘活方案")
    OTHER = "other", _("其他")
