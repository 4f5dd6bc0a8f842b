"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    DISTRIBUTION_FUND_ENTRY_ADDED = "distribution.fund_entry_added", _("登记村级资金收支")
    DISTRIBUTION_LINES_PAID = "distribution.lines_paid", _("发放收益分配")
    DISTRIBUTION_PLAN_CANCELLED = "distribution.plan_cancelled", _("撤销分配方案")
    DISTRIBUTION_PLAN_DRAFTED = "distribution.plan_drafted", _("拟定分配方案")
    DISTRIBUTION_PLAN_EFFECTIVE = "distribution.plan_effective", _("分配方案生效")
    DISTRIBUTION_PLAN_NOTICED = "distribution.plan_noticed", _("公示分配方案")
    DISTRIBUTION_PLAN_RESOLVED = "distribution.plan_resolved", _("理事会决议分配方案")
