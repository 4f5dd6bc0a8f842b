"""What each app contributes to the spine, declared on its AppConfig and collected here.

An app of fupin subclasses ``FupinAppConfig`` and names, as dotted paths ("module:attribute"),
what it adds: its page URLs, its API routers, its navigation entries, its roles' permissions, its
demo step, its importers, its sections of the household file and of the home page, its event
verbs and the names in their data, the names its policy values are written with, and what it
fills in of the extension points of apps below it. The spine (config URLs, the API root, the
menu, the permission backend, ``fupin demo`` and ``fupin import``, the household file, the home
page, the timeline, the policy page) reads them here, so that it imports no app and a new
capability touches only its own folder and one line of ``INSTALLED_APPS`` (docs/new-app.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps


def resolve(path: str) -> Any:
    """Return the object a dotted path "package.module:attribute" names."""
    module, _, attribute = path.partition(":")
    value: Any = import_module(module)
    for part in attribute.split(".") if attribute else ():
        value = getattr(value, part)
    return value


@dataclass(frozen=True)
class Router:
    """An API router mounted under /api/v1 at ``prefix``; ``area`` says what its tag covers in
    the OpenAPI (Chinese, then English)."""

    prefix: str
    router: str
    area: str = ""


@dataclass(frozen=True)
class NavEntry:
    """A link of the main menu: under ``menu`` (a key of ``MENUS`` or a new menu with its label)."""

    menu: str
    order: int
    url_name: str
    label: Any
    permission: str | None = None
    menu_label: Any = None


@dataclass(frozen=True)
class DemoStep:
    """A step of ``fupin demo``: ``run(context)`` in ascending ``order`` (registry first)."""

    order: int
    run: str


@dataclass(frozen=True)
class Importer:
    """A kind of file ``fupin import KIND FILE`` accepts: ``run(path=, actor=)`` → ImportResult."""

    kind: str
    run: str
    help: str = ""


@dataclass(frozen=True)
class Panel:
    """A section of the household file (``context(request, household) -> dict``) or of the home
    page (``context(request) -> dict``) drawn by ``template``, in ascending ``order``; a context
    without ``visible`` true is not drawn."""

    order: int
    template: str
    context: str


@dataclass(frozen=True)
class Extension:
    """An app's implementation (``implementation``, a dotted path) of an extension point that an
    app below it names (``point``, "app.what") and reads with ``extensions(point)``, so that the
    lower app learns what the upper one adds without importing it."""

    point: str
    implementation: str


@dataclass(frozen=True)
class DataName:
    """A name in the data of the app's events as the timeline shows it: its label, and the
    choices its values are codes of (None: shown as recorded)."""

    label: Any
    choices: Any = None


class FupinAppConfig(AppConfig):
    """An app of fupin and what it contributes to the spine (every attribute is optional)."""

    #: Page URLs: a urls module included at the site root.
    urls: str | None = None
    #: API routers under /api/v1.
    routers: tuple[Router, ...] = ()
    #: Links of the main menu.
    navigation: tuple[NavEntry, ...] = ()
    #: Permissions granted to each role: a dotted path to {role: set of "app.codename"}.
    role_grants: str | None = None
    #: Steps of the demo.
    demo_steps: tuple[DemoStep, ...] = ()
    #: Files ``fupin import`` accepts.
    importers: tuple[Importer, ...] = ()
    #: Sections of the household file.
    household_panels: tuple[Panel, ...] = ()
    #: Sections of the home page.
    home_panels: tuple[Panel, ...] = ()
    #: The app's event verbs: a dotted path to a TextChoices of verb → label.
    event_verbs: str | None = None
    #: The names in the data of the app's events: a dotted path to {name: DataName}.
    event_data: str | None = None
    #: The names the policy values of other apps are written with (a weights table's, a list of
    #: categories'): a dotted path to a TextChoices of name → label, for the policy page.
    policy_names: str | None = None
    #: Implementations of extension points of apps below.
    extensions: tuple[Extension, ...] = ()


def fupin_apps() -> Iterator[FupinAppConfig]:
    """Yield the installed apps of fupin in the order of ``INSTALLED_APPS``."""
    for config in apps.get_app_configs():
        if isinstance(config, FupinAppConfig):
            yield config


def collected(attribute: str) -> list:
    """Return every app's entries of one kind, in the order of ``INSTALLED_APPS``."""
    return [entry for config in fupin_apps() for entry in getattr(config, attribute)]


@dataclass
class Contributions:
    """The resolved contributions of all apps (computed once per process)."""

    role_grants: dict[str, frozenset[str]] = field(default_factory=dict)
    verbs: dict[str, Any] = field(default_factory=dict)
    event_data: dict[str, DataName] = field(default_factory=dict)
    policy_names: dict[str, Any] = field(default_factory=dict)
    demo_steps: list[tuple[int, str, Callable]] = field(default_factory=list)
    extensions: dict[str, list[Any]] = field(default_factory=dict)


@cache
def contributions() -> Contributions:
    """Resolve the role grants, the verbs, the names of events' data, the policy names, the demo
    steps and the extensions of every app."""
    found = Contributions()
    for config in fupin_apps():
        if config.role_grants:
            for role, granted in resolve(config.role_grants).items():
                found.role_grants[role] = found.role_grants.get(role, frozenset()) | frozenset(
                    granted
                )
        if config.event_verbs:
            for verb in resolve(config.event_verbs):
                found.verbs[verb.value] = verb.label
        if config.event_data:
            found.event_data.update(resolve(config.event_data))
        if config.policy_names:
            for name in resolve(config.policy_names):
                found.policy_names[name.value] = name.label
        for step in config.demo_steps:
            found.demo_steps.append((step.order, config.label, resolve(step.run)))
        for extension in config.extensions:
            found.extensions.setdefault(extension.point, []).append(
                resolve(extension.implementation)
            )
    found.demo_steps.sort(key=lambda item: (item[0], item[1]))
    return found


def extensions(point: str) -> list:
    """Return the implementations of an extension point, in the order of ``INSTALLED_APPS``."""
    return contributions().extensions.get(point, [])
