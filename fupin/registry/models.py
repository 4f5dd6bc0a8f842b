"""The registry (建档立卡): households, their members and their yearly incomes."""

from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.registry import choices as c

ZERO = Decimal("0.00")
HALF_FEN = Decimal("0.005")


def category_q(category: str) -> Q:
    """Return the condition that puts a household in a support category (first match wins)."""
    active = Q(removal_reason="")
    not_lifted = active & Q(poverty_status=c.PovertyStatus.NOT_LIFTED)
    monitored = (
        active
        & ~Q(poverty_status=c.PovertyStatus.NOT_LIFTED)
        & ~Q(monitoring_type="")
        & Q(risk_state=c.RiskState.OPEN)
    )
    rest = (
        active
        & ~Q(poverty_status=c.PovertyStatus.NOT_LIFTED)
        & ~(~Q(monitoring_type="") & Q(risk_state=c.RiskState.OPEN))
    )
    return {
        c.SupportCategory.NOT_LIFTED: not_lifted,
        c.SupportCategory.MONITORED: monitored,
        c.SupportCategory.LIFTED_SUPPORTED: rest
        & Q(poverty_status=c.PovertyStatus.LIFTED, policy_support=True),
        c.SupportCategory.LIFTED: rest
        & Q(poverty_status=c.PovertyStatus.LIFTED)
        & ~Q(policy_support=True),
        c.SupportCategory.ORDINARY: rest & Q(poverty_status=c.PovertyStatus.NONE),
    }[category]


def category_expression() -> Case:
    """Return an SQL expression giving each household's support category ('' when removed)."""
    return Case(
        *(When(category_q(cat), then=Value(cat.value)) for cat in c.SupportCategory),
        default=Value(""),
        output_field=models.CharField(),
    )


class HouseholdQuerySet(ScopedQuerySet):
    region_lookup = "village__code"

    def in_category(self, category: str):
        return self.filter(category_q(category))

    def with_category(self):
        return self.annotate(category=category_expression())


