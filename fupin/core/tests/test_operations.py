"""The events of one request or one command share an operation id; two of them never do."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from fupin.core.commands import FupinCommand
from fupin.core.models import Event
from fupin.core.operations import operation_id, operation_scope
from fupin.core.services import event_record


def two_events(request):
    for _ in range(2):
        event_record(actor=None, verb="demo.loaded", object_id=request.GET["tag"])
    return HttpResponse(str(request.operation))


urlpatterns = [path("two-events/", two_events)]


def operations(tag: str) -> list:
    return list(Event.objects.filter(object_id=tag).values_list("operation", flat=True))


def test_a_scope_starts_an_operation_and_restores_the_one_before():
    outer = operation_id()
    assert operation_id() == outer  # created on demand, then kept
    with operation_scope() as inner:
        assert inner != outer and operation_id() == inner
    assert operation_id() == outer


def test_every_request_is_an_operation():
    assert "fupin.core.middleware.OperationMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_events_of_one_request_share_its_operation_and_two_requests_differ(client):
    first = client.get("/two-events/", {"tag": "first"})
    client.get("/two-events/", {"tag": "second"})
    a, b = operations("first"), operations("second")
    assert len(a) == 2 and len(set(a)) == 1 and str(a[0]) == first.content.decode()
    assert len(b) == 2 and len(set(b)) == 1
    assert a[0] != b[0]


class TwoEvents(FupinCommand):
    def add_arguments(self, parser):
        parser.add_argument("tag")

    def handle(self, *args, **options):
        for _ in range(2):
            event_record(actor=None, verb="demo.loaded", object_id=options["tag"])


@pytest.mark.django_db
def test_the_events_of_one_command_share_its_operation():
    outside = operation_id()
    call_command(TwoEvents(), "first")
    call_command(TwoEvents(), "second")
    a, b = operations("first"), operations("second")
    assert len(a) == 2 and len(set(a)) == 1
    assert len(set(b)) == 1 and a[0] != b[0]
    assert outside not in {a[0], b[0]} and operation_id() == outside


@pytest.mark.django_db
def test_events_written_in_bulk_take_the_operation_under_way():
    with operation_scope() as operation:
        Event.objects.bulk_create(Event(verb="demo.loaded", object_id="bulk") for _ in range(2))
    assert operations("bulk") == [operation, operation]
