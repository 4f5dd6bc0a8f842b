"""Writes of the accounts app: users and API tokens."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.choices import Role
from fupin.accounts.models import ApiToken, User, token_digest
from fupin.core.errors import Conflict, Refused
from fupin.core.services import event_record
from fupin.regions.models import Region

TOKEN_PREFIX = "fpn_"


@transaction.atomic
def user_add(
    *,
    username: str,
    role: str,
    region_code: str,
    password: str,
    display_name: str = "",
    is_staff: bool = False,
    actor=None,
) -> User:
    """Create a user with one role and one region; weak passwords and the staff flag are refused.

    The admin shows every region unmasked, so it is for superusers only (docs/decisions/0046).
    """
    if is_staff:
        raise Refused(
            "staff_not_grantable",
            _("后台管理仅限超级管理员，不能授予角色用户"),
            {"username": username},
        )
    if role not in Role.values:
        raise Refused("invalid_role", _("角色无效"), {"role": role, "allowed": list(Role.values)})
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise Refused("unknown_region", _("区划代码不存在"), {"region": region_code})
    if User.objects.filter(username=username).exists():
        raise Conflict("user_exists", _("用户名已存在"), {"username": username})
    user = User(username=username, role=role, region=region, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Refused(
            "weak_password",
            _("密码强度不够：") + "；".join(exc.messages),
            {"problems": exc.messages},
        ) from exc
    user.set_password(password)
    user.save()
    event_record(
        actor=actor,
        verb="user.added",
        obj=user,
        region_code=region.code,
        data={"username": username, "role": role},
    )
    return user


@transaction.atomic
def token_create(*, user: User, label: str = "", actor=None) -> tuple[ApiToken, str]:
    """Create an API token and return it with its raw value (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=token_digest(raw), hint=raw[:10], label=label)
    event_record(
        actor=actor,
        verb="token.created",
        obj=user,
        region_code=user.region_id or "",
        data={"hint": token.hint},
    )
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """Return the active user of a valid, unrevoked token, or None."""
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Throttle the write: a busy client should not turn every read into an UPDATE.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_set_position(*, user: User, position: str, actor=None) -> User:
    """Give a user a leader's post (市委书记 … 村党支部书记), or none with ''."""
    from fupin.accounts.choices import Position

    if position and position not in Position.values:
        raise Refused(
            "invalid_position",
            _("职务无效"),
            {"position": position, "allowed": list(Position.values)},
        )
    if position and user.region_id is None:
        raise Refused("position_needs_region", _("担任书记职务的用户须有所属区划"), {})
    user.position = position
    user._history_user = actor if getattr(actor, "pk", None) else None
    user.save(update_fields=["position"])
    event_record(
        actor=actor,
        verb="user.position_set",
        obj=user,
        region_code=user.region_id or "",
        data={"username": user.username, "position": position},
    )
    return user
