"""Template tags of the policy page: a policy value as people read it."""

from dataclasses import dataclass, field

from django import template

from fupin.core.spine import contributions
from fupin.policy.keys import policy_keys

register = template.Library()


@dataclass
class PolicyShown:
    """A policy value as shown: a text, a list of labels, or a table of labelled numbers."""

    text: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (label, code, number)
    table: bool = False


def policy_value_shown(key: str, text: str) -> PolicyShown:
    """Return how a policy value's stored text is shown: weights as a table, codes by label.

    The names (support categories, indicators) are the apps' own, each declared on its AppConfig
    as `policy_names`, so that policy, below them, imports none of them."""
    kind = getattr(policy_keys().get(key), "type", "")
    if kind not in {"weights", "categories"}:
        return PolicyShown(text)
    names = contributions().policy_names
    items = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _sep, number = (s.strip() for s in part.partition("="))
        items.append((str(names.get(name, name)), name, number))
    return PolicyShown(text, items, table=kind == "weights")


@register.inclusion_tag("policy/_policy_value.html")
def policy_value(key: str, text: str) -> dict:
    """Show a policy value: a weights table as a small table of labels, a list of codes by label."""
    return {"shown": policy_value_shown(key, text), "key": key}
