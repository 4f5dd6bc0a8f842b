"""Codes and labels of the assessment (考核): its indicators, in the order a scorecard shows them;
a scorecard's statuses and their TRANSITIONS table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class Indicator(models.TextChoices):
    """An indicator of the scorecard; the key names its weight in `assessment.weights`."""

    PAIRING = "pairing", _("结对帮扶覆盖率")
    VISITS = "visits", _("走访达标率")
    ONTIME = "ontime", _("按期审定率")
    DAYS = "days", _("审定用时中位数")
    PLANS = "plans", _("监测户帮扶计划覆盖率")
    ROUNDS = "rounds", _("遍访完成率")


class Status(models.TextChoices):
    """Whether a scorecard is computed from the data now or read from its frozen snapshot."""

    LIVE = "live", _("实时计算")
    CLOSED = "closed", _("已关闭（冻结）")


# status -> {status: roles}. A period's scorecard is live until the city closes its counties' or a
# county its towns' (oversight.roles), or a system run closes it; closed is final: the published
# figures and ranks never change.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Status.LIVE: {Status.CLOSED: (Role.CITY_ADMIN, Role.COUNTY_OFFICER)},
    Status.CLOSED: {},
}
