"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    MEASURE_ADDED = "measure.added", _("添加帮扶措施")
    MEASURE_MOVED = "measure.moved", _("变更措施状态")
    MEASURE_UPDATED = "measure.updated", _("修改帮扶措施")
    PLAN_CREATED = "plan.created", _("建立帮扶计划")
    PLAN_DUE_DATE_SET = "plan.due_date_set", _("调整措施落实期限")
    PLAN_REQUIRED = "plan.required", _("要求建立帮扶计划")
    PLAN_UPDATED = "plan.updated", _("修改帮扶计划")
