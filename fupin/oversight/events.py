"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    OVERSIGHT_SCORECARD_CLOSED = "oversight.scorecard_closed", _("考核结果定稿")
    OVERSIGHT_SCORECARD_EXPORTED = "oversight.scorecard_exported", _("导出考核结果")
