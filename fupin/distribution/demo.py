"""Demo data of the distribution: a 2020 plan in two villages, resolved, noticed, in effect, paid.

Each plan goes through the same services as an officer's: the council adopts it at a meeting,
it is posted for the policy's notice days, the town puts it in effect (the village fund receives
its share) and records one bank transfer for every household. The amount is what the village's
collective assets earned in 2020 (the second village is the one that earned most), or an
illustrative thousand yuan or so per household needing help where there was no such income.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from fupin.assets.choices import OwnerKind
from fupin.assets.models import IncomeEntry
from fupin.core.errors import FupinError
from fupin.councils.models import Council
from fupin.councils.services import ResolutionDraft, meeting_record
from fupin.distribution.services import (
    plan_draft,
    plan_notice,
    plan_pay,
    plan_resolve,
    plan_take_effect,
)
from fupin.registry.models import Household

YEAR = 2020
MET = dt.date(2021, 3, 5)
NOTICED = dt.date(2021, 3, 8)
PLANS = 2


def distribution_demo_load(*, seed: int, actor=None, prefer: tuple[str, ...] = ()) -> list[int]:
    """Write the demo plans (preferred villages first, then by code); return their ids."""
    from fupin.pairing.services import needing_q

    rng = random.Random(seed * 13 + 5)
    councils = dict(Council.objects.values_list("village_id", "pk"))
    # The villages with the most households needing help come next: their plans show the rule.
    needing = dict(
        Household.objects.filter(needing_q())
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    )
    # What the village's collective assets earned in the year is what it distributes, so that a
    # project can be followed from its proposal to the households' payments.
    earned = dict(
        IncomeEntry.objects.filter(
            asset__owner_kind=OwnerKind.VILLAGE,
            received_on__year=YEAR,
            asset__village_id__in=list(councils),
        )
        .values("asset__village_id")
        .annotate(total=Sum("amount"))
        .values_list("asset__village_id", "total")
        .order_by()
    )
    rest = sorted(
        set(councils) - set(prefer),
        key=lambda v: (-earned.get(v, 0), -needing.get(v, 0), v),
    )
    order = [v for v in prefer if v in councils] + rest
    plans = []
    for village in order:
        if len(plans) == PLANS:
            break
        # Without income of its own, about a thousand yuan per household needing help.
        amount = earned.get(village) or Decimal(
            needing.get(village, 1) * rng.randrange(8, 15) * 100
        )
        try:
            with transaction.atomic():
                plans.append(_plan(village, councils[village], amount, actor))
        except FupinError:
            continue  # a village with a household lacking its 2020 income record is skipped
    return plans


def _plan(village: str, council_id: int, amount: Decimal, actor) -> int:
    plan, _result = plan_draft(village_code=village, year=YEAR, amount=amount, actor=actor)
    council = Council.objects.get(pk=council_id)
    members = council.members.current(MET).count()
    meeting = meeting_record(
        council=council,
        held_on=MET,
        attendees=members,
        place="村委会议室",
        minutes=f"审议 {YEAR} 年度扶贫项目收益分配方案（{amount} 元），全体理事同意。",
        resolutions=[
            ResolutionDraft(
                kind="distribution_plan",
                title=f"{YEAR} 年度收益分配方案",
                votes_for=members,
            )
        ],
        actor=actor,
    )
    plan = plan_resolve(plan=plan, resolution_id=meeting.resolutions.get().pk, actor=actor)
    plan = plan_notice(plan=plan, started_on=NOTICED, actor=actor)
    effective = plan.notice_ends_on + dt.timedelta(days=1)
    plan = plan_take_effect(
        plan=plan, on=effective, voucher_no=f"记{village[-3:]}-{YEAR + 1}-01", actor=actor
    )
    if plan.status == "effective":
        plan_pay(
            plan=plan,
            paid_on=effective + dt.timedelta(days=3),
            voucher_no=f"付{village[-3:]}-{YEAR + 1}-01",
            actor=actor,
        )
    return plan.pk


def distribution_demo_step(context) -> None:
    """Demo step: a 2020 income distribution in effect and paid, the demo village's first."""
    distribution_demo_load(
        seed=context.seed, actor=context.actor, prefer=(context.places["village"],)
    )
