"""Poverty-alleviation projects (扶贫项目): their life from proposal to operation and review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core import states
from fupin.core.querysets import ScopedQuerySet
from fupin.projects import choices as c


class ProjectQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class Project(models.Model):
    """A project of a village (or a town): what it builds, what it costs and what it returns."""

    name = models.CharField(_("项目名称"), max_length=100)
    code = models.CharField(_("项目编号"), max_length=32, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("实施区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    category = models.CharField(_("项目类别"), max_length=16, choices=c.ProjectCategory.choices)
    status = models.CharField(
        _("项目状态"),
        max_length=16,
        choices=c.ProjectStatus.choices,
        default=c.ProjectStatus.PROPOSED,
        db_index=True,
    )
    expected_annual_return = models.DecimalField(
        _("预期年收益（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_investment = models.DecimalField(
        _("总投资（元）"), max_digits=14, decimal_places=2, default=0
    )
    description = models.TextField(_("建设内容"), blank=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    operating_since = models.DateField(_("投入运营日期"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("扶贫项目")
        verbose_name_plural = _("扶贫项目")
        ordering = ["-year", "code"]
        permissions = [
            ("move_project", _("推进项目状态")),
            ("change_project_records", _("登记项目建设进度、合同与受益户")),
        ]
        constraints = [
            models.CheckConstraint(
                name="project_investment_nonnegative", condition=Q(total_investment__gte=0)
            ),
            models.CheckConstraint(
                name="project_return_nonnegative",
                condition=Q(expected_annual_return__isnull=True) | Q(expected_annual_return__gte=0),
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="project_region_year_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def natural_key_value(self) -> str:
        return self.code

    @property
    def allowed_moves(self) -> list[str]:
        """Return the states this project may move to (whoever may make the move)."""
        return states.allowed_moves(c.TRANSITIONS, self.status)


class ByProjectQuerySet(ScopedQuerySet):
    """Rows that belong to a project, scoped by the project's region."""

    region_lookup = "project__region__code"


