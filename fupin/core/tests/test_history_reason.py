"""Nothing sets django-simple-history's change reason by hand (its column holds 100 characters)."""

import re
from pathlib import Path

import fupin

ROOT = Path(fupin.__file__).parent
HELPER = ROOT / "core" / "services.py"
BY_HAND = re.compile(r"\._change_reason\s*=(?!=)")


def test_change_reasons_are_set_only_through_history_attribute():
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}"
        for path in sorted(ROOT.rglob("*.py"))
        if path != HELPER and "tests" not in path.relative_to(ROOT).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BY_HAND.search(line)
    ]
    assert offenders == [], "use fupin.core.services.history_attribute: " + ", ".join(offenders)
