"""Codes of assistance plans: the catalogue of measures, their statuses and the TRANSITIONS table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class MeasureCategory(models.TextChoices):
    """The catalogue of assistance measures (帮扶措施)."""

    INDUSTRY = "industry", _("产业帮扶")
    EMPLOYMENT = "employment", _("就业帮扶")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("公益岗位")
    WORK_RELIEF = "work_relief", _("以工代赈")
    LABOR_SUBSIDY = "labor_subsidy", _("劳务补助")
    PRODUCTION_INCENTIVE = "production_incentive", _("生产奖补")
    SKILLS_TRAINING = "skills_training", _("技能培训")
    HEALTH = "health", _("健康帮扶")
    EDUCATION = "education", _("教育帮扶")
    HOUSING = "housing", _("住房保障")
    SAFETY_NET = "safety_net", _("低保/特困兜底")
    MICROCREDIT = "microcredit", _("小额信贷")


# Categories that need the trade the household asked for (技能培训: which skill).
CATEGORIES_NEEDING_TRADE = (MeasureCategory.SKILLS_TRAINING,)


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# Who keeps a household's plan: the officers of its region and its cadres (assistance.roles).
KEEPERS = (
    Role.CITY_ADMIN,
    Role.COUNTY_OFFICER,
    Role.TOWN_OFFICER,
    Role.VILLAGE_OFFICER,
    Role.CADRE,
)

# status -> {status a measure may move to: the roles that may make the move}. Done and cancelled
# are final.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    MeasureStatus.PLANNED: {MeasureStatus.IN_PROGRESS: KEEPERS, MeasureStatus.CANCELLED: KEEPERS},
    MeasureStatus.IN_PROGRESS: {MeasureStatus.DONE: KEEPERS, MeasureStatus.CANCELLED: KEEPERS},
    MeasureStatus.DONE: {},
    MeasureStatus.CANCELLED: {},
}

# Statuses of a measure that counts as assistance given or under way (all but cancelled).
LIVE_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.DONE)
