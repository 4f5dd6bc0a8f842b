"""Demo data of screening: the cases a department screening run opens among monitoring's demo cases.

Monitoring's demo plans the cases of every route; a screening-route case is opened here, by
``cases_from_findings`` with what a run would have found about the household, so that its
evidence is a real finding's. The step runs before monitoring's and hands the opener over in the
demo's context (``shared["case_openers"]``, decision 0088).
"""

from fupin.core.errors import Refused
from fupin.monitoring.choices import Route
from fupin.registry import choices as rc
from fupin.registry.models import HouseholdIncome
from fupin.screening.services import cases_from_findings

# The risks a rule's finding adds to the case.
RISKS_BY_RULE = {
    "low_income": [rc.RiskType.UNSTABLE_EMPLOYMENT],
    "medical_burden": [rc.RiskType.ILLNESS],
    "severe_disability": [rc.RiskType.DISABILITY],
    "disaster": [rc.RiskType.DISASTER],
}


def demo_finding(household, risk_types: list[str]) -> tuple[dict, list[str]]:
    """Return what a department screening run would have found about the household, and the
    case's risk types with the rule's."""
    incomes = list(HouseholdIncome.objects.filter(household=household).order_by("-year")[:2])
    net = incomes[0].net if incomes else None
    per_capita = (net / incomes[0].size).quantize(net) if incomes and incomes[0].size else None
    rule = "medical_burden" if rc.RiskType.ILLNESS in risk_types else "low_income"
    head = household.members.filter(relation=rc.Relation.HEAD).first()
    finding = {
        "household_no": household.household_no,
        "village_code": household.village_id,
        "size": incomes[0].size if incomes else 1,
        "rules": rule,
        "per_capita_income": str(per_capita) if per_capita is not None else None,
        "net": str(net) if net is not None else None,
        "net_prev": str(incomes[1].net) if len(incomes) > 1 else None,
        "registry_category": household.poverty_status or "none",
        "head_id_number": head.id_number if head else "",
        "head_name": head.name if head else "",
        "head_relation": "head",
    }
    return finding, sorted(set(risk_types) | set(RISKS_BY_RULE[rule]))


def screening_case_open(household, risk_types: list[str], *, actor, year: int):
    """Open the screening case of a demo household: (case id, its risk types)."""
    finding, risk_types = demo_finding(household, risk_types)
    ids: dict[str, int] = {}
    cases_from_findings(findings=[finding], year=year, actor=actor, case_ids=ids)
    if not ids:
        raise Refused("demo_case_skipped", "", {})
    return ids[finding["household_no"]], risk_types


def screening_demo_step(context) -> None:
    """Demo step: hand monitoring's demo the opener of screening-route cases."""
    context.shared.setdefault("case_openers", {})[Route.SCREENING] = screening_case_open
