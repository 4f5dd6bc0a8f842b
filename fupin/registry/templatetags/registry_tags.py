"""Template tags of the registry: export and print buttons on the household list and file, and
the import template's link. Pages include them with one tag each."""

from django import template
from django.utils import timezone

from fupin.registry.filters import FILTER_FIELDS, INDENT

register = template.Library()


def filters_shown(form) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the list's applied filters as (name, raw value) and as "label：value" lines."""
    if not form.is_valid():
        return [], []
    fields, lines = [], []
    for name in FILTER_FIELDS:
        value = form.cleaned_data.get(name) or ""
        if not value:
            continue
        fields.append((name, value))
        choices = getattr(form.fields[name], "choices", None)
        shown = dict(choices).get(value, value) if choices else value
        lines.append(f"{form.fields[name].label}：{str(shown).strip(INDENT)}")
    return fields, lines


@register.inclusion_tag("registry/_list_actions.html", takes_context=True)
def household_list_actions(context):
    """Show the export form (the list's filters, full IDs for those allowed) and a print button."""
    user = context["request"].user
    form = context["form"]
    fields, lines = filters_shown(form)
    return {
        "csrf_token": context.get("csrf_token"),
        "can_export": bool(context.get("rows")) and user.has_perm("registry.export_household"),
        "can_full_ids": user.has_perm("registry.export_full_ids"),
        "fields": fields,
        "lines": lines,
        "printed_at": timezone.localtime(),
        "user": user,
    }


@register.inclusion_tag("registry/_file_actions.html", takes_context=True)
def household_file_actions(context, household):
    """Show the household file's export form and a print button."""
    user = context["request"].user
    return {
        "csrf_token": context.get("csrf_token"),
        "household": household,
        "can_export": user.has_perm("registry.export_household", household),
        "can_full_ids": user.has_perm("registry.export_full_ids", household),
        "printed_at": timezone.localtime(),
        "user": user,
    }


@register.inclusion_tag("registry/_import_template_link.html", takes_context=True)
def import_template_link(context):
    """Link the household import's template for those who may import."""
    return {"can_import": context["request"].user.has_perm("registry.import_household")}
