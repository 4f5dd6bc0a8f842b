"""Self-declarations of residents: submitting one and tracking it by its code."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import (
    Conflict,
    FupinError,
    InvalidInput,
    NotFound,
    RateLimited,
)
from fupin.core.idempotency import key_read, replayed
from fupin.core.idnumbers import resident_id_parse
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Declaration,
    TrackingMiss,
)
from fupin.monitoring.selectors import declaration_by_tracking_code
from fupin.monitoring.services.cases import _policy_int, case_open
from fupin.monitoring.tracking import tracking_code_new
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry import choices as rc


def _same_declaration(existing: Declaration, **payload) -> bool:
    """Tell whether a payload is the one the declaration was made from (a retry, not a reuse)."""
    try:
        id_number = resident_id_parse(payload["id_number"]).number
    except FupinError:
        return False
    return (
        (payload["name"] or "").strip(),
        id_number,
        (payload["phone"] or "").strip(),
        payload["village_code"],
        payload["household_size"],
        sorted(set(payload["risk_types"] or []))
        if isinstance(payload["risk_types"], list)
        else None,
        payload["description"] or "",
    ) == (
        existing.name,
        existing.id_number,
        existing.phone,
        existing.village_id,
        existing.household_size,
        existing.risk_types,
        existing.description,
    )


def _unused_tracking_code() -> str:
    """Return a new tracking code no declaration has (a clash is rare: 31^8 codes)."""
    while True:
        code = tracking_code_new()
        if not Declaration.objects.filter(tracking_code=code).exists():
            return code


def declaration_track(*, tracking_code: str, client_address: str | None) -> Declaration:
    """Return the declaration of a tracking code, refusing an address that missed too often.

    A miss is recorded (in its own transaction, so that the NotFound raised after it keeps it).
    """
    if client_address:
        limit = _policy_int("monitoring.tracking_misses_per_hour", None, timezone.localdate())
        misses = TrackingMiss.objects.filter(
            client_address=client_address, at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if misses >= limit:
            raise RateLimited(
                "too_many_lookups", _("查询次数过多，请一小时后再试"), {"limit": limit}
            )
    try:
        return declaration_by_tracking_code(tracking_code=tracking_code)
    except NotFound:
        if client_address:
            with transaction.atomic():
                TrackingMiss.objects.create(client_address=client_address)
        raise


@transaction.atomic
def declaration_submit(
    *,
    idempotency_key: str,
    name: str,
    id_number: str,
    phone: str,
    village_code: str,
    household_size: int,
    risk_types: list[str],
    description: str = "",
    client_address: str | None = None,
) -> tuple[Declaration, bool]:
    """Take a resident's declaration once per key; open or join the case; return (declaration, created)."""
    key = key_read(idempotency_key)
    existing = replayed(
        Declaration.objects.select_related("case").filter(idempotency_key=key),
        same=lambda earlier: _same_declaration(
            earlier,
            name=name,
            id_number=id_number,
            phone=phone,
            village_code=village_code,
            household_size=household_size,
            risk_types=risk_types,
            description=description,
        ),
        what=_("申报"),
    )
    if existing is not None:
        return existing, False
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"], codes["name"] = _("请填写姓名"), "required"
    try:
        person = resident_id_parse(id_number)
    except FupinError as exc:
        errors["id_number"], codes["id_number"] = str(exc.message), exc.code
        person = None
    phone = (phone or "").strip()
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        errors["phone"] = _("请填写以 1 开头的 11 位手机号码")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        errors["village_code"] = _("请选择所在的村")
    if (
        isinstance(household_size, bool)
        or not isinstance(household_size, int)
        or not 1 <= household_size <= 30
    ):
        errors["household_size"] = _("家庭人口数应为 1 至 30 的整数")
    if (
        not isinstance(risk_types, list)
        or not risk_types
        or not set(risk_types) <= set(rc.RiskType.values)
    ):
        errors["risk_types"] = _("请选择至少一项困难类型")
    if errors:
        raise InvalidInput(errors, codes)
    if client_address:
        limit = _policy_int("monitoring.declarations_per_hour", village.code, timezone.localdate())
        recent = Declaration.objects.filter(
            client_address=client_address, created_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise RateLimited("too_many_declarations", _("提交过于频繁，请稍后再试"))
    case, _opened = case_open(
        kind=c.CaseKind.IDENTIFICATION,
        route=c.Route.DECLARATION,
        village=village,
        declarant_name=name,
        declarant_id_number=person.number,
        declarant_phone=phone,
        household_size=household_size,
        risk_types=risk_types,
        description=description,
    )
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                case=case,
                tracking_code=_unused_tracking_code(),
                idempotency_key=key,
                name=name,
                id_number=person.number,
                phone=phone,
                village=village,
                household_size=household_size,
                risk_types=sorted(set(risk_types)),
                description=description,
                client_address=client_address,
            )
    except IntegrityError:
        # The same key arrived twice at once (a phone retrying): the first one stands.
        raise Conflict("duplicate_submission", _("该申报正在提交，请稍后查询")) from None
    return declaration, True
