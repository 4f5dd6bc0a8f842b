"""Fixtures shared by every test: a small region tree of Zaozhuang and users of each role.

Also the rule that CI runs what it claims to: a test marked `postgres` is skipped without
PostgreSQL, but on PostgreSQL it may not skip; a `browser` test may not skip under CI.
"""

import os

import pytest

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
ON_CI = bool(os.environ.get("CI"))


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if not ON_POSTGRES and item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and (
        (ON_POSTGRES and item.get_closest_marker("postgres"))
        or (ON_CI and item.get_closest_marker("browser"))
    ):
        # A skipped check that CI is meant to run would read as a pass.
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid}: skipped where it must run ({report.longrepr})"
    return report


@pytest.fixture(autouse=True)
def _default_language():
    """Leave every test in the default language, whatever the one before it activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db):
    """Return a region tree: Shandong > Zaozhuang > Tengzhou > towns A and B > a village each."""
    from fupin.regions.tests.factories import region_tree

    return region_tree()


@pytest.fixture
def browser():
    """Return a headless Chromium driven by Playwright (browser tests only)."""
    from fupin.web.testing import launch_browser

    yield from launch_browser()
