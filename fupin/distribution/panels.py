"""Distribution's section of the household file: what the household received."""

from fupin.distribution.selectors import VIEW, household_received


def household_panel(request, household) -> dict:
    """Show the household's amounts by year from plans in effect, with their payment."""
    visible = request.user.has_perm(VIEW, household)
    return {"visible": visible, "lines": household_received(household=household) if visible else []}