class ProjectMove(models.Model):
    """One move of a project's state, by whom, with the record that move requires."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="moves"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=c.ProjectStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=c.ProjectStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_moves",
    )
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    record = models.JSONField(_("办理记录"), default=dict, blank=True)
    resolution = models.ForeignKey(
        "councils.Resolution",
        verbose_name=_("理事会决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_moves",
    )

    objects = ByProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目状态变更")
        verbose_name_plural = _("项目状态变更")
        ordering = ["project_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_status} → {self.to_status}"

    @property
    def region_code(self) -> str:
        return self.project.region_id


class ProgressEntry(models.Model):
    """One construction progress report of a project (建设进度)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="progress"
    )
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ByProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("建设进度")
        verbose_name_plural = _("建设进度")
        ordering = ["project_id", "on", "id"]
        constraints = [
            models.CheckConstraint(name="progress_percent_range", condition=Q(percent__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.on} {self.percent}%"

    @property
    def region_code(self) -> str:
        return self.project.region_id


class OperatorQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class Operator(models.Model):
    """An operator (经营主体) that runs project assets, with its qualification check."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=c.OperatorKind.choices)
    licence_no = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("登记区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="operators",
    )
    registered_capital = models.DecimalField(
        _("注册资本（元）"), max_digits=14, decimal_places=2, default=0
    )
    credit_clean = models.BooleanField(_("信用记录良好"), default=True)
    credit_record = models.TextField(_("信用记录"), blank=True)
    legal_person = models.CharField(_("法定代表人"), max_length=50, blank=True)
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("资格审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    qualified_at = models.DateTimeField(_("资格审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = OperatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("经营主体")
        verbose_name_plural = _("经营主体")
        ordering = ["region_id", "name"]
        permissions = [("qualify_operator", _("审核经营主体资格"))]
        constraints = [
            models.CheckConstraint(
                name="operator_capital_nonnegative", condition=Q(registered_capital__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def qualified(self) -> bool:
        return self.qualified_at is not None

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def natural_key_value(self) -> str:
        return self.licence_no


class OperatingContract(models.Model):
    """An operating contract (经营合同) between a project and its operator for a period."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="contracts"
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("经营主体"), on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(_("经营方式"), max_length=16, choices=c.ContractKind.choices)
    contract_no = models.CharField(_("合同编号"), max_length=50, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    annual_amount = models.DecimalField(
        _("年租金/约定年收益（元）"), max_digits=14, decimal_places=2
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ByProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("经营合同")
        verbose_name_plural = _("经营合同")
        ordering = ["project_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                name="contract_period",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="contract_amount_nonnegative", condition=Q(annual_amount__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.operator} {self.start_date}"

    @property
    def region_code(self) -> str:
        return self.project.region_id


class ProjectBeneficiary(models.Model):
    """A household a project benefits in a year, with the persons counted (户次、人次)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="beneficiaries"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="project_benefits",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    persons = models.PositiveSmallIntegerField(_("受益人数"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ByProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目受益户")
        verbose_name_plural = _("项目受益户")
        ordering = ["project_id", "year", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household", "year"], name="beneficiary_unique_year"
            ),
            models.CheckConstraint(
                name="beneficiary_persons_positive", condition=Q(persons__gte=1)
            ),
        ]
        indexes = [models.Index(fields=["year", "project"], name="beneficiary_year_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.household_id} {self.year}"

    @property
    def region_code(self) -> str:
        return self.project.region_id


class RectificationPlan(models.Model):
    """A rectification (整改) or revival (盘活) plan of a weak or idle project."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("方案类别"), max_length=16, choices=c.PlanKind.choices)
    # A list of PlanMeasure values (JSON, portable across SQLite and PostgreSQL).
    measures = models.JSONField(_("措施"), default=list)
    description = models.TextField(_("方案内容"), blank=True)
    deadline = models.DateField(_("完成期限"), db_index=True)
    responsible_name = models.CharField(_("责任人"), max_length=50)
    status = models.CharField(
        _("方案状态"), max_length=16, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT
    )
    resolution = models.ForeignKey(
        "councils.Resolution",
        verbose_name=_("理事会决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_plans",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    approved_at = models.DateTimeField(_("决议时间"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ByProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改盘活方案")
        verbose_name_plural = _("整改盘活方案")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                name="plan_approved_has_resolution",
                condition=Q(status="draft") | Q(resolution__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()} {self.deadline}"

    @property
    def region_code(self) -> str:
        return self.project.region_id

    def measure_labels(self) -> list[str]:
        """Return the labels of the plan's measures."""
        return [str(c.PlanMeasure(m).label) for m in self.measures if m in c.PlanMeasure.values]


class ProjectReview(models.Model):
    """One run of the look-back review (回头看) over a region's projects for a year."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="project_reviews",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period_end = models.DateField(_("统计截止日期"))
    weak_ratio = models.DecimalField(_("弱质收益比例"), max_digits=5, decimal_places=4)
    idle_months = models.PositiveSmallIntegerField(_("闲置月数"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执行人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("执行时间"), auto_now_add=True)
    reviewed = models.PositiveIntegerField(_("参评项目数"), default=0)
    healthy = models.PositiveIntegerField(_("正常"), default=0)
    weak = models.PositiveIntegerField(_("弱质"), default=0)
    idle = models.PositiveIntegerField(_("闲置"), default=0)
    moved = models.PositiveIntegerField(_("转入弱质/闲置"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目回头看")
        verbose_name_plural = _("项目回头看")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

    @property
    def region_code(self) -> str:
        return self.region_id


class ReviewResultQuerySet(ScopedQuerySet):
    region_lookup = "review__region__code"


class ReviewResult(models.Model):
    """The review's verdict on one project: expected and actual return, last income."""

    review = models.ForeignKey(
        ProjectReview, verbose_name=_("回头看"), on_delete=models.PROTECT, related_name="results"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="review_results"
    )
    verdict = models.CharField(_("评定"), max_length=8, choices=c.ReviewClass.choices)
    expected = models.DecimalField(_("应得收益（元）"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("实际收益（元）"), max_digits=14, decimal_places=2)
    last_income_on = models.DateField(_("最近收益日期"), null=True, blank=True)
    status_before = models.CharField(
        _("评定前状态"), max_length=16, choices=c.ProjectStatus.choices
    )
    moved = models.BooleanField(_("已转入弱质/闲置"), default=False)

    objects = ReviewResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看结果")
        verbose_name_plural = _("回头看结果")
        ordering = ["review_id", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "project"], name="reviewresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.project_id} {self.verdict}"
