"""Every status of fupin has a literal TRANSITIONS table, and one guard checks every move.

The census finds every ``TextChoices`` named ``…Status``, ``…Stage`` or ``…State`` of every
installed fupin app (its ``choices`` and ``models`` modules, and the choices of every model field
named so) and asks for a table in the app's ``choices.py``: a module-level dict whose name ends in
``TRANSITIONS`` with exactly the states as keys, every target a state and every role a ``Role``.
A new status without its table fails here (``test_a_status_without_a_table_is_found`` shows the
census catches one); so does a field whose states are not one of the app's choices classes.
"""

import importlib
import importlib.util
import types

import pytest
from django.apps import apps
from django.db import models

from fupin.accounts.choices import Role
from fupin.core.errors import Forbidden, InvalidTransition
from fupin.core.states import (
    allowed_moves,
    decision_target,
    role_of,
    sources_of,
    transition_check,
)

SUFFIXES = ("Status", "Stage", "State")
FIELD_SUFFIXES = ("status", "stage", "state")


def fupin_apps():
    return [app for app in apps.get_app_configs() if app.name.startswith("fupin.")]


def module_of(app, name: str):
    """Return the app's module of that name, or None when it has none."""
    qualified = f"{app.name}.{name}"
    return importlib.import_module(qualified) if importlib.util.find_spec(qualified) else None


def status_classes(module) -> list[type[models.TextChoices]]:
    """Return the TextChoices of a module whose name says it is a status (once, whatever its aliases)."""
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, models.TextChoices)
        and value is not models.TextChoices
        and value.__name__.endswith(SUFFIXES)
        and value.__module__ == module.__name__
    ]
    return list(dict.fromkeys(found))


def tables_of(module) -> dict[str, dict]:
    """Return the module's tables: its dicts whose name ends in TRANSITIONS."""
    return {
        name: value
        for name, value in vars(module).items()
        if name.endswith("TRANSITIONS") and isinstance(value, dict)
    }


def table_for(states: type[models.TextChoices], module) -> dict | None:
    """Return the one table of the module whose keys are exactly the states, or None."""
    found = [t for t in tables_of(module).values() if set(t) == set(states.values)]
    assert len(found) <= 1, f"{states.__name__} has {len(found)} tables"
    return found[0] if found else None


def table_problems(states: type[models.TextChoices], module) -> list[str]:
    """Return what is wrong with the table of the states in the module (nothing when it is sound)."""
    if module is None:
        return [f"{states.__name__}: its app has no choices.py"]
    table = table_for(states, module)
    if table is None:
        return [f"{states.__name__}: no TRANSITIONS table in {module.__name__} covers its states"]
    problems = []
    for state, moves in table.items():
        if not isinstance(moves, dict):
            problems.append(f"{states.__name__}.{state}: moves are not a dict")
            continue
        for target, roles in moves.items():
            if target not in states.values:
                problems.append(f"{states.__name__}: {state} -> {target}, not a state")
            if not isinstance(roles, tuple):
                problems.append(f"{states.__name__}: {state} -> {target}, roles not a tuple")
            elif not all(isinstance(r, Role) for r in roles):
                problems.append(f"{states.__name__}: {state} -> {target}, {roles} not Role members")
    return problems


def census() -> list[tuple[str, type[models.TextChoices]]]:
    """Return (app name, status class) of every status of every fupin app."""
    found = []
    for app in fupin_apps():
        for name in ("choices", "models"):
            module = module_of(app, name)
            if module is not None:
                found += [(app.name, cls) for cls in status_classes(module)]
    return found


CENSUS = census()


def test_the_census_finds_the_statuses_of_the_apps():
    names = {f"{app}.{cls.__name__}" for app, cls in CENSUS}
    assert {
        "fupin.projects.ProjectStatus",
        "fupin.monitoring.Stage",
        "fupin.monitoring.CaseStatus",
        "fupin.funds.LoanStatus",
        "fupin.registry.PovertyStatus",
        "fupin.registry.RiskState",
        "fupin.screening.RunStatus",
        "fupin.oversight.Status",
    } <= names


@pytest.mark.parametrize("app,states", CENSUS, ids=[f"{app}.{cls.__name__}" for app, cls in CENSUS])
def test_every_status_has_a_literal_table_covering_its_states(app, states):
    module = module_of(apps.get_app_config(app.rsplit(".", 1)[1]), "choices")
    assert table_problems(states, module) == []


def test_every_status_field_takes_its_states_from_a_status_of_its_app():
    classes = {(app, frozenset(cls.values)) for app, cls in CENSUS}
    missing = []
    for app in fupin_apps():
        for model in app.get_models():
            for field in model._meta.get_fields():
                choices = getattr(field, "choices", None)
                if not choices or not field.name.endswith(FIELD_SUFFIXES):
                    continue
                values = frozenset(value for value, _label in choices)
                if (app.name, values) not in classes:
                    missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_every_decision_table_leads_to_moves_of_its_transitions():
    for app in fupin_apps():
        module = module_of(app, "choices")
        decisions = getattr(module, "DECISIONS", None) if module else None
        if decisions is None:
            continue
        table = module.TRANSITIONS
        assert set(decisions) == set(table)
        for state, offered in decisions.items():
            assert set(offered.values()) == set(table[state]), (app.name, state)


