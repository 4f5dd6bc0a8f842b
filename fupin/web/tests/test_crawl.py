"""A crawl of the pages every demo role reaches, in real Chromium against a live server.

Each demo user logs in through the login form; every GET link of the navigation and one link
deeper is opened (same origin; logout, downloads and the language switch aside). Every page must
answer without a 5xx; in Chinese no English word and no raw code (`snake_case`, `app.verb`) may be
visible, IDs and numbers aside; and no request may leave the server: Playwright routes every
request and blocks (and reports) any whose host is not the live server's.
"""

import io
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from fupin.core.demo import DEMO_PASSWORD
from fupin.policy.services import policy_seed_defaults
from fupin.web.testing import BROWSER_TEST

pytestmark = BROWSER_TEST

HOUSEHOLDS = 60
# One user of each role (town2 is a second town officer, the secretaries have the roles of these).
ROLES = ("city", "county", "town", "village", "cadre", "auditor", "dept")
# Deeper links with the same shape (digits aside) are the same page with other data: one suffices.
SAMPLES_PER_SHAPE = 1
SKIPPED_PATHS = ("/logout/", "/i18n/", "/admin/", "/api/")
DOWNLOAD = re.compile(r"\.(csv|xlsx|xls|pdf|zip|json|js|webmanifest|png|jpg)$|/export/?$|/files/")

# Latin words allowed in Chinese pages: names of things that have no Chinese name in use.
ALLOWED_WORDS = {
    "fupin",
    "api",
    "excel",
    "csv",
    "xlsx",
    "pdf",
    "qr",
    "id",
    # File formats and encodings named where files are uploaded.
    "utf",
    "bom",
    "parquet",
    "png",
    "jpeg",
    "mb",
    # The language switch names each language in itself (docs/decisions/0007).
    "english",
}
# Units shown after numbers.
UNITS = {"kg", "km", "m", "cm", "mu", "h", "min"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
# A code shown raw: snake_case or a dotted name such as household.monitoring_included.
RAW_CODE = re.compile(r"^[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+$")

# Text of the visible page, without scripts, hidden elements (closed menus) and two kinds of text
# allowed to be as they are: codes marked for support staff (`data-code`: a policy key under its
# label) and quoted text (`data-quoted`: a citation or a reason shown as its author wrote it).
VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('script, style, noscript, template, [data-code], [data-quoted]')) continue;
    const shown = el.closest('option') ? el.closest('select').checkVisibility()
                                       : el.checkVisibility({visibilityProperty: true});
    if (shown) parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.checkVisibility()) parts.push(el.placeholder);
  }
  return parts.join('\\n');
}"""


def text_problems(text: str) -> list[str]:
    """Return the English words and raw codes visible in a Chinese page's text."""
    problems = []
    for token in WORD.findall(text):
        token = token.strip(".-_")
        if not token or any(ch.isdigit() for ch in token):
            continue  # numbers, dates, IDs, household numbers, amounts
        if RAW_CODE.match(token):
            problems.append(f"raw code {token!r}")
        elif len(token) > 1 and token.lower() not in ALLOWED_WORDS | UNITS:
            problems.append(f"English {token!r}")
    return problems


def test_text_problems_finds_codes_and_english_but_not_ids():
    assert text_problems("监测类型：unstable；事件 household.monitoring_included") == [
        "English 'unstable'",
        "raw code 'household.monitoring_included'",
    ]
    assert text_problems("原因：invalid_input") == ["raw code 'invalid_input'"]
    assert text_problems("户编号 3704811002010001 · 370481********123X · 2016-01-01") == []
    assert text_problems("导出 Excel · fupin · 10 kg") == []


def shape(url: str) -> str:
    """Return the shape of a URL: its path with numbers masked, and its query's names."""
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "#", parts.path) + ("?" + "&".join(names) if names else "")


@pytest.fixture
def demo(transactional_db):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    call_command("demo", "--households", str(HOUSEHOLDS), "--seed", "5", stdout=io.StringIO())


def _links(page, origin: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector,
        "els => els.filter(a => !a.hasAttribute('download')).map(a => a.getAttribute('href'))",
    )
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(page.url, href).split("#")[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(SKIPPED_PATHS) or DOWNLOAD.search(parts.path):
            continue
        found.append(url)
    return list(dict.fromkeys(found))


def _crawl_role(browser, origin: str, username: str, problems: list[str], left: list[str]):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 900}, service_workers="block"
    )

    def route(route):
        if f"{urlsplit(route.request.url).scheme}://{urlsplit(route.request.url).netloc}" == origin:
            route.continue_()
        else:
            left.append(f"{username}: {route.request.url} (from {route.request.frame.url})")
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.goto(f"{origin}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path != "/login/", f"{username} could not log in"

    def visit(url: str) -> bool:
        try:
            response = page.goto(url)
        except Exception as error:  # a download that the URL did not announce
            if "Download is starting" in str(error):
                return False
            raise
        status = response.status if response else 0
        if status >= 500:
            problems.append(f"{username} {url}: HTTP {status}")
            return False
        if "text/html" not in (response.headers.get("content-type") or ""):
            return False
        for problem in sorted(set(text_problems(page.evaluate(VISIBLE_TEXT)))):
            problems.append(f"{username} {urlsplit(url).path}?{urlsplit(url).query}: {problem}")
        return status < 400

    first = _links(page, origin, "nav a[href]")
    seen = set(first)
    shapes = Counter(shape(url) for url in first)
    deeper = []
    for url in first:
        if not visit(url):
            continue
        for link in _links(page, origin, "main a[href]"):
            if link in seen or shapes[shape(link)] >= SAMPLES_PER_SHAPE:
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            deeper.append(link)
    for url in deeper:
        visit(url)
    context.close()
    return len(seen)


def test_every_page_of_every_role(live_server, browser, demo):
    problems: list[str] = []
    left: list[str] = []
    pages = {
        username: _crawl_role(browser, live_server.url, username, problems, left)
        for username in ROLES
    }
    assert all(count >= 2 for count in pages.values()), pages
    assert left == [], "requests that left the server:\n" + "\n".join(left)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
