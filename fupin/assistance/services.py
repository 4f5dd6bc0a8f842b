"""Writes of assistance: requiring a plan, keeping it, adding, changing and moving its measures."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance import choices as c
from fupin.assistance.models import AssistancePlan, Measure
from fupin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from fupin.core.inputs import MAX_AMOUNT
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.registry.choices import CATEGORIES_NEEDING_CADRE
from fupin.registry.models import Household

VIEW = "assistance.view_assistanceplan"
CHANGE = "assistance.change_assistanceplan"
# The categories of households that may be given a plan by hand: those that keep a helper cadre.
CATEGORIES_WITH_PLAN = CATEGORIES_NEEDING_CADRE


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


# The default of an optional argument of an update: leave the field as it is.
KEEP: Any = _Keep()


def _authorize(actor, obj, *, what: str, details: dict) -> None:
    """Refuse an actor who cannot see the object (NotFound) or cannot change it (Forbidden)."""
    if actor is None:
        return  # the system (another service acting in its own transaction)
    if not actor.has_perm(VIEW, obj):
        raise NotFound(what, details)
    if not actor.has_perm(CHANGE, obj):
        raise Forbidden(_("您的角色不能修改帮扶计划"), details)


def _lock_household(household: Household) -> Household:
    # The household row is the lock that serialises the creation of its one plan.
    return Household.objects.select_for_update().get(pk=household.pk)


def _refuse_removed(household: Household) -> None:
    if household.removal_reason:
        raise Conflict(
            "household_removed",
            _("该户已清退或自然减少，不能再修改帮扶计划"),
            {"household_no": household.household_no, "removal_reason": household.removal_reason},
        )


def _problem(code: str, message: str) -> tuple[str, str]:
    return code, message


def _save(obj, *, actor, reason: str = "") -> None:
    history_attribute(obj, actor, reason)
    obj.save()


def _history_value(value) -> Any:
    """Return a value as an event's data holds it (JSON): users by username, the rest as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "username"):
        return value.username
    return str(value)


# --- plans ---------------------------------------------------------------------------------


def _new_due_date(plan: AssistancePlan, due_date: dt.date) -> dt.date:
    """Return the due date a plan gets when a new inclusion requires it by `due_date`.

    A plan still without a measure keeps the earlier of the two deadlines (the first one is not
    lifted by a second inclusion); a plan that already has a measure met its deadline, so the
    new inclusion's date is recorded.
    """
    if plan.due_date is None:
        return due_date
    if plan.measures.live().exists():
        return due_date
    return min(plan.due_date, due_date)


@transaction.atomic
def plan_require(*, household: Household, due_date: dt.date, actor=None) -> AssistancePlan:
    """Make sure the household has a plan that needs a measure by `due_date`; repeat-safe.

    Called when the county includes a household in monitoring, in the caller's transaction.
    Creates the plan if absent; otherwise sets the due date (see `_new_due_date`). Without an
    actor the call is the system's. Nothing is written when nothing changes.
    """
    details = {"household_no": household.household_no}
    _authorize(actor, household, what="household", details=details)
    household = _lock_household(household)
    _refuse_removed(household)
    plan = AssistancePlan.objects.filter(household=household).first()
    if plan is None:
        plan = AssistancePlan(household=household, due_date=due_date)
        _save(plan, actor=actor)
        event_record(
            actor=actor,
            verb="plan.required",
            obj=plan,
            data={"household_no": household.household_no, "due_date": due_date.isoformat()},
        )
        return plan
    old = plan.due_date
    new = _new_due_date(plan, due_date)
    if new != old:
        plan.due_date = new
        _save(plan, actor=actor)
        event_record(
            actor=actor,
            verb="plan.due_date_set",
            obj=plan,
            data={
                "household_no": household.household_no,
                "from": old.isoformat() if old else None,
                "to": new.isoformat(),
            },
        )
    return plan


