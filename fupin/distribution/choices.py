"""Codes of the income distribution: plan statuses and their TRANSITIONS, fund entry kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    RESOLVED = "resolved", _("理事会已决议")
    NOTICED = "noticed", _("公示中")
    EFFECTIVE = "effective", _("已生效")
    PAID = "paid", _("已发放")
    CANCELLED = "cancelled", _("已作废")


# status -> the statuses a plan may move to from it. Paid and cancelled are final; a plan that has
# taken effect has put money in the village fund and can only be paid out (docs/decisions/0024).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.RESOLVED, PlanStatus.CANCELLED),
    PlanStatus.RESOLVED: (PlanStatus.NOTICED, PlanStatus.CANCELLED),
    PlanStatus.NOTICED: (PlanStatus.EFFECTIVE, PlanStatus.CANCELLED),
    PlanStatus.EFFECTIVE: (PlanStatus.PAID,),
    PlanStatus.PAID: (),
    PlanStatus.CANCELLED: (),
}

# Plans whose money is committed: the village fund has received its share.
IN_EFFECT = (PlanStatus.EFFECTIVE, PlanStatus.PAID)


class FundEntryKind(models.TextChoices):
    IN = "in", _("收入")
    OUT = "out", _("支出")
