"""Writes of the registry: importing households with their members and incomes; revealing an ID."""

from pathlib import Path

from django.db import transaction

from fupin.core.errors import Forbidden
from fupin.core.importing import ImportResult
from fupin.core.services import event_record
from fupin.registry.importing import HouseholdFile, IncomeFile
from fupin.registry.models import Person


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
