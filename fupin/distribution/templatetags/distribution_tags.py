"""Template tags of the distribution: what a household received, on the household file."""

from django import template

from fupin.distribution.selectors import VIEW, household_received

register = template.Library()


@register.inclusion_tag("distribution/_household.html", takes_context=True)
def household_distributions(context, household):
    """Show the household's amounts by year from plans in effect, with their payment."""
    visible = context["request"].user.has_perm(VIEW, household)
    return {"visible": visible, "lines": household_received(household=household) if visible else []}
