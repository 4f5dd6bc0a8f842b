"""Template tags of monitoring: form widgets with their error state, a household's cases."""

from django import template

from fupin.monitoring import choices as c

register = template.Library()


@register.filter
def widget(field):
    """Render a bound field's widget, marked invalid when it has errors."""
    css = field.field.widget.attrs.get("class", "")
    if field.errors:
        css = f"{css} is-invalid".strip()
    return field.as_widget(attrs={"class": css})


@register.filter
def get_needed(attrs) -> bool:
    """Tell whether a widget is marked as needed for a pass (the `data-needed` attribute)."""
    return bool(attrs.get("data-needed"))


@register.inclusion_tag("monitoring/_household_cases.html", takes_context=True)
def household_cases(context, household):
    """Show a household's monitoring cases and the buttons to open one, on the household file."""
    user = context["request"].user
    cases = list(household.monitoring_cases.order_by("-opened_at", "-id")[:10])
    open_kinds = {case.kind for case in cases if case.status == c.CaseStatus.OPEN}
    can_open = not household.removal_reason and user.has_perm("monitoring.add_case", household)
    return {
        "household": household,
        "cases": cases,
        "can_view": user.has_perm("monitoring.view_case", household),
        "can_open_exit": can_open and c.CaseKind.EXIT not in open_kinds,
        "can_report": can_open,
    }
