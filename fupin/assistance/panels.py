"""Assistance's section of the household file: the household's plan and its measures."""

from fupin.assistance.selectors import plan_panel


def household_panel(request, household) -> dict:
    """Show the plan, its measures and whether it is overdue, to the roles that may see plans."""
    panel = plan_panel(user=request.user, household=household)
    return {"visible": panel is not None, "panel": panel}
