"""The labels pages show for business events: their verbs, the names in their data and its values.

Events are recorded with English codes (`household.monitoring_included`, `{"monitoring_type":
"unstable"}`); people read labels. A verb's label is in its app's catalogue (`events.Verb`,
collected by the spine; decision 0059), and so are the names of its data (`events.DATA`).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.spine import DataName, contributions


def verb_label(verb: str) -> str:
    """Return the label of an event's verb from its app's catalogue; an unknown verb reads as a
    generic action."""
    label = contributions().verbs.get(verb)
    return str(label) if label is not None else gettext("其他操作")


# The names in any app's events' data; each app adds its own (``event_data`` on its AppConfig).
COMMON_DATA = {
    "reason": DataName(_("原因")),
    "from": DataName(_("原状态")),
    "to": DataName(_("新状态")),
}


def data_name(name: str) -> DataName | None:
    """Return how a name in events' data is shown, or None for a name not shown."""
    return contributions().event_data.get(name) or COMMON_DATA.get(name)


# Reasons written by the system rather than typed by a person.
REASON_LABELS = {"demo": _("演示数据")}


def reason_label(reason: str) -> str:
    """Return a history or event reason as shown: a system reason by its label, a person's as typed."""
    head, sep, rest = reason.partition(": ")
    if head in REASON_LABELS:
        return str(REASON_LABELS[head]) + (f"：{rest}" if sep else "")
    return reason


def data_value(name: str, value) -> str:
    """Return one value of an event's data as shown: a code by its choice label, a list joined."""
    known = data_name(name)
    choices = known.choices if known is not None else None
    values = value if isinstance(value, list) else [value]
    shown = []
    for item in values:
        if choices is not None and item in choices.values:
            shown.append(str(choices(item).label))
        elif isinstance(item, bool):
            shown.append(gettext("是") if item else gettext("否"))
        else:
            shown.append(str(item))
    return "、".join(shown) or "—"


def data_lines(data: dict) -> list[tuple[str, str]]:
    """Return the labelled names and values of an event's data; names without a label are left out."""
    lines = []
    for name, value in data.items():
        known = data_name(name)
        if known is not None and not isinstance(value, dict):
            lines.append((str(known.label), data_value(name, value)))
    return lines
