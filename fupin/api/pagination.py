"""The API's lists: numbered pages for people, a cursor over changes for systems that sync.

Every list answers a ``Paged[Row]``, named for the OpenAPI by a subclass (``class HouseholdPage(
Paged[HouseholdSummaryOut])``): ``{"count", "page", "pages", "results", "next_cursor"}``. Read
by page number (``page=``), ``next_cursor`` is null. A system that keeps a copy asks instead for
the rows changed since a moment (``updated_since=``), oldest change first, and then for the rows
after the cursor each answer gives (``cursor=``): a keyset on (updated_at, id), so that a row
changed while the pages are read moves to the end and is read again rather than skipped. The last
answer's cursor is where the next sync starts. Rows changed in the last few seconds
(``FUPIN_SYNC_SETTLE_SECONDS``) are left for the next call, so that a transaction that committed
late with an earlier clock is not passed over (decision 0089).
"""

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from fupin.core.errors import InvalidInput

PAGE_SIZE = 50
Row = TypeVar("Row")


class Paged(Schema, Generic[Row]):
    """One page of a list: how many rows in all, this page's number, the number of pages, its
    rows, and for a list read by changes the cursor to read on from."""

    count: int
    page: int
    pages: int
    results: list[Row]
    next_cursor: str | None = None


class ChangesQuery(Schema):
    """The query of a list that systems can sync: the rows changed since a moment, or after a
    cursor (either, not both)."""

    updated_since: dt.datetime | None = Field(
        None, description="只取此时刻以后变更的记录（ISO 8601）。Rows changed since this moment."
    )
    cursor: str | None = Field(
        None,
        description="上次返回的 next_cursor：取其后变更的记录。The next_cursor of the last answer.",
    )


@dataclass
class Page:
    """One page of a list: the total count, this page's number, the number of pages and its rows."""

    count: int
    page: int
    pages: int
    rows: list


def page_of(rows: QuerySet, page: int, size: int = PAGE_SIZE) -> Page:
    """Return the asked page of the rows; a page out of range gives the nearest one."""
    count = rows.count()
    pages = max(1, -(-count // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return Page(count, page, pages, list(rows[start : start + size]))


def cursor_make(updated_at: dt.datetime, pk: int) -> str:
    """Return the opaque cursor of a row's place in the order of changes."""
    text = f"{updated_at.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_read(cursor: str) -> tuple[dt.datetime, int]:
    """Return the (updated_at, id) a cursor stands for; a cursor fupin did not give is refused."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = text.split("|")
        updated_at = dt.datetime.fromisoformat(moment)
        if timezone.is_naive(updated_at):
            raise ValueError(moment)
        return updated_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(
            {"cursor": _("游标无效：请使用上次返回的 next_cursor")}, {"cursor": "invalid_cursor"}
        ) from None


def paged(
    rows: QuerySet,
    *,
    page: int = 1,
    changes: ChangesQuery | None = None,
    shape: Callable = lambda row: row,
    size: int | None = None,
) -> dict:
    """Return one answer of a list (``Paged``): the asked page, or the rows changed after the
    moment or cursor of ``changes``, each row drawn by ``shape``."""
    size = size or PAGE_SIZE
    since = changes.updated_since if changes else None
    cursor = changes.cursor if changes else None
    if since is None and cursor is None:
        found = page_of(rows, page, size)
        return {
            "count": found.count,
            "page": found.page,
            "pages": found.pages,
            "results": [shape(row) for row in found.rows],
            "next_cursor": None,
        }
    if since is not None and cursor is not None:
        raise InvalidInput(
            {"cursor": _("updated_since 与 cursor 只能给出其一")}, {"cursor": "invalid_cursor"}
        )
    if cursor is not None:
        after, pk = cursor_read(cursor)
        changed = rows.filter(Q(updated_at__gt=after) | Q(updated_at=after, pk__gt=pk))
    else:
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        changed = rows.filter(updated_at__gte=since)
    settled = timezone.now() - dt.timedelta(seconds=settings.FUPIN_SYNC_SETTLE_SECONDS)
    changed = changed.filter(updated_at__lte=settled).order_by("updated_at", "pk")
    count = changed.count()
    batch = list(changed[:size])
    if batch:
        last = batch[-1]
        next_cursor = cursor_make(last.updated_at, last.pk)
    elif cursor is not None:
        next_cursor = cursor
    else:
        # Nothing changed yet: the next call starts just before the moment asked for.
        next_cursor = cursor_make(since, 0)
    return {
        "count": count,
        "page": 1,
        "pages": max(1, -(-count // size)),
        "results": [shape(row) for row in batch],
        "next_cursor": next_cursor,
    }
