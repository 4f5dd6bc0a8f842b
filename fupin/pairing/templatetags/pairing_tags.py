"""Template tags of pairing: the household's cadres on the household file."""

import secrets

from django import template
from django.utils import timezone

from fupin.pairing.selectors import VIEW, household_cadres, household_visit_status, visit_list

register = template.Library()


@register.inclusion_tag("pairing/_household_cadres.html", takes_context=True)
def household_cadres_line(context, household):
    """Show the active cadre(s) paired with the household (帮扶责任人) and its latest visits."""
    user = context["request"].user
    visible = user.has_perm(VIEW)
    cadres = household_cadres(household=household) if visible else []
    return {
        "visible": visible,
        "household": household,
        "csrf_token": context.get("csrf_token"),
        "cadres": cadres,
        "can_record": bool(cadres) and user.has_perm("pairing.record_visit_for_cadre"),
        "key": secrets.token_hex(16),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "visits": visit_list(user=user, household=household, limit=5) if visible else [],
        "status": household_visit_status(household=household) if visible else {},
    }
