"""A test imports no other app's test modules: only its factories (docs/decisions/0086)."""

import ast
from pathlib import Path

FUPIN = Path(__file__).resolve().parents[2]


def _imported(tree: ast.AST) -> list[str]:
    """Return every module an import statement names (``from a import b`` names ``a`` and ``a.b``)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _crossings(root: Path) -> list[str]:
    crossings = []
    for path in sorted(root.glob("*/tests/**/*.py")):
        app = path.relative_to(root).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = dict.fromkeys(".".join(name.split(".")[:4]) for name in _imported(tree))
        for module in modules:
            parts = module.split(".")
            if len(parts) < 4 or parts[0] != "fupin" or parts[2] != "tests":
                continue
            if parts[1] != app and parts[3] != "factories":
                crossings.append(f"{path.relative_to(root.parent)}: {module}")
    return crossings


def test_no_test_imports_another_apps_test_module():
    assert _crossings(FUPIN) == []


def test_the_check_sees_a_crossing(tmp_path):
    tests = tmp_path / "fupin" / "pairing" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_x.py").write_text(
        "from fupin.monitoring.tests.factories import photo\n"
        "from fupin.pairing.tests.conftest import county\n"
        "from fupin.monitoring.tests.test_life import post\n"
        "from fupin.monitoring.tests import conftest\n"
    )
    assert _crossings(tmp_path / "fupin") == [
        "fupin/pairing/tests/test_x.py: fupin.monitoring.tests.test_life",
        "fupin/pairing/tests/test_x.py: fupin.monitoring.tests.conftest",
    ]
