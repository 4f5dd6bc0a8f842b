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
