"""One status per error code: the source of fupin is read, not run (docs/decisions/0052).

Every construction of a kind of `fupin.core.errors` in a module that is not a test is collected
with its code; a code raised under two kinds of different status, or a `FupinError` built
directly, fails. The engines' errors that fupin passes on under a kind (`RuleError` of the
distribution rule, `ScreeningError` of analytics) count with that kind.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from fupin.core import errors

REPO = Path(__file__).resolve().parents[3]
SOURCES = (REPO / "fupin", REPO / "analytics")

# Each kind with its status: the contract the API, the pages and the CLI answer by.
STATUSES = {
    "Refused": 422,
    "InvalidInput": 422,
    "Conflict": 409,
    "InvalidTransition": 409,
    "TooLarge": 413,
    "RateLimited": 429,
    "Unauthenticated": 401,
    "Forbidden": 403,
    "NotFound": 404,
}
# Kinds whose constructor fixes the code (Forbidden's is only a default).
FIXED_CODES = {
    "InvalidInput": "invalid_input",
    "InvalidTransition": "invalid_transition",
    "NotFound": "not_found",
    "Unauthenticated": "unauthenticated",
}
# Errors of code without Django, each passed on under a kind with its own code.
PASSED_ON = {
    "RuleError": "Refused",  # fupin.distribution.planfile.coded
    "ScreeningError": "Refused",  # fupin.screening.services
}
KINDS = {
    name: kind
    for name, kind in vars(errors).items()
    if isinstance(kind, type) and issubclass(kind, errors.FupinError)
}


@dataclass(frozen=True)
class Site:
    """One construction of an error: its kind, its code (None when computed) and where."""

    kind: str
    code: str | None
    where: str
    status_given: bool = False

    @property
    def status(self) -> int | None:
        return getattr(KINDS.get(self.kind), "status", None)


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _names(tree: ast.Module, *, own: bool) -> tuple[dict[str, str], set[str]]:
    """Return the local names of the kinds ({local: kind}) and of the errors module itself."""
    kinds = {name: name for name in ((*KINDS, *PASSED_ON) if own else PASSED_ON)}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "fupin.core.errors":
            for alias in node.names:
                if alias.name in KINDS:
                    kinds[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "fupin.core":
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name == "errors"
            }
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname for alias in node.names if alias.name == "fupin.core.errors"
            } - {None}
    return kinds, modules


def _kind_of(func: ast.expr, kinds: dict[str, str], modules: set[str]) -> str | None:
    if isinstance(func, ast.Name):
        return kinds.get(func.id)
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in modules and func.attr in KINDS:
            return func.attr
        if func.attr == "of":  # InvalidInput.of(problems): a classmethod constructor
            return _kind_of(func.value, kinds, modules)
        if isinstance(func.value, ast.Name) and func.attr in PASSED_ON:  # rule.RuleError(...)
            return func.attr
    return None


def _code(kind: str, call: ast.Call) -> str | None:
    keywords = {k.arg: k.value for k in call.keywords}
    if kind in FIXED_CODES:
        return FIXED_CODES[kind]
    if kind == "Forbidden":
        given = keywords.get("code", call.args[2] if len(call.args) > 2 else None)
        return "forbidden" if given is None else _literal(given)
    return _literal(keywords.get("code", call.args[0] if call.args else None))


def error_sites(source: str, where: str = "<source>", *, own: bool = False) -> list[Site]:
    """Return every construction of an error kind in the source (`own`: it is errors.py)."""
    tree = ast.parse(source)
    kinds, modules = _names(tree, own=own)
    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        kind = _kind_of(node.func, kinds, modules)
        if kind is None:
            continue
        sites.append(
            Site(
                PASSED_ON.get(kind, kind),
                _code(kind, node),
                f"{where}:{node.lineno}",
                any(k.arg == "status" for k in node.keywords),
            )
        )
    return sites


def clashes(sites: list[Site]) -> dict[str, dict[int, list[str]]]:
    """Return the codes raised with more than one status: {code: {status: [where, ...]}}."""
    by_code: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for site in sites:
        if site.code is not None and site.status is not None:
            by_code[site.code][site.status].append(site.where)
    return {code: dict(statuses) for code, statuses in by_code.items() if len(statuses) > 1}


def _modules():
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(REPO)
            if "tests" in relative.parts or path.name.startswith("test_"):
                continue
            yield relative, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    errors_module = Path(errors.__file__).resolve().relative_to(REPO)
    return [
        site
        for relative, source in _modules()
        for site in error_sites(source, str(relative), own=relative == errors_module)
    ]


# -- the kinds -----------------------------------------------------------------------------------


def test_every_kind_has_its_fixed_status():
    assert {name: kind.status for name, kind in KINDS.items() if name != "FupinError"} == STATUSES
    for name in STATUSES:
        assert "status" in vars(KINDS[name]), f"{name} inherits its status"


def test_the_base_is_not_raised_and_no_kind_takes_a_status():
    with pytest.raises(TypeError):
        errors.FupinError("some_code", "a message")
    with pytest.raises(TypeError):
        errors.Refused("some_code", "a message", {}, status=400)
    assert errors.Refused("some_code", "a message").status == 422


def test_the_kinds_that_fix_their_code_give_that_code():
    built = {
        "InvalidInput": errors.InvalidInput({"name": "required"}),
        "InvalidTransition": errors.InvalidTransition("draft", "done"),
        "NotFound": errors.NotFound("household"),
        "Unauthenticated": errors.Unauthenticated(),
    }
    assert {name: error.code for name, error in built.items()} == FIXED_CODES
    assert errors.Forbidden().code == "forbidden"
    assert errors.Forbidden(code="csrf_failed").code == "csrf_failed"


# -- the collector -------------------------------------------------------------------------------

CLASHING = """
from fupin.core import errors
from fupin.core.errors import Conflict, FieldProblems, Forbidden, InvalidInput as Bad, Refused as No

