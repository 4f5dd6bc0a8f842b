"""Writes of the registry around personal data: showing a full ID number is itself a recorded act."""

from django.db import transaction

from fupin.core.errors import Forbidden
from fupin.core.services import event_record
from fupin.registry.models import Person


@transaction.atomic
def person_reveal_id(*, person: Person, actor) -> str:
    """Return the person's full ID number to an allowed actor and log that they saw it."""
    if not actor.has_perm("registry.reveal_id_number", person):
        raise Forbidden(details={"what": "id_number"})
    event_record(actor=actor, verb="person.id_revealed", obj=person,
                 data={"household_no": person.household.household_no, "name": person.name})
    return person.id_number
