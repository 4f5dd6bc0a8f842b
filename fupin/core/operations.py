"""The operation under way: one id that ties together every event of one request or command.

A request (``OperationMiddleware``) or a management command (``FupinCommand``) runs in an
``operation_scope()``; ``event_record`` stores ``operation_id()`` on each event, so the events of
one change (an import's rows, a review's moves, a case's decision and the household it marks)
read as one operation (NetBox's ``request_id``, decision 0059).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[uuid.UUID | None] = ContextVar("fupin_operation", default=None)


def operation_id() -> uuid.UUID:
    """Return the id of the operation under way, starting one if none is."""
    current = _current.get()
    if current is None:
        current = uuid.uuid4()
        _current.set(current)
    return current


@contextmanager
def operation_scope(operation: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Run the block as one new operation (or as ``operation``), then restore the one before."""
    token = _current.set(operation or uuid.uuid4())
    try:
        yield _current.get()
    finally:
        _current.reset(token)
