"""Writes of the core app: recording business events."""

from typing import Any

from django.db import models

from fupin.core.models import Event
from fupin.core.operations import operation_id
from fupin.core.spine import contributions


def event_record(
    *,
    actor,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append a business event of the operation under way, in the caller's transaction.

    The verb must be in an app's catalogue (its ``events.Verb``, decision 0059): an unknown verb
    is a bug of the caller, not bad input.
    """
    if verb not in contributions().verbs:
        raise ValueError(f"unknown event verb {verb!r}: add it to its app's events.Verb")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "natural_key_value", obj.pk))
        region_code = region_code or getattr(obj, "region_code", "") or ""
    return Event.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        reason=reason,
        data=data or {},
        operation=operation_id(),
    )


# django-simple-history's history_change_reason column.
HISTORY_REASON_LENGTH = 100


def history_attribute(obj: models.Model, actor, reason: str = "") -> None:
    """Name who makes the next save of the object, and why, in its field history."""
    obj._history_user = actor if getattr(actor, "pk", None) else None
    if reason:
        obj._change_reason = reason[:HISTORY_REASON_LENGTH]
