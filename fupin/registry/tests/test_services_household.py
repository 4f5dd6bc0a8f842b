"""Creating the household of a decided case: its number, its members, its history and event."""

import pytest

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import InvalidInput
from fupin.core.models import Event
from fupin.core.testing import code_of
from fupin.registry.services import Member, household_from_case, household_no_next
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number

VILLAGE = "370481101201"


def head(n: int = 1) -> Member:
    return Member(id_number=id_number(n), name="王一", relation="head", phone="13812345678")


@pytest.fixture
def county(regions):
    return UserFactory(username="county", role="county_officer", region=regions.county)


def test_the_first_household_of_a_village_is_number_one(regions):
    assert household_no_next(VILLAGE) == f"{VILLAGE}0001"


def test_the_next_number_is_one_past_the_highest_taken_gaps_are_not_reused(regions):
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}0001")
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}0003")
    # Numbers of another shape, or of another village, do not count.
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}-0009")
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}00099")
    HouseholdFactory(village=regions.village_b, household_no="3704811022010007")

    assert household_no_next(VILLAGE) == f"{VILLAGE}0004"


def test_the_household_is_created_with_its_head_history_and_event(regions, county):
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}0001")
    HouseholdFactory(village=regions.village_a, household_no=f"{VILLAGE}0002")

    household = household_from_case(case_id=7, village_code=VILLAGE, members=[head()], actor=county)

    assert household.household_no == f"{VILLAGE}0003"
    assert household.poverty_status == "none"
    person = household.members.get()
    assert (person.name, person.relation, person.phone) == ("王一", "head", "13812345678")
    assert person.birth_date.year == 1970
    created = household.history.get()
    assert (created.history_type, created.history_user) == ("+", county)
    assert "#7" in created.history_change_reason
    assert person.history.get().history_user == county
    event = Event.objects.get(verb="household.created_from_case")
    assert (event.actor, event.object_id, event.data) == (
        county,
        household.household_no,
        {"case": 7},
    )


def test_bad_members_are_refused_with_a_code_per_field(regions, county):
    spouse = Member(id_number="12345", name="", relation="spouse")
    with pytest.raises(InvalidInput) as refused:
        household_from_case(case_id=1, village_code=VILLAGE, members=[spouse], actor=county)

    assert refused.value.field_codes == {
        "members": "head_count",
        "members.0.name": "required",
        "members.0.id_number": "id_length",
    }


def test_a_village_that_is_not_one_and_an_id_already_registered_are_refused(regions, county):
    town = regions.town_a.code
    assert code_of(
        household_from_case, case_id=1, village_code=town, members=[head()], actor=county
    ) == ("not_a_village")
    PersonFactory(household__village=regions.village_b, id_number=id_number(1))
    assert code_of(
        household_from_case, case_id=1, village_code=VILLAGE, members=[head()], actor=county
    ) == ("person_registered")
