"""Fixtures shared by every test: a small region tree of Zaozhuang and users of each role."""

import pytest


@pytest.fixture
def regions(db):
    """Return a region tree: Shandong > Zaozhuang > Tengzhou > towns A and B > a village each."""
    from fupin.registry.tests.factories import region_tree

    return region_tree()


@pytest.fixture
def browser():
    """Return a headless Chromium driven by Playwright (browser tests only)."""
    from fupin.web.tests.browser import launch_browser

    yield from launch_browser()
