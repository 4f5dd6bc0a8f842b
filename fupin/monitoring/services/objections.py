"""Objections to a case on public notice: lodging one and answering it."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.choices import Role
from fupin.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)
from fupin.core.idempotency import key_read, replayed
from fupin.core.services import event_record
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Case,
    Objection,
)
from fupin.monitoring.services.cases import _policy_int

# What the public objection page and the API accept at most (the officer's own form allows more).
OBJECTION_MAX_CHARS = 500


@transaction.atomic
def objection_lodge(
    *,
    case_id: int,
    text: str,
    name: str = "",
    contact: str = "",
    idempotency_key: str = "",
    client_address: str | None = None,
) -> Objection:
    """Lodge an objection to a case during its public notice (anyone may).

    With a key (the public page's form, an API client) the same key returns the objection it
    made; with an address (a resident online) the text is capped and the number per hour limited.
    """
    key = key_read(idempotency_key, required=False)
    if key:
        existing = replayed(
            Objection.objects.filter(idempotency_key=key),
            same=lambda earlier: (
                earlier.case_id == case_id and earlier.text == (text or "").strip()
            ),
            what=_("异议"),
        )
        if existing is not None:
            return existing
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("case", {"id": case_id})
    if case.stage != c.Stage.NOTICE or case.status != c.CaseStatus.OPEN:
        raise Conflict("not_in_notice", _("该案件不在公示期，不能提出异议"))
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": _("请填写异议内容")})
    online = client_address is not None or bool(key)
    if online and len(text) > OBJECTION_MAX_CHARS:
        raise InvalidInput({"text": _("异议内容不能超过 %(n)s 个字") % {"n": OBJECTION_MAX_CHARS}})
    if client_address:
        limit = _policy_int("monitoring.objections_per_hour", case.village_id, timezone.localdate())
        recent = Objection.objects.filter(
            client_address=client_address, lodged_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise RateLimited("too_many_objections", _("提交过于频繁，请稍后再试"))
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                case=case,
                text=text,
                name=(name or "").strip()[:50],
                contact=(contact or "").strip()[:50],
                idempotency_key=key,
                client_address=client_address or None,
            )
    except IntegrityError:
        # The same form arrived twice at once: the first one stands.
        raise Conflict("duplicate_submission", _("该异议正在提交，请稍后刷新")) from None
    event_record(
        actor=None, verb="case.objection_lodged", obj=case, data={"objection": objection.pk}
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    """Record the village's answer to an objection."""
    if actor.role != Role.VILLAGE_OFFICER or not actor.has_perm(
        "monitoring.advance_case", objection.case
    ):
        raise Forbidden(_("公示异议由村级扶贫专干答复"))
    if not (answer or "").strip():
        raise InvalidInput({"answer": _("请填写答复内容")})
    objection.answer, objection.answered_at, objection.answered_by = (
        answer.strip(),
        timezone.now(),
        actor,
    )
    objection.save()
    event_record(
        actor=actor,
        verb="case.objection_answered",
        obj=objection.case,
        data={"objection": objection.pk},
    )
    return objection
