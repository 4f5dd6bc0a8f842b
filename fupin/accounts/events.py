"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    TOKEN_CREATED = "token.created", _("创建接口令牌")
    USER_ADDED = "user.added", _("新建用户")
    USER_POSITION_SET = "user.position_set", _("设定职务")
