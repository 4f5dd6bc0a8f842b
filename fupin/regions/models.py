"""Administrative divisions by NBS code; scope is a prefix of the code."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.regions.choices import Level


class Region(models.Model):
    """An administrative division (province to village) identified by its 12-digit NBS code."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        to_field="code",
        db_column="parent_code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Denormalised at save so that a scope query is one indexed LIKE 'prefix%'.
    prefix = models.CharField(_("代码前缀"), max_length=12, db_index=True)
    # A key town (重点镇) or key village (重点村), the targets of leaders' rounds (遍访).
    is_key = models.BooleanField(_("重点镇村"), default=False)
    # How residents reach the village committee (or the town office); printed on public notices.
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[2, 4, 6, 9, 12]), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.code

    @property
    def natural_key_value(self) -> str:
        return self.code

    def contains(self, code: str) -> bool:
        """Tell whether the code lies in this region's subtree."""
        return code.startswith(self.prefix)
