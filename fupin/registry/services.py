"""Writes of the registry: importing households with their members and incomes; creating the
household of a decided case; revealing an ID; putting a household's standing back as it was before
a monitoring mark."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fupin.core.errors import Conflict, Forbidden, InvalidInput, Refused
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import ImportResult
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry import choices as c
from fupin.registry.importing import HouseholdFile, IncomeFile
from fupin.registry.models import Household, Person

# What a household's standing is (docs/domain.md "Households and their standing"), removal aside.
STANDING_FIELDS = (
    "poverty_status",
    "policy_support",
    "household_type",
    "monitoring_type",
    "risk_types",
    "risk_state",
    "monitored_on",
    "risk_eliminated_on",
)
# The part of the standing a monitoring mark sets, and so the part undoing the mark puts back.
MARK_FIELDS = ("monitoring_type", "risk_types", "risk_state", "monitored_on", "risk_eliminated_on")
MARK_DATES = ("monitored_on", "risk_eliminated_on")
# No mark at all: what a household never monitored has.
UNMARKED = {
    "monitoring_type": "",
    "risk_types": [],
    "risk_state": "",
    "monitored_on": None,
    "risk_eliminated_on": None,
}


def household_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update households and members from a file, one row per person; all or nothing.

    Counts are of households; `details["persons"]` counts the persons. Members stored but absent
    from the file are left as they are (docs/decisions). Without an actor the import is a system
    import with the whole country in scope.
    """
    return HouseholdFile(path=path, actor=actor).run()


def income_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update household incomes from a file, one row per household and year; all or nothing."""
    return IncomeFile(path=path, actor=actor).run()


# A household number is its village's code and a four-digit sequence in the village.
HOUSEHOLD_SEQUENCE_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Member:
    """A member of a household to be created: sex and birth date come from the ID number."""

    id_number: str
    name: str
    relation: str
    phone: str = ""


def household_no_next(village_code: str) -> str:
    """Return the village's next free household number: one past the highest sequence stored.

    Numbers of another shape that start with the village's code (an import's own) are not counted.
    """
    width = HOUSEHOLD_SEQUENCE_DIGITS
    highest = Household.objects.filter(
        household_no__regex=rf"^{village_code}[0-9]{{{width}}}$"
    ).aggregate(highest=Max("household_no"))["highest"]
    sequence = int(highest[-width:]) + 1 if highest else 1
    if sequence >= 10**width:
        raise Conflict(
            "household_numbers_exhausted",
            _("该村的户编号已用完"),
            {"village": village_code},
        )
    return f"{village_code}{sequence:0{width}d}"


@transaction.atomic
def household_from_case(
    *, case_id: int, village_code: str, members: Sequence[Member], actor
) -> Household:
    """Create the household of a decided case with its members, numbered next in its village.

    Exactly one member is the head; an ID number already held by a member of the registry is
    refused. The village's row is locked while the number is taken, so that two cases decided at
    once in one village do not draw the same number.
    """
    village = Region.objects.select_for_update().filter(code=village_code).first()
    if village is None or village.level != Level.VILLAGE:
        raise Refused("not_a_village", _("农户只能建档在村一级"), {"village": village_code})
    problems = {}
    heads = [m for m in members if m.relation == c.Relation.HEAD]
    if len(heads) != 1:
        problems["members"] = ("head_count", _("应有且只有一名户主"))
    parsed = {}
    for index, member in enumerate(members):
        if member.relation not in c.Relation.values:
            problems[f"members.{index}.relation"] = ("invalid_choice", _("与户主关系不正确"))
        if not member.name.strip():
            problems[f"members.{index}.name"] = ("required", _("请填写姓名"))
        try:
            parsed[index] = resident_id_parse(member.id_number)
        except Refused as refusal:
            problems[f"members.{index}.id_number"] = (refusal.code, refusal.message)
    if len({p.number for p in parsed.values()}) < len(parsed):
        problems["members"] = ("id_number_repeated", _("成员的证件号码重复"))
    if problems:
        raise InvalidInput.of(problems)
    held = list(
        Person.objects.active()
        .filter(id_number__in=[p.number for p in parsed.values()])
        .values_list("id_number", flat=True)
    )
    if held:
        raise Conflict("person_registered", _("该证件号码已在档案中"), {"id_numbers": sorted(held)})
    reason = _("监测识别案件 #%(id)s 建档") % {"id": case_id}
    household = Household(
        household_no=household_no_next(village_code),
        village_id=village_code,
        poverty_status=c.PovertyStatus.NONE,
    )
    history_attribute(household, actor, reason)
    household.save()
    for index, member in enumerate(members):
        person = Person(
            household=household,
            id_number=parsed[index].number,
            name=member.name,
            relation=member.relation,
            phone=member.phone,
            sex=parsed[index].sex,
            birth_date=parsed[index].birth_date,
        )
        history_attribute(person, actor, reason)
        person.save()
    event_record(
        actor=actor, verb="household.created_from_case", obj=household, data={"case": case_id}
    )
    return household


@transaction.atomic
def person_reveal_id(*, person: Person, actor) -> str:
    """Return the person's full ID number to an allowed actor and log that they saw it."""
    if not actor.has_perm("registry.reveal_id_number", person):
        raise Forbidden(details={"what": "id_number"})
    event_record(
        actor=actor,
        verb="person.id_revealed",
        obj=person,
        data={"household_no": person.household.household_no, "name": person.name},
    )
    return person.id_number


def household_standing(household: Household) -> dict:
    """Return the household's standing as JSON-ready values (dates as ISO text)."""
    standing = {}
    for field in STANDING_FIELDS:
        value = getattr(household, field)
        standing[field] = value.isoformat() if isinstance(value, dt.date) else value
    return standing


def household_risk_check(*, household: Household, to: str, actor) -> None:
    """Refuse a move of the household's risk state that RISK_TRANSITIONS does not have for the role.

    No state (an unmarked household, or a mark taken off) and the state it already has are no move.
    """
    current = household.risk_state
    if current and to and current != to:
        transition_check(
            c.RISK_TRANSITIONS,
            current,
            to,
            role=role_of(actor),
            details={"household_no": household.household_no},
        )


@transaction.atomic
def household_mark_undo(
    *, household: Household, standing: dict | None, actor, reason: str, data: dict | None = None
) -> Household:
    """Take a wrong monitoring mark off: put back the mark's fields as `standing` had them.

    The field history keeps what the mark was; the event names the cases (`data`).

    `standing` is what `household_standing` gave before the mark; None (the mark came by import,
    or before standings were kept) means no mark at all. Poverty status, policy support and the
    household type are not touched: a mark never changed them.
    """
    marks = {}
    for field in MARK_FIELDS:
        value = (standing or UNMARKED).get(field, UNMARKED[field])
        if field in MARK_DATES and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        marks[field] = value
    if not marks["monitoring_type"]:
        marks["risk_state"] = ""
    household_risk_check(household=household, to=marks["risk_state"], actor=actor)
    for field, value in marks.items():
        setattr(household, field, value)
    history_attribute(household, actor, reason)
    household.save()
    event_record(
        actor=actor,
        verb="household.monitoring_mark_undone",
        obj=household,
        reason=reason,
        data=data or {},
    )
    return household
