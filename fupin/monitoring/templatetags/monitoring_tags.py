"""Template tags of monitoring: form widgets with their error state."""

from django import template

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
