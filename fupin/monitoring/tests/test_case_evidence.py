"""The case page shows a screening warning's evidence by labels: names, codes and amounts."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.labels import EVIDENCE_LABELS, RULE_LABELS, evidence_lines
from fupin.monitoring.models import Case
from fupin.monitoring.services import case_advance, case_open
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

# A warning as fupin.screening records it (year and rules, then the engine's findings, the head's
# identity left out), with the demo's shorter income names and a boolean a department may send.
EVIDENCE = {
    "year": 2024,
    "rules": ["low_income", "medical_burden"],
    "household_no": "3704811002010001",
    "village_code": "370481100201",
    "size": 3,
    "per_capita_income": "4210.50",
    "net_income": "12631.50",
    "net_income_previous_year": "20100.00",
    "net": "12631.50",
    "net_prev": "20100.00",
    "medical_self_pay": "31250.00",
    "disaster_loss": "0.00",
    "severe_disability_certificates": 0,
    "dropout_members": 0,
    "housing_grade": "C",
    "housing_assessed_date": "2024-05-10",
    "civil_kinds": "dibao;tekun",
    "registry_category": "lifted",
    "income_threshold": "7000.00",
    "low_income": True,
}
RAW = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\blifted\b|\bdibao\b|\btekun\b|\brules\b")


class VisibleText(HTMLParser):
    """The text of a page as read: no scripts, no attributes, no codes marked for support staff."""

    SKIPPED = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping, self.depth = "", 0

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            self.depth += tag == self.skipping
        elif tag in self.SKIPPED or "data-code" in dict(attrs):
            self.skipping, self.depth = tag, 1

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping:
            self.depth -= 1
            if not self.depth:
                self.skipping = ""

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def screened(regions):
    """A case opened by a screening warning in village A, with the officers who handle it."""
    household = HouseholdFactory(village=regions.village_a)
    PersonFactory(household=household, name="王一", relation="head")
    case, _opened = case_open(
        kind="identification",
        route="screening",
        village=regions.village_a,
        household=household,
        findings=EVIDENCE,
    )
    village = UserFactory(role="village_officer", region=regions.village_a)
    town = UserFactory(role="town_officer", region=regions.town_a)
    return case, village, town


def case_page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("monitoring:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("officer", ["village", "town"])
def test_the_officers_read_the_evidence_by_labels(client, screened, officer):
    case, village, town = screened
    html = case_page(client, {"village": village, "town": town}[officer], case)
    text = visible(html)
    for label in (
        "部门筛查预警",
        "筛查年度",
        "预警规则",
        "人均纯收入低于监测标准、医疗自付费用负担重",
        "户编号",
        "村代码",
        "家庭人口数",
        "人均纯收入（元）",
        "4,210.50",
        "上年家庭纯收入（元）",
        "20,100.00",
        "医疗自付费用（元）",
        "31,250.00",
        "监测收入标准（元/人）",
        "7,000.00",
        "住房安全鉴定等级",
        "C 级",
        "低保户、特困供养户",
        "帮扶类别",
        "脱贫不享受政策",
    ):
        assert label in text, label
    assert RAW.findall(text) == []
    # The engine's names stay in tooltips for support staff; a name without a label is in a
    # details line marked as a code, under 其他数据 with its value.
    assert 'title="per_capita_income"' in html
    assert "其他数据" in text and "是" in text
    assert re.search(r"<small[^>]*data-code[^>]*>low_income</small>", html)


def test_the_comparison_is_prefilled_with_labelled_lines(client, screened):
    case, village, _town = screened
    case_advance(
        case_id=case.pk,
        actor=village,
        seen_stage="verify",
        decision="pass",
        data={"verifiers": ["李村干", "王专干"], "findings": "属实", "commitment_signed": True},
    )
    assert Case.objects.get(pk=case.pk).stage == "compare"
    text = visible(case_page(client, village, case))
    assert "人均纯收入（元）：4,210.50" in text
    assert "预警规则：人均纯收入低于监测标准、医疗自付费用负担重" in text
    assert RAW.findall(text) == []


def test_values_are_labelled_and_unknown_names_kept_aside():
    lines = {
        line.code: line
        for line in evidence_lines(
            {
                "rules": "disaster;dropout",
                "registry_category": "none",
                "head_relation": "spouse",
                "head_id_number": "370481199001011234",
                "医保": "住院自付 3 万元",
                "new_figure": False,
            }
        )
    }
    assert lines["rules"].value == "受灾损失大、义务教育阶段辍学"
    assert lines["registry_category"].value == "一般农户"
    assert lines["head_relation"].value == "配偶"
    assert "199001" not in lines["head_id_number"].value
    assert lines["医保"][:2] == ("医保", "住院自付 3 万元") and lines["医保"].detail == ""
    assert lines["new_figure"][:2] == ("其他数据", "否")
    assert lines["new_figure"].detail == "new_figure"


def test_every_rule_and_finding_of_the_engine_has_a_label():
    # Only this test looks at screening: monitoring's code does not import it.
    from analytics.screening.feeds import RULES
    from analytics.screening.run import FINDING_FIELDS
    from fupin.screening.choices import Rule

    assert {code: str(label) for code, label in RULE_LABELS.items()} == {
        rule.value: str(rule.label) for rule in Rule
    }
    assert set(RULES) == set(RULE_LABELS)
    assert {"year", "rules", *FINDING_FIELDS} <= set(EVIDENCE_LABELS)


def test_monitoring_does_not_import_screening():
    package = Path(__file__).resolve().parents[1]
    importers = []
    for path in package.rglob("*.py"):
        # The demo step runs screening's case opening for its screening cases (a call at load
        # time, not a dependency of the pages); tests may look at both.
        if "tests" in path.relative_to(package).parts or path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.startswith("fupin.screening") for name in names):
                importers.append(str(path.relative_to(package)))
    assert importers == []
