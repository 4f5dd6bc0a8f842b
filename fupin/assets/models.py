"""Assets formed by projects (扶贫资产), what funded them, and the income they earn (收益台账)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.assets import choices as c
from fupin.core.querysets import ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class AssetQuerySet(ScopedQuerySet):
    region_lookup = "village__code"


class Asset(models.Model):
    """An asset formed by a project, owned by a village collective or a household (资产登记)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    name = models.CharField(_("资产名称"), max_length=100)
    category = models.CharField(_("资产类别"), max_length=16, choices=c.AssetCategory.choices)
    owner_kind = models.CharField(_("产权归属"), max_length=16, choices=c.OwnerKind.choices)
    # The owning collective's region (usually a village); for a household's asset, its village.
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="assets",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("所属农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    value = models.DecimalField(_("资产价值（元）"), **MONEY)
    formed_on = models.DateField(_("形成日期"), db_index=True)
    location = models.CharField(_("坐落位置"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("扶贫资产")
        verbose_name_plural = _("扶贫资产")
        ordering = ["village_id", "-formed_on", "id"]
        constraints = [
            models.CheckConstraint(name="asset_value_positive", condition=Q(value__gt=0)),
            models.CheckConstraint(
                name="asset_owner_consistent",
                condition=Q(owner_kind="village", household__isnull=True)
                | Q(owner_kind="household", household__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.village_id


class AssetFundingQuerySet(ScopedQuerySet):
    region_lookup = "asset__village__code"


class AssetFunding(models.Model):
    """The part of an asset's value paid by one fund source (资金来源构成)."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("资产"), on_delete=models.PROTECT, related_name="fundings"
    )
    source = models.ForeignKey(
        "funds.FundSource",
        verbose_name=_("资金来源"),
        on_delete=models.PROTECT,
        related_name="asset_fundings",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AssetFundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("资产资金来源")
        verbose_name_plural = _("资产资金来源")
        ordering = ["asset_id", "id"]
        constraints = [
            models.CheckConstraint(name="assetfunding_amount_positive", condition=Q(amount__gt=0)),
            models.UniqueConstraint(fields=["asset", "source"], name="assetfunding_one_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} ← {self.source_id} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.asset.village_id


class IncomeEntryQuerySet(ScopedQuerySet):
    region_lookup = "asset__village__code"


class IncomeEntry(models.Model):
    """Income an asset earned for a period, received on a date with a voucher (收益台账)."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("资产"), on_delete=models.PROTECT, related_name="income_entries"
    )
    kind = models.CharField(_("收益类型"), max_length=16, choices=c.IncomeKind.choices)
    period_start = models.DateField(_("所属期起"))
    period_end = models.DateField(_("所属期止"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    received_on = models.DateField(_("到账日期"), db_index=True)
    voucher_no = models.CharField(_("凭证号"), max_length=64)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = IncomeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("资产收益")
        verbose_name_plural = _("资产收益")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(name="incomeentry_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="incomeentry_period", condition=Q(period_end__gte=F("period_start"))
            ),
            models.CheckConstraint(name="incomeentry_has_voucher", condition=~Q(voucher_no="")),
            models.UniqueConstraint(
                fields=["asset", "voucher_no"], name="incomeentry_unique_voucher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.received_on} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.asset.village_id
