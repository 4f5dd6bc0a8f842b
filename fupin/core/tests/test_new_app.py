"""A new capability touches only its own folder and one line of INSTALLED_APPS (docs/new-app.md).

A throw-away app is written to a temporary folder and installed by a settings module that adds
it to INSTALLED_APPS and nothing else; a fresh Python process then finds its page, its API
router, its menu link, its role's permission, its importer and its demo step, with no file of
fupin edited.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings

APP = {
    "__init__.py": "",
    "apps.py": """
        from fupin.core import spine


        class ProbeConfig(spine.FupinAppConfig):
            name = "probe_app"
            label = "probe"
            verbose_name = "探针"
            urls = "probe_app.urls"
            routers = (spine.Router("/probe", "probe_app.api:router", "探针。Probe."),)
            navigation = (spine.NavEntry("data", 90, "probe:page", "探针页", "probe.view_thing"),)
            role_grants = "probe_app.roles:GRANTS"
            demo_steps = (spine.DemoStep(999, "probe_app.demo:step"),)
            importers = (spine.Importer("probes", "probe_app.importing:run", "probe rows"),)
    """,
    "urls.py": """
        from django.http import HttpResponse
        from django.urls import path

        app_name = "probe"
        urlpatterns = [path("probe/", lambda request: HttpResponse("探针"), name="page")]
    """,
    "api.py": """
        from ninja import Router

        router = Router(tags=["probe"])


        @router.get("/things", summary="探针", auth=None)
        def things(request):
            return {"things": []}
    """,
    "roles.py": """
        GRANTS = {"county_officer": {"probe.view_thing"}}
    """,
    "demo.py": """
        def step(context):
            pass
    """,
    "importing.py": """
        def run(*, path, actor):
            raise NotImplementedError
    """,
}

SETTINGS = """
    from config.test_settings import *  # noqa: F403

    INSTALLED_APPS = [*INSTALLED_APPS, "probe_app.apps.ProbeConfig"]  # noqa: F405
    ALLOWED_HOSTS = ["testserver"]
"""

PROBE = """
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from fupin.accounts.roles import role_permissions
    from fupin.api.api import api
    from fupin.core.spine import collected, contributions
    from fupin.web.context_processors import navigation_menus

    assert reverse("probe:page") == "/probe/"
    assert Client().get("/probe/").content.decode() == "探针"
    schema = api.get_openapi_schema()
    assert "/api/v1/probe/things" in schema["paths"]
    assert {"name": "probe", "description": "探针。Probe."} in schema["tags"]
    assert ("probe:page", "探针页", "probe.view_thing") in dict(navigation_menus())["数据与参数"]
    assert "probe.view_thing" in role_permissions("county_officer")
    assert "probes" in [importer.kind for importer in collected("importers")]
    assert contributions().demo_steps[-1][1] == "probe"
    call_command("check")
    print("probe ok")
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def test_a_new_app_needs_only_its_folder_and_one_line_of_installed_apps(tmp_path):
    app = tmp_path / "probe_app"
    app.mkdir()
    _write(app, APP)
    _write(tmp_path, {"probe_settings.py": SETTINGS, "probe.py": PROBE})
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        "DJANGO_SETTINGS_MODULE": "probe_settings",
    }
    done = subprocess.run(
        [sys.executable, str(tmp_path / "probe.py")],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("probe ok")
