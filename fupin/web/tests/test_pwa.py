"""The shared service worker: each app's cache name, lists and a version of its files."""

from fupin.web.pwa import files_version, service_worker_response


def test_the_worker_carries_the_apps_cache_pages_files_and_list(settings):
    settings.DEBUG = True  # worked out afresh
    response = service_worker_response(
        cache_prefix="fupin-test-",
        pages=["/t/"],
        static_paths=("web/offline.js",),
        templates=("web/base.html",),
        list_api="/api/v1/t",
        allowed_scope="/",
    )

    body = response.content.decode()
    version = files_version(("web/offline.js",), ("web/base.html",))
    assert response["Content-Type"].startswith("text/javascript")
    assert (response["Cache-Control"], response["Service-Worker-Allowed"]) == ("no-cache", "/")
    assert 'var PREFIX = "fupin-test-";' in body and f'"{version}"' in body
    assert '["/t/"]' in body and '"/static/web/offline.js"' in body and '"/api/v1/t"' in body


def test_the_version_changes_with_the_apps_files():
    one = files_version(("web/offline.js",), ())
    assert len(one) == 12
    assert files_version(("web/offline.js", "web/fupin.css"), ()) != one
    assert files_version(("web/offline.js",), ("web/base.html",)) != one
