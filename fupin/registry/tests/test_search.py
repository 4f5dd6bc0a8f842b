"""Household search: names by prefix from the person-name index, ID numbers and 户编号 whole."""

import pytest
from django.db import connection

from fupin.accounts.tests.factories import UserFactory
from fupin.registry.models import Person
from fupin.registry.selectors import HouseholdFilters, household_list
from fupin.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _found(user, q: str) -> list[str]:
    return [h.household_no for h in household_list(user=user, filters=HouseholdFilters(q=q))]


def test_a_name_is_found_by_its_first_characters_in_scope(regions):
    zhao = PersonFactory(household__village=regions.village_a, name="赵德厚")
    PersonFactory(household__village=regions.village_a, name="赵明")
    PersonFactory(household__village=regions.village_b, name="赵德山")
    officer = UserFactory(role="town_officer", region=regions.town_a)

    assert _found(officer, "赵德") == [zhao.household.household_no]
    assert _found(officer, "赵德厚") == [zhao.household.household_no]
    assert _found(officer, "德厚") == []
    assert _found(officer, zhao.id_number[:10]) == []  # no probing of ID numbers by their digits
    assert _found(officer, zhao.id_number) == [zhao.household.household_no]


def _name_indexes() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    return {
        name for name, info in constraints.items() if info["index"] and info["columns"] == ["name"]
    }


def test_the_prefix_search_reads_the_person_name_index(regions):
    """On SQLite and PostgreSQL alike (the PostgreSQL run of the suite checks the second)."""
    PersonFactory.create_batch(3, household__village=regions.village_a)
    officer = UserFactory(role="town_officer", region=regions.town_a)
    households = household_list(user=officer, filters=HouseholdFilters(q="赵德"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table of three rows is read whole whatever the indexes; forbid that to see the plan.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = households.explain()
    indexes = _name_indexes()
    assert indexes and any(name in plan for name in indexes), plan
