"""Writes of monitoring: opening, joining and advancing cases, exit cases, objections,
self-declarations and attachments; each capability in its module, all importable from here."""

from fupin.monitoring.selectors import ExitCondition, exit_conditions
from fupin.monitoring.services.attachments import attachment_add, declaration_photo_add
from fupin.monitoring.services.cases import case_open
from fupin.monitoring.services.declarations import declaration_submit, declaration_track
from fupin.monitoring.services.exit import exit_case_open
from fupin.monitoring.services.objections import (
    OBJECTION_MAX_CHARS,
    objection_answer,
    objection_lodge,
)
from fupin.monitoring.services.open_many import CaseOpened, CaseSubject, cases_open_many
from fupin.monitoring.services.stages import STAGE_RECORDS, case_advance

__all__ = [
    "OBJECTION_MAX_CHARS",
    "STAGE_RECORDS",
    "CaseOpened",
    "CaseSubject",
    "ExitCondition",
    "attachment_add",
    "case_advance",
    "case_open",
    "cases_open_many",
    "declaration_photo_add",
    "declaration_submit",
    "declaration_track",
    "exit_case_open",
    "exit_conditions",
    "objection_answer",
    "objection_lodge",
]
