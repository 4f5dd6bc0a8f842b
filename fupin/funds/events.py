"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    FUNDS_ALLOCATED = "funds.allocated", _("安排资金到项目")
    FUNDS_DISBURSED = "funds.disbursed", _("拨付资金")
    FUNDS_LOAN_ADDED = "funds.loan_added", _("登记小额信贷")
    FUNDS_REPAID = "funds.repaid", _("登记还款")
    FUNDS_SOURCE_ADDED = "funds.source_added", _("登记资金来源")
