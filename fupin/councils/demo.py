"""Demo data of councils: a poverty council in every village with households needing help.

Numbers follow the bulletin (1,505 councils with 8,054 members: about 5.35 members each): a
chair, a supervisor and three to five members, two of them representatives of poor households
of the village; each council met once in 2018 and adopted its articles. Names are illustrative.
"""

import datetime as dt
import random

from django.db.models import Max, Min
from django.utils import timezone

from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.importing import rows_insert
from fupin.councils import choices as c
from fupin.councils.models import Council, CouncilMember, Meeting, Resolution
from fupin.regions.models import Region
from fupin.registry.models import Household

FOUNDED = dt.date(2017, 3, 1)
MET = dt.date(2018, 3, 15)
HISTORY_REASON = "demo"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
GIVEN = "德福贵庆永春秋山水田茂林成保全长兴"


def councils_demo_load(*, seed: int, actor=None) -> int:
    """Write a council with members and a founding meeting for each village needing help."""
    from fupin.pairing.services import needing_q

    rng = random.Random(seed * 11 + 3)
    # Two representatives per village: the households needing help with the lowest and highest
    # numbers (one query, grouped by village).
    representatives = {
        village: (low, high)
        for village, low, high in Household.objects.filter(needing_q())
        .values("village_id")
        .annotate(low=Min("pk"), high=Max("pk"))
        .values_list("village_id", "low", "high")
        .order_by("village_id")
    }
    if not representatives:
        return 0
    names = dict(Region.objects.filter(code__in=representatives).values_list("code", "name"))
    now = timezone.now()
    before = {model: last_pk(model) for model in (Council, CouncilMember, Meeting, Resolution)}
    villages = sorted(representatives)
    rows_insert(
        Council._meta.db_table,
        ["village_code", "name", "established_on", "created_at"],
        ((v, f"{names.get(v, v)}扶贫理事会", FOUNDED, now) for v in villages),
    )
    councils = dict(Council.objects.filter(pk__gt=before[Council]).values_list("village_id", "pk"))

    def person() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))

    member_rows, meeting_rows, sizes = [], [], {}
    for village in villages:
        council = councils[village]
        low, high = representatives[village]
        seats = [(c.MemberRole.CHAIR, None), (c.MemberRole.SUPERVISOR, None)]
        seats += [(c.MemberRole.MEMBER, low)]
        if high != low:
            seats += [(c.MemberRole.MEMBER, high)]
        seats += [(c.MemberRole.MEMBER, None)] * rng.choice((1, 2, 2, 3))
        sizes[council] = len(seats)
        for role, household in seats:
            member_rows.append(
                (council, person(), role.value, household is not None, household, "", FOUNDED, "")
            )
        meeting_rows.append(
            (council, MET, "村委会议室", len(seats), "全体理事到会，审议通过理事会章程。", now)
        )
    rows_insert(
        CouncilMember._meta.db_table,
        [
            "council_id",
            "name",
            "role",
            "represents_poor",
            "household_id",
            "phone",
            "start_date",
            "end_reason",
        ],
        member_rows,
    )
    rows_insert(
        Meeting._meta.db_table,
        ["council_id", "held_on", "place", "attendees", "minutes", "created_at"],
        meeting_rows,
    )
    meetings = Meeting.objects.filter(pk__gt=before[Meeting]).values_list("pk", "council_id")
    rows_insert(
        Resolution._meta.db_table,
        [
            "meeting_id",
            "kind",
            "title",
            "text",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "adopted",
        ],
        (
            (pk, c.ResolutionKind.OTHER.value, "理事会章程", "", sizes[council], 0, 0, True)
            for pk, council in meetings.order_by("pk")
        ),
    )
    for model, last in before.items():
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    return len(councils)


def councils_demo_step(context) -> None:
    """Demo step: village poverty councils, which later steps' decisions need."""
    councils_demo_load(seed=context.seed, actor=context.actor)
