"""The API's documentation page works offline: every asset it references is served by fupin."""

import re
import urllib.parse

from fupin.api.tests.http import request

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_the_docs_page_references_no_external_host_and_its_assets_are_served(live_server, db):
    page = request(live_server.url, "GET", "/api/v1/docs")
    assert page.status == 200, page.text
    assets = ASSET.findall(page.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        parts = urllib.parse.urlsplit(asset)
        assert not parts.netloc and not parts.scheme, f"the docs page loads {asset} from outside"
        served = request(live_server.url, "GET", urllib.parse.urljoin("/api/v1/docs", asset))
        assert served.status == 200, asset
        assert served.body, asset
    assert "cdn" not in page.text.lower()