def f(flag, exc):
    if flag:
        raise No("duplicate_name", "taken")
    if exc:
        raise No(exc.code, exc.message)
    raise Conflict(code="duplicate_name", message="taken")

def g():
    raise errors.FupinError("plain", "no kind", status=400)

def h():
    raise Forbidden("may not", None, "duplicate_name")

def i(problems):
    FieldProblems().raise_any()
    raise Bad.of(problems)
"""


def test_the_collector_finds_each_construction_with_its_code():
    found = [(site.kind, site.code, site.status_given) for site in error_sites(CLASHING)]
    assert sorted(found, key=str) == sorted(
        [
            ("Refused", "duplicate_name", False),
            ("Refused", None, False),
            ("Conflict", "duplicate_name", False),
            ("FupinError", "plain", True),
            ("Forbidden", "duplicate_name", False),
            ("InvalidInput", "invalid_input", False),
        ],
        key=str,
    )


def test_the_collector_reports_a_code_with_two_statuses():
    found = clashes(error_sites(CLASHING, "clash.py"))
    assert set(found) == {"duplicate_name"}
    assert found["duplicate_name"] == {
        422: ["clash.py:7"],
        409: ["clash.py:10"],
        403: ["clash.py:16"],
    }


def test_the_collector_ignores_other_calls_of_the_same_names():
    source = "from other import Refused\nRefused('x', 'y')\nRuleError = dict\n"
    assert [site.kind for site in error_sites(source)] == []
    assert [site.code for site in error_sites("RuleError('number_invalid', field='x')")] == [
        "number_invalid"
    ]


# -- the code base -------------------------------------------------------------------------------


def test_the_walk_sees_the_code_base(sites):
    statuses = {(site.code, site.status) for site in sites}
    assert len(sites) > 200
    assert {("project_exists", 409), ("invalid_input", 422), ("csrf_failed", 403)} <= statuses
    assert ("number_invalid", 422) in statuses  # a RuleError passed on as Refused


def test_no_code_answers_with_two_statuses(sites):
    assert clashes(sites) == {}


def test_fupin_error_is_never_built_directly_nor_given_a_status(sites):
    assert [site.where for site in sites if site.kind == "FupinError"] == []
    assert [site.where for site in sites if site.status_given] == []
