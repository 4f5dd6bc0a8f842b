"""What the code cites of the documentation exists, and the code says why rather than which issue.

Read, not run: every module, template and policy file that is not a test (fupin/, config/,
analytics/, bench/) is searched for paths under docs/ and for decision numbers (docs/decisions/NNNN,
"ADR NNNN", "decision NNNN", "决定 NNNN", "(NNNN)"); each must be in the repository. A comment that
cites an issue or the product brief's DOMAIN.md (not in the repository) tells a reader nothing they
can open. docs/domain.md, the vocabulary, is held to the code the other way round: every code key
it writes between backticks still occurs in the code.
"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TOPS = ("fupin", "config", "analytics", "bench")
SUFFIXES = {".py", ".html", ".toml"}
DECISIONS = REPO / "docs" / "decisions"
DOMAIN = REPO / "docs" / "domain.md"

DOC_PATH = re.compile(r"(?<![\w/])docs/[\w./-]*[\w/]")
# A decision number after one of the ways the code cites it, with any list or range that follows.
NUMBER_LIST = r"(0\d{3}(?:\s*(?:,|–|and|or)\s*0\d{3})*)"
DECISION = re.compile(
    rf"(?:(?<![\w/])docs/(?:decisions/)?|\bADR\s*|\bdecisions?\s+|决定\s*|\(){NUMBER_LIST}(?!\d)",
    re.IGNORECASE,
)
ISSUE = re.compile(r"\bissues?\s*#?\s*\d+", re.IGNORECASE)
CODE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _is_test(relative: Path) -> bool:
    return (
        "tests" in relative.parts
        or relative.name.startswith("test_")
        or relative.name == "conftest.py"
    )


def _sources() -> list[Path]:
    """Return the files of the code that are not tests, in a stable order."""
    found = []
    for top in TOPS:
        for path in sorted((REPO / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and not _is_test(path.relative_to(REPO)):
                found.append(path)
    return found


def _lines(paths: list[Path]):
    for path in paths:
        name = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{name}:{number}", line


def _decision_numbers() -> set[str]:
    return {path.name[:4] for path in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md")}


def _missing_citations(paths: list[Path]) -> list[str]:
    """Return each cited path under docs/ or decision number that the repository does not have."""
    numbers = _decision_numbers()
    missing = []
    for where, line in _lines(paths):
        for match in DOC_PATH.finditer(line):
            cited = match.group()
            # docs/decisions/NNNN and docs/NNNN name a decision by number: checked below.
            if re.fullmatch(r"docs/(decisions/)?0\d{3}", cited):
                continue
            if not (REPO / cited).exists():
                missing.append(f"{where}: {cited}")
        for match in DECISION.finditer(line):
            for number in re.findall(r"0\d{3}", match.group(1)):
                if number not in numbers:
                    missing.append(f"{where}: decision {number}")
    return missing


def test_cited_docs_and_decisions_exist():
    assert _missing_citations(_sources()) == []


def test_domain_doc_cites_what_exists():
    assert _missing_citations([DOMAIN]) == []


def test_no_citation_of_the_brief_or_of_issues():
    found = [
        f"{where}: {line.strip()}"
        for where, line in _lines(_sources())
        if "DOMAIN.md" in line or ISSUE.search(line)
    ]
    assert found == []


def test_domain_doc_keys_are_in_the_code():
    code = "\n".join(path.read_text(encoding="utf-8") for path in _sources())
    written = set(re.findall(r"`([^`\n]+)`", DOMAIN.read_text(encoding="utf-8")))
    paths = {token for token in written if "/" in token and " " not in token}
    keys = {token for token in written - paths if CODE_KEY.fullmatch(token)}
    assert sorted(path for path in paths if not (REPO / path).exists()) == []
    assert (
        sorted(key for key in keys if not re.search(rf"(?<![\w.]){re.escape(key)}(?!\w)", code))
        == []
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("# see docs/decisions/0001 and docs/new-app.md.", []),
        ("# see docs/decisions/0994", ["decision 0994"]),
        ("# as decided (ADR 0001, 0999)", ["decision 0999"]),
        ("# the rule (decision 0998)", ["decision 0998"]),
        ("# staff only (0997).", ["decision 0997"]),
        ('source = "示意值（决定 0996）"', ["decision 0996"]),
        ("# see docs/nowhere.md.", ["docs/nowhere.md"]),
        ("# the whole list: docs/decisions/0001–0995", ["decision 0995"]),
    ],
)
def test_a_citation_of_nothing_is_found(tmp_path, line, expected):
    source = tmp_path / "probe.py"
    source.write_text(line + "\n", encoding="utf-8")
    found = [entry.split(": ", 1)[1] for entry in _missing_citations([source])]
    assert found == expected


@pytest.mark.parametrize(
    ("line", "cites"),
    [
        ("# A cadre at once (issue 5: nobody presses a button).", True),
        ("# Issue 10, defect 14", True),
        ("# The exit conditions of DOMAIN.md", True),
        ("# see docs/decisions/0032-issue-6-apps.md", False),
        ('# (docs/domain.md "Exit conditions")', False),
    ],
)
def test_a_citation_of_an_issue_or_the_brief_is_found(line, cites):
    assert ("DOMAIN.md" in line or bool(ISSUE.search(line))) is cites