def test_a_status_without_a_table_is_found():
    class ParcelStatus(models.TextChoices):
        SENT = "sent", "sent"
        LOST = "lost", "lost"

    module = types.ModuleType("fupin.fake.choices")
    module.ParcelStatus = ParcelStatus
    assert table_problems(ParcelStatus, module) == [
        "ParcelStatus: no TRANSITIONS table in fupin.fake.choices covers its states"
    ]
    module.TRANSITIONS = {ParcelStatus.SENT: {ParcelStatus.LOST: ("nobody",)}}
    assert table_problems(ParcelStatus, module)  # a state left out: no table covers them
    module.TRANSITIONS[ParcelStatus.LOST] = {"found": (Role.CADRE,)}
    assert table_problems(ParcelStatus, module) == [
        "ParcelStatus: sent -> lost, ('nobody',) not Role members",
        "ParcelStatus: lost -> found, not a state",
    ]


# The guard ----------------------------------------------------------------------------------------


class Door(models.TextChoices):
    SHUT = "shut", "关"
    OPEN = "open", "开"
    GONE = "gone", "拆"


TOWN = (Role.TOWN_OFFICER,)
DOOR = {
    Door.SHUT: {Door.OPEN: TOWN, Door.GONE: ()},
    Door.OPEN: {Door.SHUT: (Role.TOWN_OFFICER, Role.CADRE)},
    Door.GONE: {},
}
DECISIONS = {Door.SHUT: {"pass": Door.OPEN}, Door.OPEN: {"pass": Door.SHUT}, Door.GONE: {}}


def test_a_move_the_table_lacks_is_invalid_transition_409_with_from_to_allowed():
    with pytest.raises(InvalidTransition) as exc:
        transition_check(DOOR, Door.OPEN, Door.GONE, role=Role.TOWN_OFFICER, details={"door": 7})
    assert (exc.value.code, exc.value.status) == ("invalid_transition", 409)
    assert exc.value.details == {"from": "open", "to": "gone", "allowed": ["shut"], "door": 7}
    assert str(exc.value.message) == "当前为“开”，不能转为“拆”"
    with pytest.raises(InvalidTransition) as final:
        transition_check(DOOR, Door.GONE, Door.SHUT)
    assert final.value.details["allowed"] == []


def test_a_move_by_a_role_it_does_not_name_is_forbidden_403_with_its_roles():
    with pytest.raises(Forbidden) as exc:
        transition_check(DOOR, Door.SHUT, Door.OPEN, role=Role.CADRE)
    assert (exc.value.code, exc.value.status) == ("forbidden", 403)
    assert exc.value.details == {"from": "shut", "to": "open", "roles": ["town_officer"]}
    assert str(exc.value.message) == "此操作应由乡镇扶贫办办理"
    with pytest.raises(Forbidden) as system_only:
        transition_check(DOOR, Door.SHUT, Door.GONE, role=Role.TOWN_OFFICER)
    assert system_only.value.details["roles"] == []
    assert str(system_only.value.message) == "此变更由系统自动进行"


def test_the_system_with_no_role_makes_any_move_of_the_table_and_only_those():
    transition_check(DOOR, Door.SHUT, Door.GONE, role=None)
    transition_check(DOOR, Door.SHUT, Door.OPEN, role=None)
    transition_check(DOOR, Door.OPEN, Door.SHUT, role=Role.CADRE)
    assert role_of(None) is None
    with pytest.raises(InvalidTransition):
        transition_check(DOOR, Door.GONE, Door.OPEN, role=None)


def test_a_decision_picks_its_move_or_is_invalid_transition():
    assert decision_target(DECISIONS, Door.SHUT, "pass") == Door.OPEN
    with pytest.raises(InvalidTransition) as exc:
        decision_target(DECISIONS, Door.SHUT, "return")
    assert exc.value.details == {
        "from": "shut",
        "to": "",
        "allowed": ["open"],
        "decision": "return",
        "decisions": ["pass"],
    }


def test_moves_allowed_and_the_sources_of_a_set_based_move():
    assert allowed_moves(DOOR, Door.SHUT) == [Door.OPEN, Door.GONE]
    assert allowed_moves(DOOR, Door.SHUT, Role.TOWN_OFFICER) == [Door.OPEN]
    assert allowed_moves(DOOR, Door.GONE) == []
    assert sources_of(DOOR, Door.SHUT) == [Door.OPEN]
    assert sources_of(DOOR, Door.GONE) == [Door.SHUT]
