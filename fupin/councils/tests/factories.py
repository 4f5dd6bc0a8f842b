"""Factories of councils for tests: a council with serving members."""

import datetime as dt

from fupin.councils.services import ResolutionDraft, council_create, meeting_record, member_add

START = dt.date(2018, 1, 1)


def council_with_members(village, *, members: int = 5, actor=None):
    """Return a council of the village with a chair and `members - 1` other members."""
    council = council_create(
        village_code=village.code,
        name=f"{village.name}扶贫理事会",
        established_on=START,
        actor=actor,
    )
    member_add(council=council, name="理事长甲", role="chair", start_date=START, actor=actor)
    for n in range(members - 1):
        member_add(
            council=council,
            name=f"理事{n}",
            role="member",
            start_date=START,
            represents_poor=n == 0,
            actor=actor,
        )
    return council


def resolution_adopted(council, kind: str, *, held_on=dt.date(2018, 6, 1), actor=None):
    """Record a meeting of all members that adopts one resolution of the kind, and return it."""
    members = council.members.count()
    meeting = meeting_record(
        council=council,
        held_on=held_on,
        attendees=members,
        minutes="全体理事到会。",
        resolutions=[ResolutionDraft(kind=kind, title=f"关于{kind}的决议", votes_for=members)],
        actor=actor,
    )
    return meeting.resolutions.get()
