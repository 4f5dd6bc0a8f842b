"""Codes of the income distribution: plan statuses and their TRANSITIONS, fund entry kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    RESOLVED = "resolved", _("理事会已决议")
    NOTICED = "noticed", _("公示中")
    EFFECTIVE = "effective", _("已生效")
    PAID = "paid", _("已发放")
    CANCELLED = "cancelled", _("已作废")


# Village and town officers draft a plan, record its resolution, post its notice and may cancel
# it; the town finance office (村账乡代管), or the county, puts it in effect and pays it
# (distribution.roles, docs/decisions/0025).
DRAFTERS = (Role.VILLAGE_OFFICER, Role.TOWN_OFFICER)
PAYERS = (Role.TOWN_OFFICER, Role.COUNTY_OFFICER)

# status -> {status a plan may move to: the roles that may make the move}. Paid and cancelled are
# final; a plan that has taken effect has put money in the village fund and can only be paid out
# (docs/decisions/0024).
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    PlanStatus.DRAFT: {PlanStatus.RESOLVED: DRAFTERS, PlanStatus.CANCELLED: DRAFTERS},
    PlanStatus.RESOLVED: {PlanStatus.NOTICED: DRAFTERS, PlanStatus.CANCELLED: DRAFTERS},
    PlanStatus.NOTICED: {PlanStatus.EFFECTIVE: PAYERS, PlanStatus.CANCELLED: DRAFTERS},
    PlanStatus.EFFECTIVE: {PlanStatus.PAID: PAYERS},
    PlanStatus.PAID: {},
    PlanStatus.CANCELLED: {},
}

# Plans whose money is committed: the village fund has received its share.
IN_EFFECT = (PlanStatus.EFFECTIVE, PlanStatus.PAID)


class FundEntryKind(models.TextChoices):
    IN = "in", _("收入")
    OUT = "out", _("支出")
