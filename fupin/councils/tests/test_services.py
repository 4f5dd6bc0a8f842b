import datetime as dt

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.core.models import Event
from fupin.core.testing import code_of
from fupin.councils.models import Resolution
from fupin.councils.selectors import council_list, resolution_require
from fupin.councils.services import (
    ResolutionDraft,
    council_create,
    meeting_record,
    member_add,
    member_end,
)
from fupin.councils.tests.factories import START, council_with_members, resolution_adopted
from fupin.policy.services import policy_set
from fupin.registry.tests.factories import HouseholdFactory

DAY = dt.date(2018, 6, 1)


@pytest.fixture
def officer(regions):
    return UserFactory(role="village_officer", region=regions.village_a)


def test_one_council_per_village_and_only_in_a_village(regions, officer):
    council_create(
        village_code=regions.village_a.code, name="甲村理事会", established_on=START, actor=officer
    )
    again = lambda: council_create(  # noqa: E731
        village_code=regions.village_a.code, name="重复", established_on=START, actor=officer
    )
    assert code_of(again) == "council_exists"
    town = lambda: council_create(  # noqa: E731
        village_code=regions.town_a.code, name="镇", established_on=START, actor=None
    )
    assert code_of(town) == "not_a_village"
    assert Event.objects.filter(verb="councils.created").count() == 1


def test_another_village_is_not_found_and_a_cadre_may_only_read(regions, officer):
    call = lambda: council_create(  # noqa: E731
        village_code=regions.village_b.code, name="乙村", established_on=START, actor=officer
    )
    assert code_of(call) == "not_found"
    cadre = UserFactory(role="cadre", region=regions.village_a)
    call = lambda: council_create(  # noqa: E731
        village_code=regions.village_a.code, name="甲村", established_on=START, actor=cadre
    )
    assert code_of(call) == "forbidden"


def test_one_chair_at_a_time_and_a_term_can_end(regions, officer):
    council = council_with_members(regions.village_a, members=3, actor=officer)
    chair = council.members.get(role="chair")
    second = lambda: member_add(  # noqa: E731
        council=council, name="理事长乙", role="chair", start_date=DAY, actor=officer
    )
    assert code_of(second) == "chair_exists"
    member_end(member=chair, end_date=DAY, reason="换届", actor=officer)
    new = member_add(
        council=council,
        name="理事长乙",
        role="chair",
        start_date=DAY + dt.timedelta(days=1),
        actor=officer,
    )
    assert new.role == "chair"
    assert council.members.count() == 4
    again = lambda: member_end(member=chair, end_date=DAY, reason="x", actor=officer)  # noqa: E731
    assert code_of(again) == "member_already_ended"


def test_a_representative_must_be_a_household_of_the_village(regions, officer):
    council = council_with_members(regions.village_a, members=3, actor=officer)
    home = HouseholdFactory(village=regions.village_a)
    away = HouseholdFactory(village=regions.village_b)
    member = member_add(
        council=council,
        name="代表",
        role="member",
        household_no=home.household_no,
        start_date=DAY,
        actor=officer,
    )
    assert member.represents_poor
    call = lambda: member_add(  # noqa: E731
        council=council,
        name="外村",
        role="member",
        household_no=away.household_no,
        start_date=DAY,
        actor=officer,
    )
    assert code_of(call) == "household_not_in_village"


def test_quorum_and_majority_follow_policy(regions, officer):
    council = council_with_members(regions.village_a, members=6, actor=officer)

    def meet(attendees, votes_for):
        return meeting_record(
            council=council,
            held_on=DAY,
            attendees=attendees,
            minutes="纪要",
            resolutions=[ResolutionDraft(kind="disposal", title="处置", votes_for=votes_for)],
            actor=officer,
        )

    # 6 serving members: 3 present is not more than half.
    assert code_of(lambda: meet(3, 3)) == "no_quorum"
    assert code_of(lambda: meet(7, 3)) == "attendees_exceed_members"
    assert code_of(lambda: meet(4, 5)) == "invalid_votes"
    assert meet(4, 2).resolutions.get().adopted is False  # 2 of 4 is not more than half
    assert meet(4, 3).resolutions.get().adopted is True
    policy_set(
        key="councils.majority_share",
        value="0.75",
        region_code=regions.village_a.code,
        valid_from=START,
        reason="章程要求四分之三",
    )
    assert meet(4, 3).resolutions.get().adopted is False


def test_a_meeting_with_a_bad_resolution_leaves_nothing(regions, officer):
    council = council_with_members(regions.village_a, members=3, actor=officer)
    call = lambda: meeting_record(  # noqa: E731
        council=council,
        held_on=DAY,
        attendees=3,
        minutes="纪要",
        resolutions=[
            ResolutionDraft(kind="disposal", title="好", votes_for=3),
            ResolutionDraft(kind="nonsense", title="坏", votes_for=3),
        ],
        actor=officer,
    )
    assert code_of(call) == "invalid_resolution"
    assert not council.meetings.exists()
    assert not Resolution.objects.exists()


def test_resolution_require_names_what_is_wrong(regions, officer):
    council = council_with_members(regions.village_a, members=3, actor=officer)
    disposal = resolution_adopted(council, "disposal")
    village = regions.village_a.code
    assert (
        resolution_require(resolution_id=disposal.pk, village_code=village, kinds={"disposal"})
        == disposal
    )

    def require(resolution_id, village_code=village, kinds=frozenset({"disposal"})):
        return code_of(
            lambda: resolution_require(
                resolution_id=resolution_id, village_code=village_code, kinds=kinds
            )
        )

    assert require(None) == "resolution_required"
    assert require(disposal.pk + 100) == "resolution_required"
    # Another village's resolution reads like a missing one (issue 10, defect 25).
    assert require(disposal.pk, village_code=regions.village_b.code) == "resolution_required"
    assert require(disposal.pk, kinds={"distribution_plan"}) == "resolution_mismatch"
    rejected = meeting_record(
        council=council,
        held_on=DAY,
        attendees=3,
        minutes="纪要",
        resolutions=[ResolutionDraft(kind="disposal", title="否决", votes_for=1, votes_against=2)],
        actor=officer,
    ).resolutions.get()
    assert require(rejected.pk) == "resolution_mismatch"


def test_council_list_counts_serving_members_in_scope(regions, officer):
    council = council_with_members(regions.village_a, members=4, actor=officer)
    member_end(
        member=council.members.get(name="理事1"), end_date=START, reason="迁出", actor=officer
    )
    council_with_members(regions.village_b, members=3)
    town_a = UserFactory(role="town_officer", region=regions.town_a)
    rows = list(council_list(user=town_a))
    assert [row.village_id for row in rows] == [regions.village_a.code]
    # The member who left on the start day still served that day, not today.
    assert rows[0].members_serving == 3
    assert rows[0].poor_representatives == 1
    county = UserFactory(role="county_officer", region=regions.county)
    assert council_list(user=county, region_code=regions.town_b.code).count() == 1
    assert (
        code_of(lambda: council_list(user=town_a, region_code=regions.town_b.code)) == "not_found"
    )
