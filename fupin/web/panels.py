"""The sections apps draw on the pages of the web shell and of other apps: the household file's
and the home page's.

Each app declares its sections on its AppConfig (``fupin.core.spine.Panel``); a page asks for the
ones the user may see here and draws each with the ``panel`` tag of ``fupin_web``, so that it
imports none of the apps whose sections it shows.
"""

from dataclasses import dataclass
from typing import Any

from fupin.core.spine import collected, resolve


@dataclass(frozen=True)
class Drawn:
    """A section to draw: its template and the context its app gave it."""

    template: str
    context: dict[str, Any]


def _drawn(attribute: str, *args) -> list[Drawn]:
    """Return the sections of one kind whose context is visible, by order (then INSTALLED_APPS)."""
    drawn = []
    for panel in sorted(collected(attribute), key=lambda panel: panel.order):
        context = resolve(panel.context)(*args)
        if context.get("visible"):
            drawn.append(Drawn(panel.template, context))
    return drawn


def panels_for(request, household) -> list[Drawn]:
    """Return the sections of a household file the user may see, in their order."""
    return _drawn("household_panels", request, household)


def home_panels_for(request) -> list[Drawn]:
    """Return the sections of the home page the user may see, in their order."""
    return _drawn("home_panels", request)
