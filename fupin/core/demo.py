"""`fupin demo`: a living Zaozhuang on today's date, built by the steps every app contributes.

Each app names its steps on its AppConfig (``demo_steps``, fupin.core.spine); ``demo_load`` runs
them in ascending order on one ``DemoContext`` in one transaction: the registry's regions and
households first, then each mechanism on what the earlier steps wrote.
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import Refused
from fupin.core.services import event_record
from fupin.core.spine import contributions

DEMO_PASSWORD = "Fupin-demo-2018"
DEMO_USERNAMES = ("city", "county", "town", "town2", "village", "cadre", "auditor", "dept")
# Leaders with a post, for their rounds (遍访); each other county's secretary is sec_<county code>.
DEMO_LEADERS = ("sec_city", "sec_county", "sec_town", "sec_village")
CITY = ("370400000000", "枣庄市")
MAX_HOUSEHOLDS = 2_000_000
HISTORY_REASON = "demo"


@dataclass(frozen=True)
class DemoUser:
    """A demo account: username, role and the region it acts in."""

    username: str
    role: str
    region_code: str
    region_name: str
    position: str = ""


@dataclass
class DemoSummary:
    """What a demo load wrote, with the demo users and their password."""

    seed: int
    households: int = 0
    persons: int = 0
    incomes: int = 0
    regions_created: int = 0
    villages: int = 0
    users: list[DemoUser] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    digest: str = ""
    seconds: float = 0.0
    monitoring: object = None  # fupin.monitoring.demo.MonitoringDemoSummary


@dataclass
class DemoContext:
    """What the demo's steps share: the seed, the actor, today, the summary they fill in, and
    the places earlier steps chose for later ones (``places["village"]``: the demo village)."""

    seed: int
    households: int
    actor: Any
    today: dt.date
    summary: DemoSummary
    password: str = DEMO_PASSWORD
    places: dict[str, str] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def demo_load(*, households: int = 3000, seed: int = 2018, actor=None) -> DemoSummary:
    """Load a deterministic demo of Zaozhuang into an empty registry and create the demo users."""
    started = time.monotonic()
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise Refused(
            "invalid_demo_size",
            _("演示农户数应在 1 到 %(max)s 之间") % {"max": MAX_HOUSEHOLDS},
            {"households": households},
        )
    summary = DemoSummary(seed=seed)
    context = DemoContext(
        seed=seed, households=households, actor=actor, today=timezone.localdate(), summary=summary
    )
    for _order, _app, step in contributions().demo_steps:
        step(context)
    summary.seconds = round(time.monotonic() - started, 1)
    event_record(
        actor=actor,
        verb="demo.loaded",
        object_type="registry.household",
        region_code=CITY[0],
        reason=HISTORY_REASON,
        data={
            "seed": seed,
            "households": summary.households,
            "persons": summary.persons,
            "incomes": summary.incomes,
            "regions_created": summary.regions_created,
            "digest": summary.digest,
            "users": list(DEMO_USERNAMES),
        },
    )
    return summary