class Household(models.Model):
    """A registered rural household (一户一档) in a village."""

    household_no = models.CharField(_("户编号"), max_length=32, unique=True)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="households",
    )
    poverty_status = models.CharField(
        _("贫困状态"), max_length=16, choices=c.PovertyStatus.choices, default=c.PovertyStatus.NONE
    )
    policy_support = models.BooleanField(_("是否享受政策"), null=True, blank=True)
    household_type = models.CharField(
        _("户属性"), max_length=16, choices=c.HouseholdType.choices, default=c.HouseholdType.GENERAL
    )
    monitoring_type = models.CharField(
        _("监测类型"), max_length=16, choices=c.MonitoringType.choices, blank=True
    )
    risk_types = models.JSONField(_("风险类型"), default=list, blank=True)
    risk_state = models.CharField(
        _("风险状态"), max_length=16, choices=c.RiskState.choices, blank=True
    )
    monitored_on = models.DateField(_("纳入监测日期"), null=True, blank=True)
    risk_eliminated_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    main_cause = models.CharField(
        _("主要致贫原因"), max_length=16, choices=c.PovertyCause.choices, blank=True
    )
    removal_reason = models.CharField(
        _("清退/自然减少"), max_length=32, choices=c.RemovalReason.choices, blank=True
    )
    removed_on = models.DateField(_("清退日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["household_no"]
        permissions = [
            ("import_household", _("导入农户")),
            ("export_household", _("导出农户")),
            ("reveal_id_number", _("查看完整证件号码")),
            ("export_full_ids", _("导出完整证件号码")),
        ]
        constraints = [
            models.CheckConstraint(
                name="household_policy_support_only_lifted",
                condition=Q(policy_support__isnull=True) | Q(poverty_status="lifted"),
            ),
            models.CheckConstraint(
                name="household_risk_state_with_monitoring",
                condition=Q(monitoring_type="") | ~Q(risk_state=""),
            ),
            models.CheckConstraint(
                name="household_removal_dated",
                condition=Q(removal_reason="", removed_on__isnull=True)
                | (~Q(removal_reason="") & Q(removed_on__isnull=False)),
            ),
        ]
        indexes = [
            models.Index(fields=["poverty_status", "household_type"], name="household_status_idx")
        ]

    def __str__(self) -> str:
        return self.household_no

    @property
    def region_code(self) -> str:
        return self.village_id

    @property
    def natural_key_value(self) -> str:
        return self.household_no

    @property
    def support_category(self) -> str:
        """Return the household's support category key ('' when removed)."""
        if self.removal_reason:
            return ""
        if self.poverty_status == c.PovertyStatus.NOT_LIFTED:
            return c.SupportCategory.NOT_LIFTED
        if self.monitoring_type and self.risk_state == c.RiskState.OPEN:
            return c.SupportCategory.MONITORED
        if self.poverty_status == c.PovertyStatus.LIFTED:
            return (
                c.SupportCategory.LIFTED_SUPPORTED
                if self.policy_support
                else c.SupportCategory.LIFTED
            )
        return c.SupportCategory.ORDINARY

    def get_support_category_display(self) -> str:
        category = self.support_category
        return c.SupportCategory(category).label if category else _("已清退")


class PersonQuerySet(ScopedQuerySet):
    region_lookup = "household__village__code"

    def active(self):
        return self.filter(left_on__isnull=True)


class Person(models.Model):
    """A member of a household; sex and birth date come from the ID number."""

    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.PROTECT, related_name="members"
    )
    id_number = models.CharField(_("证件号码"), max_length=18, db_index=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=c.Relation.choices)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    health = models.CharField(_("健康状况"), max_length=16, choices=c.Health.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), choices=c.DisabilityGrade.choices, null=True, blank=True
    )
    labor_ability = models.CharField(
        _("劳动能力"), max_length=16, choices=c.LaborAbility.choices, blank=True
    )
    schooling = models.CharField(
        _("在校生状况"), max_length=20, choices=c.Schooling.choices, blank=True
    )
    left_on = models.DateField(_("减员日期"), null=True, blank=True)
    left_reason = models.CharField(
        _("减员原因"), max_length=16, choices=c.LeftReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(left_on__isnull=True),
                name="person_active_id_unique",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head", left_on__isnull=True),
                name="household_one_active_head",
            ),
            models.CheckConstraint(
                name="person_left_with_reason",
                condition=Q(left_on__isnull=True, left_reason="")
                | Q(left_on__isnull=False) & ~Q(left_reason=""),
            ),
            models.CheckConstraint(
                name="person_disability_grade_range",
                condition=Q(disability_grade__isnull=True) | Q(disability_grade__range=(1, 4)),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.household.village_id

    @property
    def is_active(self) -> bool:
        return self.left_on is None


MONEY = {"max_digits": 14, "decimal_places": 2, "default": ZERO}


class HouseholdIncome(models.Model):
    """A household's income of one year, by source (yuan, two decimals)."""

    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    size = models.PositiveSmallIntegerField(_("家庭人口数"), null=True, blank=True)
    wage = models.DecimalField(_("工资性收入"), **MONEY)
    public_welfare_wage = models.DecimalField(_("其中：公益性岗位收入"), **MONEY)
    business = models.DecimalField(_("生产经营性收入"), **MONEY)
    property_income = models.DecimalField(_("财产性收入"), **MONEY)
    dividend = models.DecimalField(_("其中：资产收益扶贫分红收入"), **MONEY)
    transfer = models.DecimalField(_("转移性收入"), **MONEY)
    pension = models.DecimalField(_("其中：养老金"), **MONEY)
    dibao = models.DecimalField(_("其中：低保金"), **MONEY)
    tekun_support = models.DecimalField(_("其中：特困供养金"), **MONEY)
    eco_compensation = models.DecimalField(_("其中：生态补偿金"), **MONEY)
    transfer_other = models.DecimalField(_("其中：其他转移性收入"), **MONEY)
    production_cost = models.DecimalField(_("生产经营性支出"), **MONEY)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭收入")
        verbose_name_plural = _("家庭收入")
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="income_one_per_household_year"
            ),
            models.CheckConstraint(
                name="income_amounts_not_negative",
                condition=Q(
                    wage__gte=0,
                    public_welfare_wage__gte=0,
                    business__gte=0,
                    property_income__gte=0,
                    dividend__gte=0,
                    transfer__gte=0,
                    pension__gte=0,
                    dibao__gte=0,
                    tekun_support__gte=0,
                    eco_compensation__gte=0,
                    transfer_other__gte=0,
                    production_cost__gte=0,
                ),
            ),
            # SQLite keeps decimals as binary floats, so a sum of sub-items may exceed an equal total
            # by a rounding error; half a fen of tolerance keeps exact two-decimal amounts valid.
            models.CheckConstraint(
                name="income_sub_items_within_totals",
                condition=Q(
                    public_welfare_wage__lte=F("wage"),
                    dividend__lte=F("property_income"),
                    transfer__gte=F("pension")
                    + F("dibao")
                    + F("tekun_support")
                    + F("eco_compensation")
                    + F("transfer_other")
                    - Value(HALF_FEN),
                ),
            ),
            models.CheckConstraint(
                name="income_size_positive", condition=Q(size__isnull=True) | Q(size__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.year}"

    @property
    def region_code(self) -> str:
        return self.household.village_id

    @property
    def net(self) -> Decimal:
        """Return net income: wage + business + property + transfer − production cost."""
        return (
            self.wage + self.business + self.property_income + self.transfer - self.production_cost
        )
