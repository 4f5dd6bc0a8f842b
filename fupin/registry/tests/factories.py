"""Factories of registry records (real records in a real test database)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from fupin.core.idnumbers import resident_id_make
from fupin.registry.models import Household, HouseholdIncome, Person

TENGZHOU = "370481"


def id_number(n: int, *, birth: dt.date = dt.date(1970, 1, 1), address: str = TENGZHOU) -> str:
    """Return the n-th valid test ID number."""
    return resident_id_make(address, birth + dt.timedelta(days=n // 900), n % 900 + 100)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    household_no = factory.Sequence(lambda n: f"H{n:08d}")
    poverty_status = "not_lifted"
    household_type = "general"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    id_number = factory.Sequence(lambda n: id_number(n))
    name = factory.Sequence(lambda n: f"张{n}")
    relation = "head"
    sex = factory.LazyAttribute(lambda p: "M" if int(p.id_number[16]) % 2 else "F")
    birth_date = factory.LazyAttribute(
        lambda p: dt.date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14]))
    )


class IncomeFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdIncome

    household = factory.SubFactory(HouseholdFactory)
    year = 2019
    wage = 5000
    business = 2000
    transfer = 1000
