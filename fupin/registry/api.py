"""API of the registry: the household list and the household file, scoped and with masked IDs."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema

from fupin.api.pagination import ChangesQuery, Paged, paged
from fupin.core.dates import age_on
from fupin.core.masking import mask_id_number, mask_phone
from fupin.registry.selectors import (
    HouseholdFilters,
    household_get,
    household_incomes,
    household_list,
    household_members,
)

router = Router(tags=["households"])


class HouseholdSummaryOut(Schema):
    household_no: str
    village_code: str
    village_name: str
    poverty_status: str
    household_type: str
    monitoring_type: str
    risk_state: str
    main_cause: str
    category: str


class HouseholdMemberOut(Schema):
    name: str
    id_number: str
    relation: str
    sex: str
    age: int
    phone: str
    health: str
    disability_grade: int | None
    labor_ability: str
    schooling: str
    active: bool
    left_on: dt.date | None
    left_reason: str


class HouseholdIncomeOut(Schema):
    year: int
    size: int
    wage: Decimal
    business: Decimal
    property: Decimal
    transfer: Decimal
    production_cost: Decimal
    net: Decimal
    per_capita: Decimal | None
    poverty_line: Decimal | None


class HouseholdOut(HouseholdSummaryOut):
    policy_support: bool | None
    risk_types: list[str]
    removal_reason: str
    members: list[HouseholdMemberOut]
    incomes: list[HouseholdIncomeOut]


class HouseholdQuery(ChangesQuery):
    region: str = ""
    category: str = ""
    household_type: str = ""
    main_cause: str = ""
    q: str = ""
    page: int = 1


def _summary(h) -> dict:
    return {
        "household_no": h.household_no,
        "village_code": h.village_id,
        "village_name": h.village.name,
        "poverty_status": h.poverty_status,
        "household_type": h.household_type,
        "monitoring_type": h.monitoring_type,
        "risk_state": h.risk_state,
        "main_cause": h.main_cause,
        "category": h.support_category,
    }


class HouseholdPage(Paged[HouseholdSummaryOut]):
    """A page of the household list."""


@router.get("", response=HouseholdPage, summary="农户列表")
def households(request, query: Query[HouseholdQuery]):
    rows = household_list(
        user=request.user,
        filters=HouseholdFilters(
            region=query.region,
            category=query.category,
            household_type=query.household_type,
            main_cause=query.main_cause,
            q=query.q,
        ),
    )
    return paged(rows, page=query.page, changes=query, shape=_summary)


@router.get("/{household_no}", response=HouseholdOut, summary="一户一档")
def household_detail(request, household_no: str):
    household = household_get(user=request.user, household_no=household_no)
    today = timezone.localdate()
    members = [
        {
            "name": p.name,
            "id_number": mask_id_number(p.id_number),
            "relation": p.relation,
            "sex": p.sex,
            "age": age_on(p.birth_date, today),
            "phone": mask_phone(p.phone),
            "health": p.health,
            "disability_grade": p.disability_grade,
            "labor_ability": p.labor_ability,
            "schooling": p.schooling,
            "active": p.left_on is None,
            "left_on": p.left_on,
            "left_reason": p.left_reason,
        }
        for p in household_members(household=household)
    ]
    incomes = [
        {
            "year": y.income.year,
            "size": y.size,
            "wage": y.income.wage,
            "business": y.income.business,
            "property": y.income.property_income,
            "transfer": y.income.transfer,
            "production_cost": y.income.production_cost,
            "net": y.net,
            "per_capita": y.per_capita,
            "poverty_line": y.line,
        }
        for y in household_incomes(household=household)
    ]
    return {
        **_summary(household),
        "policy_support": household.policy_support,
        "risk_types": household.risk_types,
        "removal_reason": household.removal_reason,
        "members": members,
        "incomes": incomes,
    }
