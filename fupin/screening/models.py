"""Department feeds uploaded for a county, screening runs, and the households each run flagged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.querysets import ScopedQuerySet
from fupin.screening import choices as c


class FeedUploadQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class FeedUpload(models.Model):
    """A department's file of one feed for a county; a run screens the latest of each feed."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="screening_feeds",
    )
    feed = models.CharField(_("数据类别"), max_length=16, choices=c.FeedName.choices)
    file = models.FileField(_("文件"), upload_to="screening/feeds/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    objects = FeedUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门数据")
        verbose_name_plural = _("部门数据")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["region", "feed", "uploaded_at"], name="feed_latest_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.feed} {self.original_name}"

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def extension(self) -> str:
        return ".parquet" if self.original_name.lower().endswith(".parquet") else ".csv"


class ScreeningRunQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class ScreeningRun(models.Model):
    """One screening of a county's latest feeds for a year, started by a county officer."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="screening_runs",
    )
    year = models.PositiveSmallIntegerField(_("筛查年度"))
    create_cases = models.BooleanField(_("发起监测案件"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=c.RunStatus.choices, default=c.RunStatus.QUEUED
    )
    phase = models.CharField(_("当前步骤"), max_length=16, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    feeds = models.JSONField(_("使用的数据"), default=dict, blank=True)
    summary = models.JSONField(_("运行摘要"), default=dict, blank=True)
    cases = models.JSONField(_("案件"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    objects = ScreeningRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("筛查批次")
        verbose_name_plural = _("筛查批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.region_id} {self.year}"

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def active(self) -> bool:
        return self.status in c.ACTIVE


class ScreeningFlagQuerySet(ScopedQuerySet):
    region_lookup = "village_code"


class ScreeningFlag(models.Model):
    """A household a run flagged, with its rules and figures (warnings.csv, kept for the pages)."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="flags")
    household_no = models.CharField(_("户编号"), max_length=32)
    village_code = models.CharField(_("村代码"), max_length=12, db_index=True)
    size = models.PositiveSmallIntegerField(_("家庭人口数"))
    per_capita_income = models.DecimalField(
        _("人均纯收入"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rules = models.CharField(_("预警规则"), max_length=200)
    registry_category = models.CharField(_("帮扶类别"), max_length=32, blank=True)
    figures = models.JSONField(_("比对数据"), default=dict)
    case = models.ForeignKey(
        "monitoring.Case",
        verbose_name=_("监测案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScreeningFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警农户")
        verbose_name_plural = _("预警农户")
        ordering = ["household_no"]
        constraints = [
            models.UniqueConstraint(fields=["run", "household_no"], name="flag_one_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.household_no}"

    @property
    def region_code(self) -> str:
        return self.village_code

    @property
    def rule_list(self) -> list[str]:
        return self.rules.split(";")
