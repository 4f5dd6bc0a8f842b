"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    SCREENING_FEED_UPLOADED = "screening.feed_uploaded", _("报送筛查数据")
    SCREENING_RUN_STARTED = "screening.run_started", _("开始部门筛查")
