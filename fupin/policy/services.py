"""Writes of policy: setting a value for a region from a date (appended, never overwritten)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.errors import Forbidden, Refused
from fupin.core.services import event_record
from fupin.policy.keys import policy_key, policy_keys
from fupin.policy.models import SHIPPED_DEFAULT_REASON, PolicyValue
from fupin.regions.models import Region


@transaction.atomic
def policy_set(
    *,
    key: str,
    value: str,
    region_code: str | None,
    valid_from: dt.date,
    reason: str,
    actor=None,
    source: str = "",
    sourced: bool = False,
) -> PolicyValue:
    """Record a value of a key for a region from a date; the actor must hold the region in scope."""
    definition = policy_key(key)
    typed = definition.parse(value)
    if len(definition.text(typed)) > PolicyValue._meta.get_field("value").max_length:
        raise Refused("invalid_policy_value", _("参数值过长"), {"key": key})
    if not reason or not reason.strip():
        raise Refused("reason_required", _("请填写变更原因"), {"key": key})
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise Refused("unknown_region", _("区划代码不存在"), {"region": region_code})
    if actor is not None:
        allowed = (
            actor.has_perm("policy.change_policyvalue", region) if region else actor.is_superuser
        )
        if not allowed:
            raise Forbidden(_("您不能设定该区划的政策参数"), {"region": region_code})
    row = PolicyValue.objects.create(
        key=key,
        region=region,
        value=definition.text(typed),
        valid_from=valid_from,
        reason=reason.strip(),
        source=source,
        sourced=sourced,
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb="policy.set",
        obj=row,
        object_id=key,
        region_code=region_code or "",
        reason=reason.strip(),
        data={"key": key, "value": definition.text(typed), "valid_from": valid_from.isoformat()},
    )
    return row


def policy_seed_defaults(model=PolicyValue) -> int:
    """Insert the shipped national defaults that are not yet recorded; return how many were added."""
    added = 0
    for definition in policy_keys().values():
        for default in definition.defaults:
            _row, created = model.objects.get_or_create(
                key=definition.key,
                region=None,
                valid_from=default.valid_from,
                created_by=None,
                defaults={
                    "value": default.value,
                    "sourced": default.sourced,
                    "source": default.source,
                    "reason": SHIPPED_DEFAULT_REASON,
                },
            )
            added += created
    return added
