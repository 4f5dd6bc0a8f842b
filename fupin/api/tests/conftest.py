import pytest
from django.utils import timezone

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.assistance.tests.factories import measure_for
from fupin.monitoring.models import Case
from fupin.monitoring.services import attachment_add, declaration_submit, objection_lodge
from fupin.monitoring.tests.factories import commitment_scan
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory, id_number


@pytest.fixture
def world(regions):
    """Return two towns with a household each, and officers of each level with API tokens."""
    home = HouseholdFactory(village=regions.village_a, household_no="H-A-1")
    PersonFactory(household=home, name="王一", relation="head", phone="13812345678")
    PersonFactory(household=home, name="李二", relation="spouse")
    IncomeFactory(household=home, year=2019)
    away = HouseholdFactory(village=regions.village_b, household_no="H-B-1")
    PersonFactory(household=away, name="赵三", relation="head")
    away_declaration, _created = declaration_submit(
        idempotency_key="world-b",
        name="孙四",
        id_number=id_number(777),
        phone="13900000000",
        village_code=regions.village_b.code,
        household_size=3,
        risk_types=["illness"],
    )
    away_case = away_declaration.case
    Case.objects.filter(pk=away_case.pk).update(
        stage="notice", notice_started_on=timezone.localdate()
    )
    away_objection = objection_lodge(case_id=away_case.pk, text="情况不实")
    away_attachment = attachment_add(case=away_case, kind="commitment", upload=commitment_scan())
    away_measure = measure_for(away)
    town_a = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
    county = UserFactory(username="county", role="county_officer", region=regions.county)
    return type(
        "World",
        (),
        {
            "regions": regions,
            "home": home,
            "away": away,
            "away_declaration": away_declaration,
            "away_case": away_case,
            "away_objection": away_objection,
            "away_attachment": away_attachment,
            "away_measure": away_measure,
            "town_a": town_a,
            "county": county,
            "town_a_token": token_create(user=town_a)[1],
            "county_token": token_create(user=county)[1],
        },
    )
