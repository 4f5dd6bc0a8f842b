"""Projects' section of the household file: the projects the household benefits from."""

from fupin.projects.selectors import VIEW, household_projects


def household_panel(request, household) -> dict:
    """Show the projects the household benefits from, by year, with the persons counted."""
    visible = request.user.has_perm(VIEW, household)
    return {
        "visible": visible,
        "rows": household_projects(household=household) if visible else [],
    }
