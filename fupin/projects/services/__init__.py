"""Writes of projects: proposal, state moves with their records, operators, contracts,
beneficiaries, rectification / revival plans and the look-back review."""

from fupin.projects.services.beneficiaries import beneficiaries_add
from fupin.projects.services.moves import (
    RECORDS,
    progress_record,
    project_move,
    project_propose,
    resolution_for,
)
from fupin.projects.services.operators import (
    contract_add,
    current_contract,
    licence_validate,
    operator_add,
    operator_qualify,
)
from fupin.projects.services.plans import plan_add, plan_approve
from fupin.projects.services.review import (
    IDLE_MONTHS_KEY,
    RETURNS,
    WEAK_RATIO_KEY,
    expected_in_window,
    review_classify,
    review_run,
)
from fupin.projects.services.review import (
    _review_moves_apply as _review_moves_apply,
)

__all__ = [
    "IDLE_MONTHS_KEY",
    "RECORDS",
    "RETURNS",
    "WEAK_RATIO_KEY",
    "beneficiaries_add",
    "contract_add",
    "current_contract",
    "expected_in_window",
    "licence_validate",
    "operator_add",
    "operator_qualify",
    "plan_add",
    "plan_approve",
    "progress_record",
    "project_move",
    "project_propose",
    "resolution_for",
    "review_classify",
    "review_run",
]
