"""Helpers the tests of every app share (imported by tests only)."""

import threading

import pytest

from fupin.core.errors import FupinError


def code_of(call, /, *args, **kwargs) -> str:
    """Call ``call(*args, **kwargs)``, which must refuse, and return the refusal's code."""
    with pytest.raises(FupinError) as refused:
        call(*args, **kwargs)
    return refused.value.code


def race(attempt) -> list[str]:
    """Run ``attempt`` in two threads at once; return the sorted outcomes ("won" or a refusal's code)."""
    barrier, outcomes = threading.Barrier(2), []

    def run():
        from django.db import connection

        try:
            barrier.wait()
            attempt()
            outcomes.append("won")
        except FupinError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
