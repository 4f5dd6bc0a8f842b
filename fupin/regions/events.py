"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    REGION_KEY_SET = "region.key_set", _("设定重点镇村")
    REGION_KEY_UNSET = "region.key_unset", _("取消重点镇村")
    REGIONS_IMPORTED = "regions.imported", _("导入行政区划")
