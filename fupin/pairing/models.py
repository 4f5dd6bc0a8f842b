"""Who helps (众人帮): aid units, their villages, cadres, village posts and household pairings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.pairing import choices as c


class AidUnitQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class AidUnit(models.Model):
    """An aid unit (帮扶单位): a government body or enterprise that sends cadres."""

    name = models.CharField(_("单位名称"), max_length=100)
    level = models.CharField(_("单位层级"), max_length=8, choices=c.UnitLevel.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="aid_units",
    )
    active = models.BooleanField(_("在帮"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AidUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶单位")
        verbose_name_plural = _("帮扶单位")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="aidunit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def natural_key_value(self) -> str:
        return self.name


class UnitVillageQuerySet(ScopedQuerySet):
    region_lookup = "village__code"

    def current(self, on):
        """Return the pairings in force on the date."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class UnitVillage(models.Model):
    """A unit paired with a village (单位帮村) for a period."""

    unit = models.ForeignKey(
        AidUnit, verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="villages"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="aid_units_paired",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = UnitVillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位帮村")
        verbose_name_plural = _("单位帮村")
        ordering = ["village_id", "unit_id"]
        constraints = [
            models.CheckConstraint(
                name="unitvillage_period",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.village_id}"

    @property
    def region_code(self) -> str:
        return self.village_id


class CadreQuerySet(ScopedQuerySet):
    region_lookup = "unit__region__code"


class Cadre(models.Model):
    """A cadre (帮扶责任人) of an aid unit who helps households."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    unit = models.ForeignKey(
        AidUnit, verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="cadres"
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    active = models.BooleanField(_("在岗"), default=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadre",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶责任人")
        verbose_name_plural = _("帮扶责任人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.unit.region_id

    @property
    def natural_key_value(self) -> str:
        return str(self.pk)


class VillagePostQuerySet(ScopedQuerySet):
    region_lookup = "village__code"


class VillagePost(models.Model):
    """A cadre posted to a village as first secretary (第一书记) or poverty officer (扶贫专干)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="posts"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="village_posts",
    )
    role = models.CharField(_("岗位"), max_length=16, choices=c.VillageRole.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = VillagePostQuerySet.as_manager()

    class Meta:
        verbose_name = _("驻村岗位")
        verbose_name_plural = _("驻村岗位")
        ordering = ["village_id", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                name="villagepost_period",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.get_role_display()} {self.cadre}"

    @property
    def region_code(self) -> str:
        return self.village_id


class PairingQuerySet(ScopedQuerySet):
    region_lookup = "household__village__code"

    def active(self):
        """Return the pairings not yet ended."""
        return self.filter(end_date__isnull=True)


class Pairing(models.Model):
    """A cadre paired with a household (结对帮扶) from a start date until it ends, with the reason."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True, db_index=True)
    end_reason = models.CharField(
        _("结束原因"), max_length=32, choices=c.EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="pairing_end_has_reason",
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
            ),
            models.UniqueConstraint(
                fields=["cadre", "household"],
                condition=Q(end_date__isnull=True),
                name="pairing_one_active_per_cadre_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.household}"

    @property
    def region_code(self) -> str:
        return self.household.village_id


class AllocationRunQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class AllocationRun(models.Model):
    """One run of the allocation over a region: what it kept, ended, added and left uncovered."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="allocation_runs",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocation_runs",
    )
    dry_run = models.BooleanField(_("试算"), default=False)
    households_only = models.BooleanField(_("仅指定农户"), default=False)
    needing = models.PositiveIntegerField(_("需帮扶户数"), default=0)
    kept = models.PositiveIntegerField(_("保留"), default=0)
    ended = models.PositiveIntegerField(_("结束"), default=0)
    added = models.PositiveIntegerField(_("新增"), default=0)
    uncovered = models.PositiveIntegerField(_("仍未覆盖"), default=0)
    # [{"household_id", "household_no", "village_code", "reason"}], in household order.
    uncovered_list = models.JSONField(_("未覆盖农户"), default=list, blank=True)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    created_at = models.DateTimeField(_("运行时间"), auto_now_add=True)

    objects = AllocationRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对分配记录")
        verbose_name_plural = _("结对分配记录")
        ordering = ["-id"]
        permissions = [("allocate_pairing", _("运行结对分配"))]

    def __str__(self) -> str:
        return f"{self.region_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def region_code(self) -> str:
        return self.region_id


class VisitQuerySet(ScopedQuerySet):
    region_lookup = "household__village__code"


class Visit(models.Model):
    """A cadre's visit to a paired household (走访): what was found, done and raised."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_at = models.DateTimeField(_("走访时间"))
    # The local date of visited_at, kept so that overdue checks compare dates in plain SQL.
    visited_on = models.DateField(_("走访日期"), editable=False)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    found = models.TextField(_("了解到的情况"), blank=True)
    done = models.TextField(_("开展的帮扶"), blank=True)
    problems = models.TextField(_("反映的问题"), blank=True)
    problems_solved = models.BooleanField(_("问题已解决"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_recorded",
    )
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        permissions = [("record_visit_for_cadre", _("代帮扶责任人登记走访"))]
        indexes = [
            models.Index(fields=["household", "visited_on"], name="visit_household_day_idx"),
            models.Index(fields=["cadre", "visited_on"], name="visit_cadre_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="visit_location_pair",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="visit_location_range",
                condition=Q(latitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household} {self.visited_on}"

    def save(self, *args, **kwargs):
        self.visited_on = timezone.localdate(self.visited_at)
        super().save(*args, **kwargs)

    @property
    def region_code(self) -> str:
        return self.household.village_id


def visit_photo_path(instance, filename: str) -> str:
    return f"visits/{instance.visit_id}/{filename}"


class VisitPhoto(models.Model):
    """A photo taken on a visit, sent after the visit with its own key so a retry adds nothing."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("走访记录"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(_("文件"), upload_to=visit_photo_path)
    content_type = models.CharField(max_length=100)
    idempotency_key = models.CharField(max_length=120, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name

    @property
    def region_code(self) -> str:
        return self.visit.household.village_id


class RoundVisitQuerySet(ScopedQuerySet):
    region_lookup = "region__code"


class RoundVisit(models.Model):
    """A leader's round visit (遍访) to a key town, a key village or a household."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("领导"),
        on_delete=models.PROTECT,
        related_name="round_visits",
    )
    # The town or village visited; for a household, its village.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("走访地点"),
        to_field="code",
        db_column="region_code",
        on_delete=models.PROTECT,
        related_name="round_visits",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="round_visits",
    )
    visited_at = models.DateTimeField(_("走访时间"))
    visited_on = models.DateField(_("走访日期"), editable=False)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    notes = models.TextField(_("走访情况"), blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoundVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("遍访记录")
        verbose_name_plural = _("遍访记录")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["leader", "visited_on"], name="roundvisit_leader_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="roundvisit_location_pair",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.household or self.region} {self.visited_on}"

    def save(self, *args, **kwargs):
        self.visited_on = timezone.localdate(self.visited_at)
        super().save(*args, **kwargs)

    @property
    def region_code(self) -> str:
        return self.region_id
