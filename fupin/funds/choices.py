"""Codes and labels of funds: English keys in code, Chinese labels in the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    SPECIAL = "special", _("财政专项扶贫资金")
    INTEGRATED = "integrated", _("统筹整合涉农资金")
    MICROCREDIT = "microcredit", _("小额扶贫贷款")
    DONATION = "donation", _("社会捐赠")
    OTHER = "other", _("其他资金")


class FundLevel(models.TextChoices):
    """The level of government a special poverty fund comes from."""

    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("在贷")
    REPAID = "repaid", _("已结清")


# status -> {status a loan may move to: the roles that may make the move}. A loan is settled by
# the repayment that pays off its principal, never by hand: the move is the system's. Repaid is
# final.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    LoanStatus.ACTIVE: {LoanStatus.REPAID: ()},
    LoanStatus.REPAID: {},
}
