"""The labels pages show for business events: their verbs, the names in their data and its values.

Events are recorded with English codes (`household.monitoring_included`, `{"monitoring_type":
"unstable"}`); people read labels. A verb's label is in its app's catalogue (`events.Verb`,
collected by the spine; decision 0059).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.spine import contributions
from fupin.monitoring import choices as mc
from fupin.registry import choices as rc


def verb_label(verb: str) -> str:
    """Return the label of an event's verb from its app's catalogue; an unknown verb reads as a
    generic action."""
    label = contributions().verbs.get(verb)
    return str(label) if label is not None else gettext("其他操作")


# The names in events' data, and the choices their values are codes of.
DATA_LABELS = {
    "case": _("监测案件编号"),
    "inclusion": _("所撤销的纳入案件编号"),
    "monitoring_type": _("监测类型"),
    "risk_types": _("风险类型"),
    "plan_due_date": _("帮扶计划期限"),
    "exit_reason": _("退出原因"),
    "reason": _("原因"),
    "from": _("原状态"),
    "to": _("新状态"),
}
DATA_CHOICES = {
    "monitoring_type": rc.MonitoringType,
    "risk_types": rc.RiskType,
    "exit_reason": mc.ExitReason,
}

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
    choices = DATA_CHOICES.get(name)
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
    return [
        (str(DATA_LABELS[name]), data_value(name, value))
        for name, value in data.items()
        if name in DATA_LABELS and not isinstance(value, dict)
    ]
