"""State machines: the one guard of every move of a status, and the moves a role may make.

Every status of fupin has a literal table in its app's ``choices.py``, one shape everywhere::

    TRANSITIONS: dict[State, dict[State, tuple[Role, ...]]]   # from -> {to: roles}

Each state names the states it may move to and, for each move, the roles (``accounts.choices.
Role``) that may make it. A final state maps to ``{}``. A move that no user makes (a background
run's, or one another move brings about) has no roles, ``()``: only the system, acting with no
role, makes it. Where a decision picks the move (monitoring's pass / return / reject), a second
literal table maps each state's decisions to their targets (docs/decisions/0053).
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from fupin.core.errors import Forbidden, InvalidTransition

Table = Mapping[str, Mapping[str, tuple[str, ...]]]
Decisions = Mapping[str, Mapping[str, str]]


def _label(table: Table, state: str) -> str:
    """Return the label of a state of the table (its code when it is not one of its states)."""
    for known in table:
        if known == state:
            return str(getattr(known, "label", known))
    for moves in table.values():
        for known in moves:
            if known == state:
                return str(getattr(known, "label", known))
    return str(state)


def _role_labels(roles: Iterable[str]) -> str:
    """Return the labels of the roles of a move (a table holds Role members, which carry them)."""
    return "、".join(str(getattr(r, "label", r)) for r in roles)


def role_of(actor) -> str | None:
    """Return the role an actor makes a move with: None for the system (no actor)."""
    return None if actor is None else actor.role


def transition_check(
    table: Table,
    current: str,
    target: str,
    *,
    role: str | None = None,
    message=None,
    details: dict | None = None,
) -> None:
    """Refuse a move the table does not have, or one the role may not make.

    A move absent from the table is ``InvalidTransition`` (409, details ``from``, ``to``,
    ``allowed``); a move of the table whose roles do not include ``role`` is ``Forbidden`` (403,
    details ``from``, ``to``, ``roles``). ``role=None`` is the system, which may make any move of
    the table.
    """
    moves = table.get(current, {})
    if target not in moves:
        raise InvalidTransition(
            current,
            target,
            moves,
            message=message
            or _("当前为“%(from)s”，不能转为“%(to)s”")
            % {"from": _label(table, current), "to": _label(table, target)},
            details=details,
        )
    roles = moves[target]
    if role is not None and role not in roles:
        raise Forbidden(
            _("此操作应由%(roles)s办理") % {"roles": _role_labels(roles)}
            if roles
            else _("此变更由系统自动进行"),
            {"from": str(current), "to": str(target), "roles": [str(r) for r in roles]}
            | (details or {}),
        )


def decision_target(decisions: Decisions, current: str, decision: str, *, message=None) -> str:
    """Return the state a decision on the current state leads to, or refuse the decision.

    A decision the state does not offer is ``InvalidTransition`` with ``to`` empty (there is no
    target), ``allowed`` the states it may move to, and the ``decision`` asked with the
    ``decisions`` it offers.
    """
    offered = decisions.get(current, {})
    if decision not in offered:
        raise InvalidTransition(
            current,
            "",
            set(offered.values()),
            message=message or _("当前环节不能执行该操作"),
            details={"decision": str(decision), "decisions": sorted(map(str, offered))},
        )
    return offered[decision]


def sources_of(table: Table, target: str) -> list[str]:
    """Return the states that may move to the target, in the table's order.

    A set-based move guards itself with them: ``filter(status__in=sources_of(T, to)).update(...)``
    moves only the rows the table lets move, whatever the system (no role) asks.
    """
    return [state for state, moves in table.items() if target in moves]


def allowed_moves(table: Table, current: str, role: str | None = None) -> list[str]:
    """Return the states the current one may move to, in the table's order, by the role if given.

    Without a role every move of the table counts (what the state allows, whoever makes it).
    """
    return [to for to, roles in table.get(current, {}).items() if role is None or role in roles]
