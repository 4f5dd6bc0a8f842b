"""Pairing's section of the household file: the household's cadres and its latest visits."""

import secrets

from django.utils import timezone

from fupin.pairing.selectors import VIEW, household_cadres, household_visit_status, visit_list


def household_panel(request, household) -> dict:
    """Show the active cadre(s) paired with the household (帮扶责任人) and its latest visits."""
    user = request.user
    visible = user.has_perm(VIEW)
    cadres = household_cadres(household=household) if visible else []
    return {
        "visible": visible,
        "household": household,
        "cadres": cadres,
        "can_record": bool(cadres) and user.has_perm("pairing.record_visit_for_cadre"),
        "key": secrets.token_hex(16),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "visits": visit_list(user=user, household=household, limit=5) if visible else [],
        "status": household_visit_status(household=household) if visible else {},
    }
