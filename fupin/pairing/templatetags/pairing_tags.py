"""Template tags of pairing: the household's cadres on the household file."""

from django import template

from fupin.pairing.selectors import VIEW, household_cadres, household_visit_status, visit_list

register = template.Library()


@register.inclusion_tag("pairing/_household_cadres.html", takes_context=True)
def household_cadres_line(context, household):
    """Show the active cadre(s) paired with the household (帮扶责任人) and its latest visits."""
    user = context["request"].user
    visible = user.has_perm(VIEW)
    return {
        "visible": visible,
        "cadres": household_cadres(household=household) if visible else [],
        "visits": visit_list(user=user, household=household, limit=5) if visible else [],
        "status": household_visit_status(household=household) if visible else {},
    }
