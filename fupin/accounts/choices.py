from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The one role a user holds; what it may do is in fupin.accounts.roles."""

    CITY_ADMIN = "city_admin", _("市级管理员")
    COUNTY_OFFICER = "county_officer", _("县级扶贫办")
    TOWN_OFFICER = "town_officer", _("乡镇扶贫办")
    VILLAGE_OFFICER = "village_officer", _("村级扶贫专干")
    CADRE = "cadre", _("帮扶责任人")
    AUDITOR = "auditor", _("审计/纪检（只读）")
    DEPARTMENT = "department", _("部门数据报送")


class Position(models.TextChoices):
    """A leader's post (遍访 targets follow from it); blank = no leader post."""

    CITY_SECRETARY = "city_secretary", _("市委书记")
    COUNTY_SECRETARY = "county_secretary", _("县委书记")
    TOWN_SECRETARY = "town_secretary", _("乡镇党委书记")
    VILLAGE_SECRETARY = "village_secretary", _("村党支部书记")
