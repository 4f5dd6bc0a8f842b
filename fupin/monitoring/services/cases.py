"""Opening a case (one route, one household), or joining the open one."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import (
    FupinError,
    InvalidInput,
    NotFound,
)
from fupin.core.idnumbers import resident_id_parse
from fupin.core.services import event_record, history_attribute
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Case,
    CaseStep,
)
from fupin.policy.selectors import policy_get
from fupin.regions.models import Region
from fupin.registry.models import Household, Person


def _policy_int(key: str, village_code: str, on: dt.date) -> int:
    return int(policy_get(key, region_code=village_code, on=on))


def _due_date(case: Case, today: dt.date) -> dt.date:
    """Return the due date of the case's current stage: the home check first, then the decision."""
    if case.stage == c.Stage.VERIFY:
        return case.opened_at.astimezone(timezone.get_current_timezone()).date() + dt.timedelta(
            days=_policy_int("monitoring.verify_days", case.village_id, today)
        )
    return (case.verified_on or today) + dt.timedelta(
        days=_policy_int("monitoring.decide_days", case.village_id, today)
    )


def _open_case_for(*, kind: str, household: Household | None, id_number: str) -> Case | None:
    cases = Case.objects.select_for_update().filter(kind=kind, status=c.CaseStatus.OPEN)
    if household is not None:
        return cases.filter(household=household).first()
    return (
        cases.filter(household__isnull=True, declarant_id_number=id_number).first()
        if id_number
        else None
    )


@transaction.atomic
def case_open(
    *,
    kind: str,
    route: str,
    village: Region,
    actor=None,
    household: Household | None = None,
    declarant_name: str = "",
    declarant_id_number: str = "",
    declarant_phone: str = "",
    household_size: int | None = None,
    risk_types: list[str] | None = None,
    description: str = "",
    findings: dict | None = None,
) -> tuple[Case, bool]:
    """Open a case at `verify`, or join the household's open case of the same kind; return (case, opened).

    `findings` is what department data says (the screening route); it pre-fills the comparison.
    """
    if actor is not None and not actor.has_perm("monitoring.add_case", village):
        raise NotFound("region", {"code": village.code})
    if household is None:
        # The county's pass creates the household from these: without them the case could never end.
        errors: dict[str, str] = {}
        codes: dict[str, str] = {}
        if not declarant_name.strip():
            errors["name"], codes["name"] = _("请填写姓名"), "required"
        try:
            declarant_id_number = resident_id_parse(declarant_id_number).number
        except FupinError as exc:
            errors["id_number"], codes["id_number"] = str(exc.message), exc.code
        if errors:
            raise InvalidInput(errors, codes)
    if household is None and declarant_id_number:
        person = (
            Person.objects.active()
            .select_related("household")
            .filter(id_number=declarant_id_number)
            .first()
        )
        household = person.household if person else None
    if household is not None:
        village = household.village
    risk_types = sorted(set(risk_types or []))
    today = timezone.localdate()
    case = _open_case_for(kind=kind, household=household, id_number=declarant_id_number)
    if case is not None:
        case.routes = sorted(set(case.routes) | {route})
        case.risk_types = sorted(set(case.risk_types) | set(risk_types))
        if description:
            case.description = f"{case.description}\n{description}".strip()
        if findings:
            case.records = {**case.records, "screening": findings}
        history_attribute(case, actor)
        case.save()
        CaseStep.objects.create(
            case=case,
            actor=actor if getattr(actor, "pk", None) else None,
            from_stage=case.stage,
            to_stage=case.stage,
            decision="join",
            note=description,
            data={"route": route},
        )
        event_record(actor=actor, verb="case.joined", obj=case, data={"route": route})
        return case, False
    case = Case(
        kind=kind,
        route=route,
        routes=[route],
        village=village,
        household=household,
        declarant_name=declarant_name,
        declarant_id_number=declarant_id_number,
        declarant_phone=declarant_phone,
        household_size=household_size,
        risk_types=risk_types,
        description=description,
        stage_entered_at=timezone.now(),
        records={"screening": findings} if findings else {},
    )
    case.opened_at = timezone.now()
    case.due_date = _due_date(case, today)
    history_attribute(case, actor)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Another route opened the same household's case a moment ago: join it instead.
        return case_open(
            kind=kind,
            route=route,
            village=village,
            actor=actor,
            household=household,
            declarant_name=declarant_name,
            declarant_id_number=declarant_id_number,
            declarant_phone=declarant_phone,
            household_size=household_size,
            risk_types=risk_types,
            description=description,
            findings=findings,
        )
    CaseStep.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        from_stage="",
        to_stage=c.Stage.VERIFY,
        decision="open",
        note=description,
        data={"route": route},
    )
    event_record(actor=actor, verb="case.opened", obj=case, data={"kind": kind, "route": route})
    return case, True


def _county_of(household: Household) -> str:
    """Return the code of the county (县级) of the household's village."""
    return household.village_id[:6] + "000000"
