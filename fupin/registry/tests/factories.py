"""Factories of regions, users and registry records (real records in a real test database)."""

import datetime as dt
from types import SimpleNamespace

import factory
from factory.django import DjangoModelFactory

from fupin.accounts.models import User
from fupin.core.idnumbers import resident_id_make
from fupin.regions.services import region_create
from fupin.registry.models import Household, HouseholdIncome, Person

TENGZHOU = "370481"


def region_tree() -> SimpleNamespace:
    """Create Shandong > Zaozhuang > Tengzhou > two towns > one village each (+ a second county)."""
    province = region_create(code="370000000000", name="山东省")
    city = region_create(code="370400000000", name="枣庄市")
    county = region_create(code="370481000000", name="滕州市")
    town_a = region_create(code="370481101000", name="洪绪镇")
    town_b = region_create(code="370481102000", name="南沙河镇")
    village_a = region_create(code="370481101201", name="洪村")
    village_b = region_create(code="370481102201", name="沙村")
    county_2 = region_create(code="370406000000", name="山亭区")
    town_c = region_create(code="370406100000", name="店子镇")
    village_c = region_create(code="370406100201", name="店子村")
    return SimpleNamespace(
        province=province,
        city=city,
        county=county,
        town_a=town_a,
        town_b=town_b,
        village_a=village_a,
        village_b=village_b,
        county_2=county_2,
        town_c=town_c,
        village_c=village_c,
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "town_officer"
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-9")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


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
