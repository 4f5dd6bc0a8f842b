"""Reads of the core app: the events about a record."""

from django.db.models import QuerySet

from fupin.core.models import Event


def event_list_for(*, object_type: str, object_id: str) -> QuerySet[Event]:
    """Return the events about one record, newest first."""
    return Event.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )


def event_list_about(*, object_type: str, object_ids) -> QuerySet[Event]:
    """Return the events about several records of one type, newest first."""
    return Event.objects.filter(
        object_type=object_type, object_id__in=list(object_ids)
    ).select_related("actor")
