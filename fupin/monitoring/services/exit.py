"""Exit cases: opening one, and the county's pass that takes the household out of monitoring."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    Refused,
)
from fupin.core.services import event_record, history_attribute
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Case,
)
from fupin.monitoring.selectors import exit_conditions
from fupin.monitoring.services.cases import _county_of, _open_case_for, case_open
from fupin.pairing.services import pairing_allocate
from fupin.registry import choices as rc
from fupin.registry.models import Household
from fupin.registry.services import (
    household_mark_undo,
    household_risk_check,
    household_standing,
)


@transaction.atomic
def exit_case_open(*, household: Household, actor, reason: str, note: str = "") -> Case:
    """Open an exit (risk elimination) case for a household at `verify`."""
    if not actor.has_perm("monitoring.add_case", household):
        raise NotFound("household", {"household_no": household.household_no})
    if reason not in c.ExitReason.values:
        raise InvalidInput({"reason": _("退出原因无效")})
    if household.removal_reason:
        raise Conflict("household_removed", _("该户已清退，不能发起退出"))
    if reason == c.ExitReason.WRONG_IDENTIFICATION and not household.monitoring_type:
        raise Refused("not_monitored", _("该户没有监测标识，无需撤销；不应建档的农户请选择清退"))
    if _open_case_for(kind=c.CaseKind.EXIT, household=household, id_number="") is not None:
        raise Conflict("case_already_open", _("该户已有办理中的退出案件"))
    case, _opened = case_open(
        kind=c.CaseKind.EXIT,
        route=c.Route.CADRE,
        village=household.village,
        actor=actor,
        household=household,
        description=note,
    )
    case.exit_reason = reason
    case.save(update_fields=["exit_reason"])
    return case


def _inclusion_of(household: Household) -> Case | None:
    """Return the county's latest inclusion of the household (the mark an undoing takes off)."""
    return (
        household.monitoring_cases.filter(
            kind=c.CaseKind.IDENTIFICATION, status=c.CaseStatus.APPROVED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def _standing_before(household: Household, inclusion: Case | None) -> dict | None:
    """Return the household's standing before its mark: kept by the inclusion, else its history.

    None (no mark at all) when the mark came by import or the inclusion created the household.
    """
    if inclusion is None:
        return None
    if inclusion.standing_before is not None or inclusion.decided_at is None:
        return inclusion.standing_before
    # An inclusion decided before standings were kept: the field history has the row before it.
    row = (
        household.history.filter(history_date__lt=inclusion.decided_at)
        .order_by("-history_date")
        .first()
    )
    return household_standing(row) if row is not None else None


def _exit(case: Case, record: dict, actor, today: dt.date) -> None:
    household = case.household
    reason = record["exit_reason"]
    if reason in (c.ExitReason.RISK_ELIMINATED, c.ExitReason.INCOME_STABLE):
        unmet = [cond for cond in exit_conditions(household=household, on=today) if not cond.met]
        if unmet:
            raise Refused(
                "exit_condition_unmet",
                _("不符合退出条件：%(conditions)s")
                % {"conditions": "；".join(cond.message for cond in unmet)},
                {"condition": unmet[0].code, "conditions": [cond.code for cond in unmet]},
            )
        household_risk_check(household=household, to=rc.RiskState.ELIMINATED, actor=actor)
        household.risk_state = rc.RiskState.ELIMINATED
        household.risk_eliminated_on = today
    if reason == c.ExitReason.WRONG_IDENTIFICATION:
        inclusion = _inclusion_of(household)
        household_mark_undo(
            household=household,
            standing=_standing_before(household, inclusion),
            actor=actor,
            reason=_("退出案件 #%(id)s 县级审定：标识错误，撤销监测标识") % {"id": case.pk},
            data={"case": case.pk, "inclusion": inclusion.pk if inclusion else None},
        )
    else:
        if reason in c.REMOVAL_BY_EXIT_REASON:
            household.removal_reason = c.REMOVAL_BY_EXIT_REASON[reason]
            household.removed_on = today
        history_attribute(household, actor, _("退出案件 #%(id)s 县级审定") % {"id": case.pk})
        household.save()
    # The cadre's place is freed when the household no longer needs one.
    pairing_allocate(region_code=_county_of(household), households=[household.pk], actor=actor)
    case.exit_reason = reason
    event_record(
        actor=actor,
        verb="household.monitoring_exited",
        obj=household,
        data={"case": case.pk, "exit_reason": reason},
    )