def _clean_plan(*, plan: AssistancePlan, responsible_name, responsible_user, note) -> dict:
    """Return the plan's new field values, or raise `invalid_input` naming each bad field."""
    problems: dict[str, tuple[str, str]] = {}
    values: dict[str, Any] = {}
    if responsible_name is not KEEP:
        values["responsible_name"] = (responsible_name or "").strip()
    if responsible_user is not KEEP:
        values["responsible_user"] = responsible_user
        if responsible_user is not None:
            # The person who keeps the plan must be able to change it: a role and region that hold it.
            if not (responsible_user.is_active and responsible_user.has_perm(CHANGE, plan)):
                problems["responsible_user"] = _problem(
                    "responsible_out_of_scope", _("该账号不能负责本户的帮扶计划")
                )
            elif not values.get("responsible_name", plan.responsible_name):
                values["responsible_name"] = str(responsible_user)[:50]
    if len(values.get("responsible_name", "")) > 50:
        problems["responsible_name"] = _problem("too_long", _("不能超过 50 个字"))
    if note is not KEEP:
        values["note"] = (note or "").strip()
    if problems:
        raise InvalidInput.of(problems)
    return values


@transaction.atomic
def plan_update(
    *,
    household: Household,
    actor,
    responsible_name: str = KEEP,
    responsible_user=KEEP,
    note: str = KEEP,
    create: bool = True,
) -> AssistancePlan:
    """Set who keeps the household's plan and its note; create the plan when absent and allowed.

    Only the arguments given change. A plan is created by hand only for a household that keeps
    a helper cadre (not lifted, monitored, lifted with policy support); with `create=False` an
    absent plan is `not_found`. The due date is not set here: it comes from `plan_require`.
    """
    details = {"household_no": household.household_no}
    _authorize(actor, household, what="household", details=details)
    household = _lock_household(household)
    _refuse_removed(household)
    plan = AssistancePlan.objects.filter(household=household).first()
    created = plan is None
    if created:
        if not create:
            raise NotFound("assistance_plan", details)
        if household.support_category not in CATEGORIES_WITH_PLAN:
            raise Conflict(
                "plan_not_needed",
                _("只有未脱贫户、监测对象和脱贫享受政策户需要帮扶计划"),
                {**details, "category": household.support_category},
            )
        plan = AssistancePlan(household=household)
    values = _clean_plan(
        plan=plan, responsible_name=responsible_name, responsible_user=responsible_user, note=note
    )
    changed = {
        name: [_history_value(getattr(plan, name)), _history_value(value)]
        for name, value in values.items()
        if getattr(plan, name) != value
    }
    if not created and not changed:
        return plan
    for name, value in values.items():
        setattr(plan, name, value)
    _save(plan, actor=actor)
    event_record(
        actor=actor,
        verb="plan.created" if created else "plan.updated",
        obj=plan,
        data={"household_no": household.household_no, "changed": changed},
    )
    return plan


# --- measures ------------------------------------------------------------------------------


def _clean_amount(amount, problems: dict) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems["amount"] = _problem("invalid_amount", _("金额格式不正确"))
        return None
    if value < 0:
        problems["amount"] = _problem("negative_amount", _("金额不能为负数"))
    elif value.as_tuple().exponent < -2:
        problems["amount"] = _problem("invalid_amount", _("金额最多保留两位小数（元、角、分）"))
    elif value > MAX_AMOUNT:
        problems["amount"] = _problem("invalid_amount", _("金额过大"))
    return value.quantize(Decimal("0.01")) if "amount" not in problems else None


def _clean_measure(values: dict[str, Any]) -> dict[str, Any]:
    """Return the measure's field values checked and tidied, or raise `invalid_measure`."""
    problems: dict[str, tuple[str, str]] = {}
    if values["category"] not in c.MeasureCategory.values:
        problems["category"] = _problem("unknown_category", _("不在帮扶措施目录中"))
    for name in ("description", "trade", "responsible_name"):
        values[name] = (values[name] or "").strip()
    if values["category"] in c.CATEGORIES_NEEDING_TRADE and not values["trade"]:
        problems["trade"] = _problem("trade_required", _("技能培训须填写农户希望学习的工种"))
    for name, limit in (("trade", 100), ("responsible_name", 50)):
        if len(values[name]) > limit:
            problems[name] = _problem("too_long", _("不能超过 %(n)s 个字") % {"n": limit})
    values["amount"] = _clean_amount(values["amount"], problems)
    start, end = values["start_date"], values["end_date"]
    if start is not None and end is not None and end < start:
        problems["end_date"] = _problem("end_before_start", _("结束日期不能早于开始日期"))
    if problems:
        raise InvalidInput.of(problems)
    return values


MEASURE_FIELDS = (
    "category",
    "description",
    "trade",
    "amount",
    "start_date",
    "end_date",
    "responsible_name",
)


