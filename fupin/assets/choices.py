"""Codes and labels of assets and income: English keys in code, Chinese labels in the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetCategory(models.TextChoices):
    OPERATING = "operating", _("经营性资产")
    PUBLIC_WELFARE = "public_welfare", _("公益性资产")
    HOUSEHOLD = "household", _("到户类资产")


class OwnerKind(models.TextChoices):
    VILLAGE = "village", _("村集体")
    HOUSEHOLD = "household", _("农户")


class IncomeKind(models.TextChoices):
    RENT = "rent", _("租金")
    DIVIDEND = "dividend", _("分红")
    SALES = "sales", _("销售收入")
    OTHER = "other", _("其他收益")
