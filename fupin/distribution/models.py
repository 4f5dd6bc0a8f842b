"""Differentiated income distribution (差异化分配): plans, their lines, the village fund's ledger."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.distribution import choices as c

ZERO = Decimal("0.00")
# SQLite keeps decimals as binary floats: sums are compared within half a fen.
HALF_FEN = Decimal("0.005")
MONEY = {"max_digits": 14, "decimal_places": 2}


class PlanQuerySet(ScopedQuerySet):
    region_lookup = "village__code"

    def in_effect(self):
        return self.filter(status__in=c.IN_EFFECT)


class DistributionPlan(models.Model):
    """How one amount of a village's income of a year is shared: pools and households."""

    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="distribution_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("分配金额"), **MONEY)
    # The rule's parameters as used (line, cap, weights, shares; the level and multiplier found).
    parameters = models.JSONField(_("分配参数"), default=dict)
    welfare_pool = models.DecimalField(_("公益岗位资金"), **MONEY)
    fund_direct = models.DecimalField(_("直接计提村扶贫基金"), **MONEY)
    village_fund = models.DecimalField(_("转入村扶贫基金"), **MONEY)
    households_total = models.DecimalField(_("分配到户合计"), **MONEY)
    households = models.PositiveIntegerField(_("分配户数"))
    status = models.CharField(
        _("状态"), max_length=12, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT
    )
    resolution = models.ForeignKey(
        "councils.Resolution",
        verbose_name=_("理事会决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distribution_plans",
    )
    notice_started_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    paid_on = models.DateField(_("发放完毕日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("收益分配方案")
        verbose_name_plural = _("收益分配方案")
        ordering = ["village_id", "-year", "-id"]
        permissions = [
            ("draft_plan", _("制定收益分配方案、登记决议和公示")),
            ("pay_plan", _("确认分配方案生效并登记发放")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                condition=~Q(status="cancelled"),
                name="distributionplan_one_live_per_village_year",
            ),
            models.CheckConstraint(
                name="distributionplan_amounts_not_negative",
                condition=Q(
                    amount__gte=0,
                    welfare_pool__gte=0,
                    fund_direct__gte=0,
                    village_fund__gte=0,
                    households_total__gte=0,
                ),
            ),
            models.CheckConstraint(
                name="distributionplan_parts_make_the_amount",
                condition=Q(
                    amount__gte=F("welfare_pool")
                    + F("village_fund")
                    + F("households_total")
                    - Value(HALF_FEN),
                    amount__lte=F("welfare_pool")
                    + F("village_fund")
                    + F("households_total")
                    + Value(HALF_FEN),
                ),
            ),
            models.CheckConstraint(
                name="distributionplan_resolved_with_resolution",
                condition=Q(status__in=["draft", "cancelled"]) | Q(resolution__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"

    @property
    def region_code(self) -> str:
        return self.village_id


class LineQuerySet(ScopedQuerySet):
    region_lookup = "plan__village__code"


class DistributionLine(models.Model):
    """One household's share in a plan, and its payment (date and voucher)."""

    plan = models.ForeignKey(
        DistributionPlan, verbose_name=_("分配方案"), on_delete=models.PROTECT, related_name="lines"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="distribution_lines",
    )
    category = models.CharField(_("帮扶类别"), max_length=20)
    size = models.PositiveSmallIntegerField(_("家庭人口数"))
    per_capita_income = models.DecimalField(_("人均纯收入"), **MONEY)
    amount = models.DecimalField(_("分配金额"), **MONEY)
    paid = models.BooleanField(_("已发放"), default=False)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    voucher_no = models.CharField(_("凭证号"), max_length=50, blank=True)
    history = HistoricalRecords()

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("分配到户明细")
        verbose_name_plural = _("分配到户明细")
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"], name="distributionline_one_per_household"
            ),
            models.CheckConstraint(
                name="distributionline_amount_not_negative", condition=Q(amount__gte=0)
            ),
            models.CheckConstraint(
                name="distributionline_paid_dated_with_voucher",
                condition=Q(paid=False, paid_on__isnull=True)
                | Q(paid=True, paid_on__isnull=False) & ~Q(voucher_no=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.household_id}"

    @property
    def region_code(self) -> str:
        return self.plan.village_id


class FundEntryQuerySet(ScopedQuerySet):
    region_lookup = "village__code"


class VillageFundEntry(models.Model):
    """A movement of a village's poverty fund (村扶贫基金): money in or out, with its voucher."""

    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="village_fund_entries",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("收支"), max_length=3, choices=c.FundEntryKind.choices)
    amount = models.DecimalField(_("金额"), **MONEY)
    reason = models.CharField(_("摘要"), max_length=200)
    plan = models.ForeignKey(
        DistributionPlan,
        verbose_name=_("分配方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    voucher_no = models.CharField(_("凭证号"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("村扶贫基金收支")
        verbose_name_plural = _("村扶贫基金收支")
        ordering = ["village_id", "date", "id"]
        constraints = [
            models.CheckConstraint(
                name="villagefundentry_amount_positive", condition=Q(amount__gt=0)
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(plan__isnull=False, kind="in"),
                name="villagefundentry_one_in_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.date} {self.kind} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.village_id