@transaction.atomic
def measure_add(
    *,
    plan: AssistancePlan,
    actor,
    category: str,
    description: str = "",
    trade: str = "",
    amount: Decimal | str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    responsible_name: str = "",
) -> Measure:
    """Add a measure from the catalogue to the plan, with status `planned`."""
    details = {"household_no": plan.household.household_no}
    _authorize(actor, plan, what="assistance_plan", details=details)
    _refuse_removed(_lock_household(plan.household))
    values = _clean_measure(
        {
            "category": category,
            "description": description,
            "trade": trade,
            "amount": amount,
            "start_date": start_date,
            "end_date": end_date,
            "responsible_name": responsible_name,
        }
    )
    measure = Measure(plan=plan, **values)
    _save(measure, actor=actor)
    event_record(
        actor=actor,
        verb="measure.added",
        obj=measure,
        data={
            "household_no": plan.household.household_no,
            "category": measure.category,
            "amount": _history_value(measure.amount),
        },
    )
    return measure


def _locked_measure(measure: Measure, actor) -> Measure:
    details = {"household_no": measure.plan.household.household_no, "measure": measure.pk}
    _authorize(actor, measure, what="measure", details=details)
    return Measure.objects.select_for_update().select_related("plan__household").get(pk=measure.pk)


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    actor,
    category: str = KEEP,
    description: str = KEEP,
    trade: str = KEEP,
    amount: Decimal | str | None = KEEP,
    start_date: dt.date | None = KEEP,
    end_date: dt.date | None = KEEP,
    responsible_name: str = KEEP,
) -> Measure:
    """Change the given fields of a measure that is planned or in progress."""
    measure = _locked_measure(measure, actor)
    household = measure.plan.household
    _refuse_removed(household)
    if measure.status not in (c.MeasureStatus.PLANNED, c.MeasureStatus.IN_PROGRESS):
        raise Conflict(
            "measure_closed",
            _("已完成或已取消的措施不能再修改"),
            {"measure": measure.pk, "status": measure.status},
        )
    given = {
        "category": category,
        "description": description,
        "trade": trade,
        "amount": amount,
        "start_date": start_date,
        "end_date": end_date,
        "responsible_name": responsible_name,
    }
    values = _clean_measure(
        {name: getattr(measure, name) if value is KEEP else value for name, value in given.items()}
    )
    changed = {
        name: [_history_value(getattr(measure, name)), _history_value(value)]
        for name, value in values.items()
        if getattr(measure, name) != value
    }
    if not changed:
        return measure
    for name in changed:
        setattr(measure, name, values[name])
    _save(measure, actor=actor)
    event_record(
        actor=actor,
        verb="measure.updated",
        obj=measure,
        data={"household_no": household.household_no, "changed": changed},
    )
    return measure


@transaction.atomic
def measure_move(*, measure: Measure, actor, status: str, note: str = "") -> Measure:
    """Move a measure along TRANSITIONS; cancelling needs a reason (measures are never deleted).

    Starting a measure without a start date dates it today; finishing one without an end date
    dates it today (when that is not before its start).
    """
    measure = _locked_measure(measure, actor)
    household = measure.plan.household
    _refuse_removed(household)
    note = (note or "").strip()
    current = measure.status
    transition_check(
        c.TRANSITIONS,
        current,
        status,
        role=role_of(actor),
        message=_("措施不能从“%(from)s”改为“%(to)s”")
        % {
            "from": c.MeasureStatus(current).label,
            "to": c.MeasureStatus(status).label if status in c.MeasureStatus.values else status,
        },
        details={"measure": measure.pk},
    )
    if status == c.MeasureStatus.CANCELLED and not note:
        raise InvalidInput.of({"note": _problem("reason_required", _("取消措施须说明原因"))})
    today = timezone.localdate()
    if status == c.MeasureStatus.IN_PROGRESS and measure.start_date is None:
        measure.start_date = today
    if (
        status == c.MeasureStatus.DONE
        and measure.end_date is None
        and (measure.start_date is None or measure.start_date <= today)
    ):
        measure.end_date = today
    measure.status = status
    _save(measure, actor=actor, reason=note)
    event_record(
        actor=actor,
        verb="measure.moved",
        obj=measure,
        reason=note,
        data={
            "household_no": household.household_no,
            "category": measure.category,
            "from": current,
            "to": status,
        },
    )
    return measure
