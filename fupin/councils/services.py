"""Writes of village councils: councils, members' terms, meetings with their resolutions."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from fupin.core.services import event_record, history_attribute
from fupin.councils import choices as c
from fupin.councils.models import Council, CouncilMember, Meeting, Resolution
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.registry.models import Household

MANAGE = "councils.manage_council"
QUORUM_KEY = "councils.quorum_share"
MAJORITY_KEY = "councils.majority_share"


@dataclass(frozen=True)
class ResolutionDraft:
    """A resolution as put to the vote at a meeting."""

    kind: str
    title: str
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0
    text: str = ""


def _need_manage(actor, village_code: str) -> None:
    if actor is not None and not actor.has_perm(MANAGE, Region(code=village_code)):
        raise Forbidden(_("您不能管理该村的理事会"), {"village": village_code})


@transaction.atomic
def council_create(*, village_code: str, name: str, established_on: dt.date, actor) -> Council:
    """Register the poverty council of a village (one per village)."""
    village = Region.objects.filter(code=village_code).first()
    prefix = getattr(actor, "scope_prefix", "") if actor is not None else ""
    if village is None or prefix is None or not village_code.startswith(prefix):
        raise NotFound("region", {"code": village_code})
    if village.level != Level.VILLAGE:
        raise Refused("not_a_village", _("理事会只能设在村一级"), {"village": village_code})
    _need_manage(actor, village_code)
    if Council.objects.filter(village=village).exists():
        raise Conflict("council_exists", _("该村已有扶贫理事会"), {"village": village_code})
    if not name.strip():
        raise InvalidInput({"name": _("必填")}, {"name": "required"}, _("请填写理事会名称"))
    council = Council(village=village, name=name.strip(), established_on=established_on)
    history_attribute(council, actor)
    council.save()
    event_record(actor=actor, verb="councils.created", obj=council, region_code=village_code)
    return council


@transaction.atomic
def member_add(
    *,
    council: Council,
    name: str,
    role: str,
    start_date: dt.date,
    represents_poor: bool = False,
    household_no: str = "",
    phone: str = "",
    actor,
) -> CouncilMember:
    """Seat a member on a council; a council has one chair at a time."""
    _need_manage(actor, council.village_id)
    fields, codes = {}, {}
    if not name.strip():
        fields["name"], codes["name"] = _("必填"), "required"
    if role not in c.MemberRole.values:
        fields["role"], codes["role"] = _("职务不正确"), "invalid_choice"
    if fields:
        raise InvalidInput(fields, codes, _("成员信息不完整或不正确"))
    household = None
    if household_no:
        household = Household.objects.filter(
            household_no=household_no, village_id=council.village_id
        ).first()
        if household is None:
            raise Refused(
                "household_not_in_village",
                _("所代表农户不是本村农户"),
                {"household_no": household_no, "village": council.village_id},
            )
    Council.objects.select_for_update().get(pk=council.pk)
    if (
        role == c.MemberRole.CHAIR
        and CouncilMember.objects.current(start_date)
        .filter(council=council, role=c.MemberRole.CHAIR)
        .exists()
    ):
        raise Conflict(
            "chair_exists", _("理事会已有在任理事长，请先办理离任"), {"council": council.pk}
        )
    member = CouncilMember(
        council=council,
        name=name.strip(),
        role=role,
        represents_poor=represents_poor or household is not None,
        household=household,
        phone=phone.strip(),
        start_date=start_date,
    )
    history_attribute(member, actor)
    member.save()
    event_record(
        actor=actor,
        verb="councils.member_added",
        obj=member,
        region_code=council.village_id,
        data={"role": role},
    )
    return member


@transaction.atomic
def member_end(*, member: CouncilMember, end_date: dt.date, reason: str, actor) -> CouncilMember:
    """End a member's term (the record stays)."""
    _need_manage(actor, member.council.village_id)
    member = CouncilMember.objects.select_for_update().get(pk=member.pk)
    if member.end_date is not None:
        raise Conflict("member_already_ended", _("该成员已离任"), {"member": member.pk})
    if end_date < member.start_date:
        raise InvalidInput(
            {"end_date": _("早于任职日期")},
            {"end_date": "before_start"},
            _("离任日期不能早于任职日期"),
        )
    if not reason.strip():
        raise Refused("reason_required", _("请填写离任原因"), {"member": member.pk})
    member.end_date, member.end_reason = end_date, reason.strip()
    history_attribute(member, actor)
    member.save()
    event_record(
        actor=actor, verb="councils.member_ended", obj=member, region_code=member.council.village_id
    )
    return member


@transaction.atomic
def meeting_record(
    *,
    council: Council,
    held_on: dt.date,
    attendees: int,
    minutes: str,
    resolutions: list[ResolutionDraft],
    place: str = "",
    actor,
) -> Meeting:
    """Record a meeting, its minutes and the resolutions voted on.

    The meeting needs a quorum of the members serving that day; a resolution is adopted when
    more than the majority share of those present vote for it (both shares from policy).
    """
    village = council.village_id
    _need_manage(actor, village)
    serving = CouncilMember.objects.current(held_on).filter(council=council).count()
    if not minutes.strip():
        raise InvalidInput({"minutes": _("必填")}, {"minutes": "required"}, _("请填写会议纪要"))
    if attendees > serving:
        raise Refused(
            "attendees_exceed_members",
            _("出席人数多于在任成员人数"),
            {"attendees": attendees, "members": serving},
        )
    quorum = policy_get(QUORUM_KEY, region_code=village, on=held_on)
    if serving == 0 or attendees <= quorum * serving:
        raise Refused(
            "no_quorum",
            _("出席人数未达到法定比例，会议不能作出决议"),
            {"attendees": attendees, "members": serving, "quorum_share": str(quorum)},
        )
    majority = policy_get(MAJORITY_KEY, region_code=village, on=held_on)
    meeting = Meeting(
        council=council,
        held_on=held_on,
        place=place.strip(),
        attendees=attendees,
        minutes=minutes.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    history_attribute(meeting, actor)
    meeting.save()
    for index, draft in enumerate(resolutions):
        if draft.kind not in c.ResolutionKind.values or not draft.title.strip():
            raise Refused(
                "invalid_resolution",
                _("决议事项或标题不正确"),
                {"index": index, "kind": draft.kind},
            )
        votes = (draft.votes_for, draft.votes_against, draft.votes_abstain)
        if min(votes) < 0 or sum(votes) > attendees:
            raise Refused(
                "invalid_votes",
                _("表决票数不能为负，合计不能超过出席人数"),
                {"index": index, "votes": list(votes), "attendees": attendees},
            )
        resolution = Resolution(
            meeting=meeting,
            kind=draft.kind,
            title=draft.title.strip(),
            text=draft.text.strip(),
            votes_for=draft.votes_for,
            votes_against=draft.votes_against,
            votes_abstain=draft.votes_abstain,
            adopted=draft.votes_for > majority * attendees,
        )
        history_attribute(resolution, actor)
        resolution.save()
    event_record(
        actor=actor,
        verb="councils.meeting_recorded",
        obj=meeting,
        region_code=village,
        data={"resolutions": len(resolutions)},
    )
    return meeting


def council_of(village_code: str) -> Council:
    """Return the council of a village, or raise NotFound."""
    council = Council.objects.filter(village_id=village_code).first()
    if council is None:
        raise NotFound("council", {"village": village_code})
    return council
