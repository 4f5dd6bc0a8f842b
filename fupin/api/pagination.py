"""Page numbers of the API's lists: {"count", "page", "pages", "results"}."""

from dataclasses import dataclass

from django.db.models import QuerySet

PAGE_SIZE = 50


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
