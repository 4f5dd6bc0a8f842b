"""Codes and labels of pairing: English keys in code, Chinese labels in the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    CITY = "city", _("市直单位")
    COUNTY = "county", _("县直单位")
    TOWN = "town", _("乡镇单位")


class VillageRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("第一书记")
    POVERTY_OFFICER = "poverty_officer", _("扶贫专干")


class EndReason(models.TextChoices):
    HOUSEHOLD_NO_LONGER_NEEDS = "household_no_longer_needs", _("农户不再需要帮扶")
    CADRE_LEFT = "cadre_left", _("帮扶责任人已离岗")
    REALLOCATED = "reallocated", _("重新分配")
    OTHER = "other", _("其他")


class UncoveredReason(models.TextChoices):
    NO_CADRE = "no_cadre_in_county", _("本县没有在岗的帮扶责任人")
    NO_CAPACITY = "no_capacity_in_county", _("本县没有尚有帮扶名额的帮扶责任人")


class Tier(models.IntegerChoices):
    """Preference of a cadre for a household, best first."""

    VILLAGE = 0, _("帮扶本村的单位")
    TOWN = 1, _("帮扶本镇其他村的单位")
    COUNTY = 2, _("本县单位")
