"""Template tags of projects: the projects a household benefits from, on the household file."""

from django import template

from fupin.projects.selectors import VIEW
from fupin.projects.selectors import household_projects as household_projects_of

register = template.Library()


@register.inclusion_tag("projects/_household.html", takes_context=True)
def household_projects(context, household):
    """Show the projects the household benefits from, by year, with the persons counted."""
    visible = context["request"].user.has_perm(VIEW, household)
    return {
        "visible": visible,
        "rows": household_projects_of(household=household) if visible else [],
    }
