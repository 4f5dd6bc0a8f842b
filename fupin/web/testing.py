"""The real-browser set-up shared by every browser test: Debian's Chromium driven by Playwright.

Imported by tests only (the `browser` fixture and browser test modules).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("FUPIN_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling out, which this offline machine refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("FUPIN_HOME", "var")) / "screenshots"
PHONE = {"width": 390, "height": 844}

# `pytestmark = BROWSER_TEST` marks a module's tests as browser tests, skipped without Chromium.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt install chromium)"
    ),
]


def launch_browser():
    """Yield a launched headless Chromium, closed afterwards (the body of the `browser` fixture)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def nav_go(page, menu: str, link: str) -> None:
    """Open a menu of the navigation bar and follow one of its links."""
    page.click(f'nav .dropdown-toggle:text-is("{menu}")')
    page.click(f'nav .dropdown-menu a:text-is("{link}")')
