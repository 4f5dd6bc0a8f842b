"""Poverty-alleviation projects (扶贫项目): their life from proposal to operation and review."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("扶贫项目")
        verbose_name_plural = _("扶贫项目")
        ordering = ["-year", "code"]
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
