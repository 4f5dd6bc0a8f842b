"""The household timeline of the household file: field history of the household, its members
and incomes, and the business events about them, as people read them."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from fupin.core.selectors import event_list_about, event_list_for
from fupin.registry import choices as c
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.web.labels import data_lines, reason_label, verb_label

TIMELINE_LIMIT = 200
# Bookkeeping columns that change on every save and say nothing to an official.
UNSHOWN_FIELDS = {"id", "created_at", "updated_at", "household", "birth_date", "sex"}


@dataclass
class Change:
    """One field's change: its label and the old and new values as shown to people."""

    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    """One line of the household's history: a field change of a record or a business event."""

    when: dt.datetime
    who: str
    subject: str
    action: str
    kind: str  # "history" or "event"
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    code: str = ""  # the event's verb, for support staff (a tooltip)
    order: tuple = ()  # breaks ties of records written in the same instant: household, members, incomes


def _shown(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if name == "risk_types" and isinstance(value, list):
        labels = dict(c.RiskType.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _who(user) -> str:
    return str(user) if user is not None else str(_("系统"))


def _history_entries(records, model, subject_of, rank: int) -> list[TimelineEntry]:
    entries = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        subject = subject_of(record)
        common = {
            "when": record.history_date,
            "who": _who(record.history_user),
            "subject": subject,
            "kind": "history",
            "reason": reason_label(record.history_change_reason or ""),
            "order": (rank, record.id),
        }
        if record.history_type == "+":
            entries.append(TimelineEntry(action=str(_("新建")), **common))
        elif record.history_type == "-":
            entries.append(TimelineEntry(action=str(_("删除")), **common))
        elif before is None:
            entries.append(TimelineEntry(action=str(_("修改")), **common))
        else:
            delta = record.diff_against(before, excluded_fields=UNSHOWN_FIELDS)
            changes = [
                Change(
                    _label(model, ch.field),
                    _shown(model, ch.field, ch.old),
                    _shown(model, ch.field, ch.new),
                )
                for ch in sorted(delta.changes, key=lambda ch: ch.field)
            ]
            if changes:
                entries.append(TimelineEntry(action=str(_("修改")), changes=changes, **common))
    return entries


def _event_entries(events, subject: str) -> list[TimelineEntry]:
    entries = []
    for event in events:
        details = [Change(label, "", value) for label, value in data_lines(event.data)]
        entries.append(
            TimelineEntry(
                when=event.created_at,
                who=_who(event.actor),
                subject=subject,
                action=verb_label(event.verb),
                kind="event",
                changes=details,
                reason=reason_label(event.reason),
                code=event.verb,
            )
        )
    return entries


def household_timeline(*, household: Household, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """Return the household's field history, its members' and incomes', and its business events, newest first."""
    order = ("history_date", "history_id")
    entries = _history_entries(
        household.history.select_related("history_user").order_by(*order),
        Household,
        lambda r: str(_("农户档案")),
        rank=0,
    )
    entries += _history_entries(
        Person.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by(*order),
        Person,
        lambda r: str(_("成员 %(name)s")) % {"name": r.name},
        rank=1,
    )
    entries += _history_entries(
        HouseholdIncome.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by(*order),
        HouseholdIncome,
        lambda r: str(_("%(year)s 年收入")) % {"year": r.year},
        rank=2,
    )
    entries += _event_entries(
        event_list_for(object_type="registry.household", object_id=household.household_no),
        str(_("农户档案")),
    )
    names = {str(pk): name for pk, name in household.members.values_list("pk", "name")}
    member_events = event_list_about(object_type="registry.person", object_ids=names)
    for event in member_events:
        entries += _event_entries(
            [event], str(_("成员 %(name)s")) % {"name": names[event.object_id]}
        )
    entries.sort(key=lambda e: (e.when, e.order), reverse=True)
    return _merge_creations(entries)[:limit]


def _merge_creations(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Fold records created together (same minute, person and reason) into one line, as an import does."""
    merged: list[TimelineEntry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if (
            last is not None
            and entry.kind == last.kind == "history"
            and entry.action == last.action == str(_("新建"))
            and (entry.who, entry.reason) == (last.who, last.reason)
            and entry.when.replace(second=0, microsecond=0)
            == last.when.replace(second=0, microsecond=0)
        ):
            last.subject = f"{entry.subject}、{last.subject}"
        else:
            merged.append(entry)
    return merged
