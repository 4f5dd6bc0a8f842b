"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    COUNCILS_CREATED = "councils.created", _("成立理事会")
    COUNCILS_MEETING_RECORDED = "councils.meeting_recorded", _("记录理事会会议")
    COUNCILS_MEMBER_ADDED = "councils.member_added", _("增补理事会成员")
    COUNCILS_MEMBER_ENDED = "councils.member_ended", _("理事会成员离任")
