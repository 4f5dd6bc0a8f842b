"""The check a write service makes of its actor before it touches a record."""

from fupin.core.errors import Forbidden, NotFound


def authorize(actor, obj, *, view: str, act: str, what: str, details: dict) -> None:
    """Refuse an actor who cannot see the object (NotFound) or cannot act on it (Forbidden).

    Out of scope is NotFound, never Forbidden, so that a refusal does not tell that the record
    exists; `actor` None is the system (the demo, a command) and passes.
    """
    if actor is None:
        return
    if not actor.has_perm(view, obj):
        raise NotFound(what, details)
    if not actor.has_perm(act, obj):
        raise Forbidden(details=details)
