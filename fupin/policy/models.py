"""Effective-dated policy values per region; rows are appended, never changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SHIPPED_DEFAULT_REASON = "shipped default"


class PolicyValue(models.Model):
    """A value of a policy key for a region (none = national) from a date on, with who and why."""

    key = models.CharField(_("参数"), max_length=64, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        to_field="code",
        db_column="region_code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_values",
    )
    value = models.CharField(_("值"), max_length=500)
    valid_from = models.DateField(_("生效日期"))
    sourced = models.BooleanField(_("有出处"), default=False)
    source = models.TextField(_("出处"), blank=True)
    reason = models.TextField(_("变更原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策参数值")
        verbose_name_plural = _("政策参数值")
        ordering = ["key", "region_id", "-valid_from", "-id"]
        indexes = [models.Index(fields=["key", "region", "valid_from"], name="policy_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.key}={self.value} @{self.region_id or '全国'} from {self.valid_from}"

    @property
    def is_shipped_default(self) -> bool:
        """Tell whether the row is one of the defaults shipped with fupin."""
        return self.created_by_id is None and self.reason == SHIPPED_DEFAULT_REASON

    @property
    def region_code(self) -> str:
        return self.region_id or ""
