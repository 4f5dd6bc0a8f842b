from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Level of an administrative division; the value is the length of its code prefix."""

    PROVINCE = 2, _("省")
    CITY = 4, _("市")
    COUNTY = 6, _("县")
    TOWN = 9, _("乡镇")
    VILLAGE = 12, _("村")
