"""Poverty-alleviation funds (扶贫资金): sources, allocations to projects, disbursements, microcredit."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.funds import choices as c

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundSourceQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class FundSource(models.Model):
    """An amount of money of one kind for one year, received by a region (资金来源)."""

    kind = models.CharField(_("资金类型"), max_length=16, choices=c.FundKind.choices)
    level = models.CharField(_("资金级次"), max_length=16, choices=c.FundLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="fund_sources",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    document_no = models.CharField(_("文号"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FundSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        ordering = ["-year", "region_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(name="fundsource_amount_positive", condition=Q(amount__gt=0)),
            # The level of government belongs to special funds only, and they must state it.
            models.CheckConstraint(
                name="fundsource_level_of_special",
                condition=(Q(kind="special") & ~Q(level="")) | (~Q(kind="special") & Q(level="")),
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="fundsource_region_year_idx")]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.level:
            label = f"{self.get_level_display()}{label}"
        return f"{self.year} {label} {self.document_no}".strip()

    @property
    def region_code(self) -> str:
        return self.region_id


class AllocationQuerySet(ScopedQuerySet):
    region_lookup = "project__region__code"


class Allocation(models.Model):
    """Part of a fund source assigned to a project (资金下达)."""

    source = models.ForeignKey(
        FundSource,
        verbose_name=_("资金来源"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    allocated_on = models.DateField(_("下达日期"))
    document_no = models.CharField(_("文号"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金下达")
        verbose_name_plural = _("资金下达")
        ordering = ["-allocated_on", "-id"]
        constraints = [
            models.CheckConstraint(name="allocation_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.project_id} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.project.region_id


class DisbursementQuerySet(ScopedQuerySet):
    region_lookup = "allocation__project__region__code"


class Disbursement(models.Model):
    """A payment out of an allocation, with its voucher (资金拨付)."""

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("资金下达"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    voucher_no = models.CharField(_("凭证号"), max_length=64)
    paid_on = models.DateField(_("拨付日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(name="disbursement_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="disbursement_has_voucher", condition=~Q(voucher_no="")),
            models.UniqueConstraint(
                fields=["allocation", "voucher_no"], name="disbursement_unique_voucher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.allocation.project.region_id


class LoanQuerySet(ScopedQuerySet):
    region_lookup = "household__village__code"


class Loan(models.Model):
    """A microcredit loan to a household (扶贫小额信贷), repaid in one sum at the end of its term."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    bank = models.CharField(_("贷款银行"), max_length=100)
    contract_no = models.CharField(_("合同编号"), max_length=64, blank=True)
    amount = models.DecimalField(_("贷款金额（元）"), **MONEY)
    start_date = models.DateField(_("放款日期"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    # Stored so that the overdue list is one indexed query (start date + term, see ADR 0030).
    due_date = models.DateField(_("到期日期"), db_index=True)
    rate = models.DecimalField(_("年利率"), max_digits=6, decimal_places=4)
    subsidy_rate = models.DecimalField(
        _("贴息年利率"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    subsidy_amount = models.DecimalField(_("贴息金额（元）"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=c.LoanStatus.choices,
        default=c.LoanStatus.ACTIVE,
        db_index=True,
    )
    repaid_on = models.DateField(_("结清日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("扶贫小额贷款")
        verbose_name_plural = _("扶贫小额贷款")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(name="loan_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="loan_term_positive", condition=Q(term_months__gt=0)),
            models.CheckConstraint(
                name="loan_due_after_start", condition=Q(due_date__gt=F("start_date"))
            ),
            models.CheckConstraint(
                name="loan_rates_valid",
                condition=Q(rate__gte=0)
                & (
                    Q(subsidy_rate__isnull=True)
                    | Q(subsidy_rate__gte=0, subsidy_rate__lte=F("rate"))
                ),
            ),
            # A subsidy is a rate or an amount, never both.
            models.CheckConstraint(
                name="loan_one_subsidy",
                condition=Q(subsidy_rate__isnull=True) | Q(subsidy_amount__isnull=True),
            ),
            models.CheckConstraint(
                name="loan_repaid_has_date",
                condition=Q(status="repaid", repaid_on__isnull=False)
                | (~Q(status="repaid") & Q(repaid_on__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.bank} {self.amount}"

    @property
    def region_code(self) -> str:
        return self.household.village_id


class RepaymentQuerySet(ScopedQuerySet):
    region_lookup = "loan__household__village__code"


class Repayment(models.Model):
    """A repayment of principal and interest on a loan, with its voucher (还款)."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField(_("还款日期"))
    principal = models.DecimalField(_("本金（元）"), default=0, **MONEY)
    interest = models.DecimalField(_("利息（元）"), default=0, **MONEY)
    voucher_no = models.CharField(_("凭证号"), max_length=64)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RepaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("还款")
        verbose_name_plural = _("还款")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="repayment_amounts_valid",
                condition=Q(principal__gte=0, interest__gte=0)
                & (Q(principal__gt=0) | Q(interest__gt=0)),
            ),
            models.CheckConstraint(name="repayment_has_voucher", condition=~Q(voucher_no="")),
            models.UniqueConstraint(fields=["loan", "voucher_no"], name="repayment_unique_voucher"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.principal}+{self.interest}"

    @property
    def region_code(self) -> str:
        return self.loan.household.village_id
