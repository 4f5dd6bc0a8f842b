"""Assistance plans (帮扶计划) of households and their measures (帮扶措施)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.assistance import choices as c
from fupin.core import states
from fupin.core.querysets import ScopedQuerySet


class AssistancePlanQuerySet(ScopedQuerySet):
    region_lookup = "household__village__code"


class AssistancePlan(models.Model):
    """The plan of one household: who keeps it, by when it needs a measure, and its measures."""

    household = models.OneToOneField(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="assistance_plan",
    )
    due_date = models.DateField(_("措施落实期限"), null=True, blank=True, db_index=True)
    responsible_name = models.CharField(_("帮扶责任人"), max_length=50, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_plans",
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = AssistancePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶计划")
        verbose_name_plural = _("帮扶计划")
        ordering = ["household_id"]

    def __str__(self) -> str:
        return str(_("%(no)s 的帮扶计划") % {"no": self.household.household_no})

    @property
    def region_code(self) -> str:
        return self.household.village_id

    @property
    def natural_key_value(self) -> str:
        return self.household.household_no


class MeasureQuerySet(ScopedQuerySet):
    region_lookup = "plan__household__village__code"

    def live(self):
        """Return the measures that are not cancelled."""
        return self.filter(status__in=c.LIVE_STATUSES)


class Measure(models.Model):
    """One assistance measure of a plan; never deleted, cancelled instead."""

    plan = models.ForeignKey(
        AssistancePlan,
        verbose_name=_("帮扶计划"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    category = models.CharField(_("措施类别"), max_length=32, choices=c.MeasureCategory.choices)
    description = models.TextField(_("措施内容"), blank=True)
    trade = models.CharField(_("培训工种"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    responsible_name = models.CharField(_("责任人"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=c.MeasureStatus.choices, default=c.MeasureStatus.PLANNED
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["plan_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="measure_amount_not_negative",
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
            ),
            models.CheckConstraint(
                name="measure_end_not_before_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="measure_training_has_trade",
                condition=~Q(category=c.MeasureCategory.SKILLS_TRAINING) | ~Q(trade=""),
            ),
            models.CheckConstraint(
                name="measure_category_known", condition=Q(category__in=c.MeasureCategory.values)
            ),
            models.CheckConstraint(
                name="measure_status_known", condition=Q(status__in=c.MeasureStatus.values)
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="measure_plan_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.pk}"

    @property
    def region_code(self) -> str:
        return self.plan.household.village_id

    @property
    def allowed_moves(self) -> tuple[str, ...]:
        """Return the statuses this measure may move to."""
        return tuple(states.allowed_moves(c.TRANSITIONS, self.status))
