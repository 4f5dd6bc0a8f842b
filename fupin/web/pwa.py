"""The service worker of fupin's offline phone apps (web/sw.js): the self-declaration app of
monitoring and the cadre's visit page of pairing each serve it with their own files and cache."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static

WORKER_TEMPLATE = "web/sw.js"


def files_version(static_paths: tuple[str, ...], templates: tuple[str, ...]) -> str:
    """Return a digest of an app's static files, its templates and the worker, so that a new
    release replaces the copy on the phone (worked out once per process, each time under DEBUG)."""
    if settings.DEBUG:
        return _files_digest(tuple(static_paths), tuple(templates))
    return _files_digest_cached(tuple(static_paths), tuple(templates))


def _files_digest(static_paths: tuple[str, ...], templates: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in static_paths:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    for name in (*templates, WORKER_TEMPLATE):
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()[:12]


_files_digest_cached = lru_cache(maxsize=8)(_files_digest)


def service_worker_response(
    *,
    cache_prefix: str,
    pages: list[str],
    static_paths: tuple[str, ...],
    templates: tuple[str, ...],
    list_api: str,
    allowed_scope: str | None = None,
) -> HttpResponse:
    """Return the worker that keeps these pages, static files and API list on the phone.

    Its cache is named `cache_prefix` and the files' version; older caches of the prefix are
    dropped. `allowed_scope` lets a worker served from a deeper path control that scope.
    """
    body = render_to_string(
        WORKER_TEMPLATE,
        {
            "cache_prefix": cache_prefix,
            "version": files_version(static_paths, templates),
            "pages_json": json.dumps(pages),
            "assets_json": json.dumps([static(path) for path in static_paths]),
            "list_api": list_api,
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    if allowed_scope:
        response["Service-Worker-Allowed"] = allowed_scope
    response["Cache-Control"] = "no-cache"
    return response
