"""Index-backed text search: a prefix match that both databases answer from a B-tree index."""

import sys

from django.db import connection
from django.db.models import Q


def prefix_q(field: str, text: str) -> Q:
    """Return a filter of the rows whose `field` starts with `text` (case-sensitive).

    PostgreSQL answers `LIKE 'text%'` from the `varchar_pattern_ops` index Django adds beside
    every indexed CharField. SQLite uses an index for LIKE only with case_sensitive_like or a
    NOCASE index, so there the same rows are asked for as a range of the BINARY (code point)
    order: text <= value < text with its last character raised by one.
    """
    if not text:
        return Q()
    if connection.vendor != "sqlite":
        return Q(**{f"{field}__startswith": text})
    last = ord(text[-1])
    if last >= sys.maxunicode:
        return Q(**{f"{field}__gte": text})
    return Q(**{f"{field}__gte": text, f"{field}__lt": text[:-1] + chr(last + 1)})
