"""Monitoring cases (监测识别 / 风险消除), their step history, objections, declarations and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.monitoring import choices as c


class CaseQuerySet(ScopedQuerySet):
    region_lookup = "village__code"

    def open(self):
        return self.filter(status=c.CaseStatus.OPEN)


class Case(models.Model):
    """A household's (or a declarant's) way through identification or exit, stage by stage."""

    kind = models.CharField(_("类型"), max_length=16, choices=c.CaseKind.choices)
    route = models.CharField(_("发现途径"), max_length=16, choices=c.Route.choices)
    routes = models.JSONField(_("全部发现途径"), default=list, blank=True)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
    )
    # Who the case is about before the household is in the registry (a self-declaration).
    declarant_name = models.CharField(_("申报人姓名"), max_length=50, blank=True)
    declarant_id_number = models.CharField(
        _("申报人证件号码"), max_length=18, blank=True, db_index=True
    )
    declarant_phone = models.CharField(_("申报人电话"), max_length=11, blank=True)
    household_size = models.PositiveSmallIntegerField(_("申报家庭人口数"), null=True, blank=True)
    risk_types = models.JSONField(_("风险类型"), default=list, blank=True)
    description = models.TextField(_("情况说明"), blank=True)

    stage = models.CharField(
        _("当前环节"), max_length=16, choices=c.Stage.choices, default=c.Stage.VERIFY
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=c.CaseStatus.choices, default=c.CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    stage_entered_at = models.DateTimeField(_("进入本环节时间"))
    due_date = models.DateField(_("本环节办理期限"), null=True, blank=True)
    verified_on = models.DateField(_("入户核查完成日期"), null=True, blank=True)
    notice_started_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    days_to_decision = models.PositiveIntegerField(_("发起至办结天数"), null=True, blank=True)
    exit_reason = models.CharField(
        _("退出原因"), max_length=32, choices=c.ExitReason.choices, blank=True
    )
    reject_reason = models.TextField(_("不予通过原因"), blank=True)
    plan_due_date = models.DateField(_("帮扶计划应制定日期"), null=True, blank=True)
    # The household's standing just before the county's inclusion (registry.services
    # household_standing), so that a wrong mark can be undone; None for a household the case created.
    standing_before = models.JSONField(_("纳入前的农户状态"), null=True, blank=True)
    # What each stage recorded when it was passed: {"verify": {...}, "appraise": {...}, ...}.
    records = models.JSONField(_("各环节记录"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("监测案件")
        verbose_name_plural = _("监测案件")
        ordering = ["-opened_at", "-id"]
        permissions = [("advance_case", _("办理监测案件"))]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(status="open"),
                name="case_one_open_per_household_kind",
            ),
            models.UniqueConstraint(
                fields=["declarant_id_number", "kind"],
                condition=Q(status="open", household__isnull=True) & ~Q(declarant_id_number=""),
                name="case_one_open_per_declarant_kind",
            ),
            models.CheckConstraint(
                name="case_closed_iff_not_open",
                condition=(Q(status="open") & ~Q(stage="closed"))
                | (~Q(status="open") & Q(stage="closed")),
            ),
            models.CheckConstraint(
                name="case_exit_has_household",
                condition=Q(kind="identification") | Q(household__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "stage", "due_date"], name="case_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def region_code(self) -> str:
        return self.village_id

    @property
    def subject_name(self) -> str:
        """Return the name the case is known by: the household head's, else the declarant's."""
        return self.declarant_name


class CaseStep(models.Model):
    """One move of a case: who decided what on which stage, when, and what was recorded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    from_stage = models.CharField(_("原环节"), max_length=16, choices=c.Stage.choices, blank=True)
    to_stage = models.CharField(_("新环节"), max_length=16, choices=c.Stage.choices)
    decision = models.CharField(_("办理意见"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("记录"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} → {self.to_stage} ({self.decision})"


class Objection(models.Model):
    """An objection lodged during the village public notice, and its answer."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="objections")
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    name = models.CharField(_("提出人"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    text = models.TextField(_("异议内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # The public objection page's form carries a key made when it was shown, so a resend adds nothing.
    idempotency_key = models.CharField(max_length=100, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["client_address"])

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["lodged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="objection_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:20]}"

    @property
    def region_code(self) -> str:
        return self.case.village_id


class Declaration(models.Model):
    """A resident's self-declaration (农户自主申报); it opens or joins an identification case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="declarations")
    tracking_code = models.CharField(_("查询码"), max_length=32, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("证件号码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=11)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="+",
    )
    household_size = models.PositiveSmallIntegerField(_("家庭人口数"))
    risk_types = models.JSONField(_("风险类型"), default=list)
    description = models.TextField(_("情况说明"), blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("自主申报")
        verbose_name_plural = _("自主申报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def region_code(self) -> str:
        return self.village_id


class TrackingMiss(models.Model):
    """A tracking-code lookup that found nothing, kept to limit guessing per network address."""

    client_address = models.GenericIPAddressField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("查询码未命中")
        verbose_name_plural = _("查询码未命中")
        indexes = [models.Index(fields=["client_address", "at"], name="tracking_miss_idx")]

    def __str__(self) -> str:
        return f"{self.client_address} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """A file kept with a case: the signed commitment, or a photo of the declaration or visit."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("承诺授权书")
        PHOTO = "photo", _("照片")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # A resident's photo comes with its declaration and a key made on the phone, so a retry adds nothing.
    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    idempotency_key = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="attachment_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name

    @property
    def region_code(self) -> str:
        return self.case.village_id
