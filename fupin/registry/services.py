"""Writes of the registry: importing households with their members and incomes; revealing an ID;
putting a household's standing back as it was before a monitoring mark."""

import datetime as dt
from pathlib import Path

from django.db import transaction

from fupin.core.errors import Forbidden
from fupin.core.importing import ImportResult
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
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
