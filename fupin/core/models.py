"""Business events: who did what to which record, when and why (append-only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.operations import operation_id


class Event(models.Model):
    """One business event with its actor, object, region and reason; never changed or deleted."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    verb = models.CharField(_("事件"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True, db_index=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    reason = models.TextField(_("原因"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    # The request or command the event belongs to (fupin.core.operations); events written before
    # operations were recorded have none.
    operation = models.UUIDField(
        _("操作编号"), null=True, blank=True, db_index=True, default=operation_id, editable=False
    )

    class Meta:
        verbose_name = _("业务事件")
        verbose_name_plural = _("业务事件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="event_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}:{self.object_id}"
