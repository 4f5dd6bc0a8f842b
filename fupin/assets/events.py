"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    ASSETS_ASSET_ADDED = "assets.asset_added", _("登记资产")
    ASSETS_FUNDING_ADDED = "assets.funding_added", _("登记资产资金构成")
    ASSETS_INCOME_ADDED = "assets.income_added", _("登记资产收益")
