"""The registry's sections of the household file (its members, its incomes by year, its history)
and of the home page (the households by support category).

They are drawn among the other apps' sections, each in its order (fupin.web.panels).
"""

from django.utils import timezone

from fupin.core.dates import age_on
from fupin.core.masking import mask_id_number, mask_phone
from fupin.registry import choices as c
from fupin.registry.selectors import category_counts, household_incomes, household_members
from fupin.registry.timeline import TIMELINE_LIMIT, household_timeline


def members_panel(request, household) -> dict:
    """Show the members with their IDs and phones masked, those who left struck through."""
    today = timezone.localdate()
    members = [
        {
            "person": p,
            "masked_id": mask_id_number(p.id_number),
            "masked_phone": mask_phone(p.phone),
            "age": age_on(p.birth_date, today),
            "active": p.left_on is None,
        }
        for p in household_members(household=household)
    ]
    return {
        "visible": True,
        "household": household,
        "members": members,
        "active_count": sum(m["active"] for m in members),
        "can_reveal": request.user.has_perm("registry.reveal_id_number", household),
    }


def incomes_panel(request, household) -> dict:
    """Show the incomes by year, the per-capita income against the year's poverty line."""
    return {"visible": True, "incomes": household_incomes(household=household)}


def timeline_panel(request, household) -> dict:
    """Show the household's history: field changes and business events, newest first."""
    return {
        "visible": True,
        "timeline": household_timeline(household=household),
        "timeline_limit": TIMELINE_LIMIT,
    }


def home_panel(request) -> dict:
    """Show the households in the user's scope by support category, and those removed."""
    counts = category_counts(user=request.user)
    categories = [
        {"key": cat.value, "label": cat.label, "count": counts[cat.value]}
        for cat in c.SupportCategory
    ]
    return {
        "visible": True,
        "categories": categories,
        "removed": counts["removed"],
        "total": sum(item["count"] for item in categories),
    }
