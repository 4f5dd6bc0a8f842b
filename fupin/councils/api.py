"""API of village councils: `/councils` (list by region, detail, members, meetings)."""

import datetime as dt

from ninja import Query, Router, Schema, Status

from fupin.core.errors import NotFound
from fupin.core.masking import mask_phone
from fupin.councils.selectors import (
    council_figures,
    council_get,
    council_list,
    council_meetings,
    council_members,
)
from fupin.councils.services import (
    ResolutionDraft,
    council_create,
    meeting_record,
    member_add,
    member_end,
)

router = Router(tags=["councils"])


class CouncilOut(Schema):
    id: int
    village_code: str
    village_name: str
    name: str
    established_on: dt.date
    members_serving: int
    poor_representatives: int
    last_meeting: dt.date | None


class CouncilMemberOut(Schema):
    id: int
    name: str
    role: str
    represents_poor: bool
    household_no: str | None
    phone: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str


class ResolutionOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    adopted: bool


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    place: str
    attendees: int
    minutes: str
    resolutions: list[ResolutionOut]


class CouncilDetailOut(CouncilOut):
    members: list[CouncilMemberOut]
    meetings: list[MeetingOut]


class CouncilIn(Schema):
    village_code: str
    name: str
    established_on: dt.date


class MemberIn(Schema):
    name: str
    role: str
    start_date: dt.date
    represents_poor: bool = False
    household_no: str = ""
    phone: str = ""


class MemberEndIn(Schema):
    end_date: dt.date
    reason: str


class ResolutionIn(Schema):
    kind: str
    title: str
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0
    text: str = ""


class MeetingIn(Schema):
    held_on: dt.date
    attendees: int
    minutes: str
    place: str = ""
    resolutions: list[ResolutionIn] = []


class CouncilQuery(Schema):
    region: str = ""


def _council(council, **figures) -> dict:
    return {
        "id": council.pk,
        "village_code": council.village_id,
        "village_name": council.village.name,
        "name": council.name,
        "established_on": council.established_on,
        **figures,
    }


def _member(member) -> dict:
    return {
        "id": member.pk,
        "name": member.name,
        "role": member.role,
        "represents_poor": member.represents_poor,
        "household_no": member.household.household_no if member.household_id else None,
        "phone": mask_phone(member.phone) if member.phone else "",
        "start_date": member.start_date,
        "end_date": member.end_date,
        "end_reason": member.end_reason,
    }


def _detail(council) -> dict:
    return _council(
        council,
        **council_figures(council=council),
        members=[_member(m) for m in council_members(council=council)],
        meetings=[
            {
                "id": meeting.pk,
                "held_on": meeting.held_on,
                "place": meeting.place,
                "attendees": meeting.attendees,
                "minutes": meeting.minutes,
                "resolutions": list(meeting.resolutions.all()),
            }
            for meeting in council_meetings(council=council)
        ],
    )


@router.get("", response=list[CouncilOut], summary="村级扶贫理事会列表")
def councils_get(request, query: Query[CouncilQuery]):
    """Return the councils in scope, optionally under `region` (out of scope: 404)."""
    rows = council_list(user=request.user, region_code=query.region)
    return [
        _council(
            c,
            members_serving=c.members_serving,
            poor_representatives=c.poor_representatives,
            last_meeting=c.last_meeting,
        )
        for c in rows
    ]


@router.post("", response={201: CouncilDetailOut}, summary="成立村级扶贫理事会")
def council_post(request, payload: CouncilIn):
    council = council_create(
        village_code=payload.village_code,
        name=payload.name,
        established_on=payload.established_on,
        actor=request.user,
    )
    return Status(201, _detail(council))


@router.get("/{council_id}", response=CouncilDetailOut, summary="理事会详情：成员、会议、决议")
def council_detail(request, council_id: int):
    return _detail(council_get(user=request.user, council_id=council_id))


@router.post("/{council_id}/members", response={201: CouncilMemberOut}, summary="增补理事会成员")
def member_post(request, council_id: int, payload: MemberIn):
    council = council_get(user=request.user, council_id=council_id)
    member = member_add(council=council, actor=request.user, **payload.dict())
    return Status(201, _member(member))


@router.post(
    "/{council_id}/members/{member_id}/end",
    response=CouncilMemberOut,
    summary="成员离任（记录保留）",
)
def member_end_post(request, council_id: int, member_id: int, payload: MemberEndIn):
    council = council_get(user=request.user, council_id=council_id)
    member = council_members(council=council).filter(pk=member_id).first()
    if member is None:
        raise NotFound("member", {"id": member_id})
    member = member_end(
        member=member, end_date=payload.end_date, reason=payload.reason, actor=request.user
    )
    return _member(member)


@router.post(
    "/{council_id}/meetings", response={201: MeetingOut}, summary="记录理事会会议、纪要与决议"
)
def meeting_post(request, council_id: int, payload: MeetingIn):
    council = council_get(user=request.user, council_id=council_id)
    meeting = meeting_record(
        council=council,
        held_on=payload.held_on,
        attendees=payload.attendees,
        minutes=payload.minutes,
        place=payload.place,
        resolutions=[ResolutionDraft(**r.dict()) for r in payload.resolutions],
        actor=request.user,
    )
    return Status(
        201,
        {
            "id": meeting.pk,
            "held_on": meeting.held_on,
            "place": meeting.place,
            "attendees": meeting.attendees,
            "minutes": meeting.minutes,
            "resolutions": list(meeting.resolutions.all()),
        },
    )
