"""Reads of the core app: the events about a record."""

from django.db.models import QuerySet

from fupin.core.models import Event


def event_list_for(*, object_type: str, object_id: str) -> QuerySet[Event]:
    """Return the events about one record, newest first."""
    return Event.objects.filter(object_type=object_type, object_id=object_id).select_related("actor")
