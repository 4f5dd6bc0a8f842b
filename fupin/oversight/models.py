"""Frozen scorecards of closed assessment periods (考核) and their rows, one per ranked region."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet


class ScorecardQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class Scorecard(models.Model):
    """The published ranking of a region's children for a closed period, with the weights used."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("考核区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    start = models.DateField(_("考核期开始"))
    end = models.DateField(_("考核期结束"))
    # The date the figures were taken on: the period's end (a period is closed only once it is over).
    as_of = models.DateField(_("数据截至日期"))
    # {indicator: "weight"} as read from `assessment.weights` when the period was closed.
    weights = models.JSONField(_("权重"), default=dict)
    # {indicator: "target"} of indicators scored against a target (the days to a decision).
    targets = models.JSONField(_("目标值"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scorecards_closed",
    )
    history = HistoricalRecords()

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["-end", "-start", "region_id"]
        permissions = [("close_scorecard", _("关闭考核期并发布排名"))]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "start", "end"], name="scorecard_one_per_period"
            ),
            models.CheckConstraint(name="scorecard_period", condition=Q(end__gte=F("start"))),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.start}–{self.end}"

    @property
    def region_code(self) -> str:
        return self.region_id


class ScorecardRow(models.Model):
    """One ranked region of a frozen scorecard: its figures, total score and rank."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("考核结果"), on_delete=models.PROTECT, related_name="rows"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="scorecard_rows",
    )
    # {indicator: {"count", "hits", "value", "score"}} as computed at closing (numbers as text).
    figures = models.JSONField(_("指标数据"), default=dict)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核结果行")
        verbose_name_plural = _("考核结果行")
        ordering = ["scorecard_id", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "region"], name="scorecardrow_unique"),
            models.CheckConstraint(
                name="scorecardrow_total_range",
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
            ),
            models.CheckConstraint(
                name="scorecardrow_ranked_iff_total",
                condition=(Q(total__isnull=True) & Q(rank__isnull=True))
                | (Q(total__isnull=False) & Q(rank__gte=1)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}: {self.region_id} #{self.rank}"

    @property
    def region_code(self) -> str:
        return self.region_id
