"""Every verb an app records is in its catalogue (decision 0059), and event_record refuses others.

The code is read, not run: each `verb=` of a call outside the tests is a literal (or a choice of
literals), which must be in the catalogue, or an f-string of a family below, whose every verb
must be.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import TextChoices

from fupin.core import spine
from fupin.core.models import Event
from fupin.core.services import event_record
from fupin.monitoring.choices import Decision
from fupin.projects.choices import PlanKind, ProjectStatus

# The verbs computed from a choice, by their f-string with `{}` for the value.
FAMILIES = {
    "case.{}": {f"case.{decision}" for decision in Decision.values},
    "project.{}": {f"project.{status}" for status in ProjectStatus.values},
    "project.{}_plan_added": {f"project.{kind}_plan_added" for kind in PlanKind.values},
    "project.{}_plan_approved": {f"project.{kind}_plan_approved" for kind in PlanKind.values},
}
# event_record passes its own argument on.
PASSED_ON = {("fupin/core/services.py", "verb")}


def _template(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _verbs(node: ast.expr, where: str, found: dict[str, set]) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        found["literal"].add(node.value)
    elif isinstance(node, ast.IfExp):
        _verbs(node.body, where, found)
        _verbs(node.orelse, where, found)
    elif isinstance(node, ast.JoinedStr):
        found["family"].add(_template(node))
    elif isinstance(node, ast.Name) and (where, node.id) in PASSED_ON:
        pass
    else:
        found["unread"].add(f"{where}:{node.lineno}")


def recorded_verbs() -> dict[str, set]:
    """Return the verbs the code records: literals, families and `verb=` this test cannot read."""
    root = Path(settings.BASE_DIR)
    found: dict[str, set] = {"literal": set(), "family": set(), "unread": set()}
    for path in (root / "fupin").rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        where = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "verb":
                        _verbs(keyword.value, where, found)
    return found


RECORDED = recorded_verbs()


def catalogue() -> set[str]:
    return set(spine.contributions().verbs)


def test_the_code_is_read():
    assert len(RECORDED["literal"]) > 50
    assert "plan.updated" in RECORDED["literal"]  # one branch of a conditional
    assert RECORDED["family"] == set(FAMILIES)
    assert RECORDED["unread"] == set()


def test_every_literal_verb_is_in_the_catalogue():
    assert sorted(RECORDED["literal"] - catalogue()) == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_verb_of_a_family_is_in_the_catalogue(family):
    assert sorted(FAMILIES[family] - catalogue()) == []


def test_each_app_catalogues_its_verbs_once_and_they_fit_the_column():
    declared = []
    for config in spine.fupin_apps():
        if config.event_verbs:
            verbs = spine.resolve(config.event_verbs)
            assert issubclass(verbs, TextChoices), config.name
            declared += verbs.values
    assert len(declared) == len(set(declared))  # no verb claimed by two apps
    longest = Event._meta.get_field("verb").max_length
    assert all(len(verb) <= longest for verb in declared)
    assert all(label for label in spine.contributions().verbs.values())


@pytest.mark.django_db
def test_event_record_refuses_a_verb_not_in_the_catalogue():
    with pytest.raises(ValueError, match="nothing.known"):
        event_record(actor=None, verb="nothing.known")
    assert not Event.objects.filter(verb="nothing.known").exists()
    assert event_record(actor=None, verb="demo.loaded").verb == "demo.loaded"
