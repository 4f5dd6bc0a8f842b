"""Idempotency keys: a request sent again with its key gets what the first one made.

A phone on a village's network, or a system behind a flaky link, sends a write again when it
did not hear the answer. It names the write with a key (the ``Idempotency-Key`` header, or a
form's hidden field); the service that keeps the key on its record asks here:

    key = key_read(idempotency_key)
    earlier = replayed(Visit.objects.filter(idempotency_key=key), same=lambda v: ..., what=...)
    if earlier is not None:
        return earlier, False
    ... check and build the record ...
    visit = saved_once(visit, Visit.objects.filter(idempotency_key=key), same=..., what=...)

The same key with the same request returns the first record; with another request it is a
``Conflict`` (409 ``idempotency_key_reused``), never a second record or an overwrite. Two sends
at once are settled by the key's unique constraint: the one that loses gets the winner's record.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Conflict, Refused

Record = TypeVar("Record", bound=Model)
KEY_MAX_LENGTH = 100


def key_read(key: str | None, *, required: bool = True, limit: int = KEY_MAX_LENGTH) -> str:
    """Return the key as sent, trimmed; refuse a missing one (when required) or one over the limit."""
    key = (key or "").strip()
    if (required and not key) or len(key) > limit:
        raise Refused(
            "idempotency_key_required",
            _("缺少 Idempotency-Key（1 至 %(n)s 个字符）") % {"n": limit},
            {"limit": limit},
        )
    return key


def replayed(
    earlier: QuerySet[Record], *, same: Callable[[Record], bool], what: Any
) -> Record | None:
    """Return the record an earlier request with the key made (``earlier``: the records with the
    key), None if there is none; refuse the key if that record is not what this request asks
    for (``same``). ``what`` names the record in the message ("申报", "走访记录")."""
    found = earlier.first()
    if found is None:
        return None
    if not same(found):
        raise Conflict(
            "idempotency_key_reused",
            _("该 Idempotency-Key 已用于其他%(what)s") % {"what": what},
        )
    return found


def saved_once(
    record: Record, earlier: QuerySet[Record], *, same: Callable[[Record], bool], what: Any
) -> tuple[Record, bool]:
    """Save the new record of a key, or, when a request with the same key sent at the same
    moment saved first, return that one: (record, created)."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        winner = replayed(earlier, same=same, what=what)
        if winner is None:
            raise
        return winner, False
    return record, True
