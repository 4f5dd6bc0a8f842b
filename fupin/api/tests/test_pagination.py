from fupin.api.pagination import page_of
from fupin.regions.models import Region


def test_pages_are_numbered_from_one_and_clamped(regions):
    rows = Region.objects.order_by("code")  # 10 regions in the fixture
    first = page_of(rows, 1, size=4)
    assert (first.count, first.page, first.pages) == (10, 1, 3)
    assert [r.code for r in first.rows] == [r.code for r in rows[:4]]
    last = page_of(rows, 99, size=4)
    assert (last.page, len(last.rows)) == (3, 2)
    assert page_of(rows, -5, size=4).page == 1
    empty = page_of(Region.objects.none(), 1)
    assert (empty.count, empty.page, empty.pages, empty.rows) == (0, 1, 1, [])
