"""Monitoring's sections: a household's cases on its file, the case queue on the home page."""

from fupin.monitoring import choices as c
from fupin.monitoring.selectors import case_counts, case_queue, case_rows

QUEUE_SHOWN = 20


def household_panel(request, household) -> dict:
    """Show a household's monitoring cases and the buttons to open one, on the household file."""
    user = request.user
    cases = list(household.monitoring_cases.order_by("-opened_at", "-id")[:10])
    open_kinds = {case.kind for case in cases if case.status == c.CaseStatus.OPEN}
    can_open = not household.removal_reason and user.has_perm("monitoring.add_case", household)
    return {
        # Drawn for every role that opens the file: a case's kind and stage are the file's facts.
        "visible": True,
        "household": household,
        "cases": cases,
        "can_view": user.has_perm("monitoring.view_case", household),
        "can_open_exit": can_open and c.CaseKind.EXIT not in open_kinds,
        "can_report": can_open,
    }


def home_panel(request) -> dict:
    """Show the counts of cases and the ones waiting for the user's role, on the home page."""
    user = request.user
    if not user.has_perm("monitoring.view_case"):
        return {"visible": False}
    return {
        "visible": True,
        "queue": {
            "rows": case_rows(cases=case_queue(user=user)[:QUEUE_SHOWN]),
            "counts": case_counts(user=user),
            "shown": QUEUE_SHOWN,
            "owns_stages": user.role in c.STAGE_ROLE.values(),
        },
    }
