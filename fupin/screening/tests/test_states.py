"""A screening run moves only along its TRANSITIONS: queued → running → done, or failed."""

import pytest

from fupin.core.errors import InvalidTransition
from fupin.screening import services
from fupin.screening.models import ScreeningRun

pytestmark = pytest.mark.django_db


def a_run(regions, status):
    return ScreeningRun.objects.create(region=regions.county, year=2024, status=status)


@pytest.mark.parametrize("status", ["running", "done", "failed"])
def test_only_a_queued_run_starts(regions, tmp_path, status):
    run = a_run(regions, status)
    with pytest.raises(InvalidTransition) as exc:
        services.run_screen(run=run, feeds_dir=tmp_path, out_dir=tmp_path)
    assert exc.value.status == 409
    assert exc.value.details["from"] == status and exc.value.details["to"] == "running"
    assert ScreeningRun.objects.get(pk=run.pk).status == status


def test_a_run_that_has_ended_stays_as_it_ended(regions):
    done = a_run(regions, "done")
    running = a_run(regions, "running")
    for run in (done, running):
        services.run_fail(run=run, exc=RuntimeError("late"))
    assert ScreeningRun.objects.get(pk=done.pk).status == "done"
    failed = ScreeningRun.objects.get(pk=running.pk)
    assert (failed.status, failed.error) == ("failed", "RuntimeError: late")
