"""Users with one role and one region, and hashed API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.accounts.choices import Position, Role


class User(AbstractUser):
    """An official, cadre or department account that acts within one region's subtree."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        to_field="code",
        db_column="region_code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    position = models.CharField(
        _("领导职务"), max_length=32, choices=Position.choices, blank=True, db_index=True
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True)
                | models.Q(role="")
                | models.Q(region__isnull=False),
                name="user_role_needs_region",
            ),
            # The admin is unscoped and unmasked: only a superuser may be staff (0046).
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(is_superuser=True),
                name="user_staff_only_superuser",
            ),
        ]

    def clean(self):
        super().clean()
        if self.is_staff and not self.is_superuser:
            raise ValidationError(
                {
                    "is_staff": _(
                        "后台管理仅限超级管理员，不能授予角色用户（后台不按区划限制、不遮挡身份证号）"
                    )
                }
            )

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def scope_prefix(self) -> str | None:
        """Return the code prefix of the user's scope ('' = all, None = nothing)."""
        if self.is_superuser:
            return ""
        return self.region.prefix if self.region_id and self.role else None


def token_digest(raw: str) -> str:
    """Return the stored digest of a raw API token (tokens are random, so SHA-256 suffices)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token of a user; only its digest is stored, the raw value is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("前缀"), max_length=12)
    label = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"
