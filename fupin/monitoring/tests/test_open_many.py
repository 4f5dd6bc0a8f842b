"""`cases_open_many`: the same cases, field history, steps and events as `case_open` one by one."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fupin.core.errors import InvalidInput, NotFound
from fupin.core.models import Event
from fupin.monitoring.models import Case, CaseStep
from fupin.monitoring.services import CaseOpened, CaseSubject, case_open, cases_open_many
from fupin.registry.models import Household
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number

KIND, ROUTE = "identification", "screening"
# Rows differ in their keys and clocks only; the case a row belongs to is named by its subject.
GOOD = id_number(66)
WRONG_CHECK = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")
CLOCKS = {"id", "opened_at", "stage_entered_at", "history_id", "history_date", "at", "created_at"}


class Rollback(Exception):
    """Leave the block's writes undone, so that the other way starts from the same state."""


@pytest.fixture
def subjects(regions):
    """Registered, joined, repeated, matched-by-ID, new, out-of-scope and invalid subjects."""
    fresh = HouseholdFactory(household_no="R1", village=regions.village_a, poverty_status="none")
    declared = HouseholdFactory(household_no="R2", village=regions.village_a)
    matched = HouseholdFactory(household_no="R3", village=regions.village_a)
    PersonFactory(household=matched, id_number=id_number(33))
    elsewhere = HouseholdFactory(household_no="R4", village=regions.village_b)
    # Open cases to join, with another household's between them (their ids leave a gap), and
    # a declarant's not in the registry.
    other = HouseholdFactory(household_no="R5", village=regions.village_a)
    declared_too = HouseholdFactory(household_no="R6", village=regions.village_a)
    for household in (declared, other, declared_too):
        case_open(
            kind=KIND,
            route="declaration",
            village=regions.village_a,
            household=household,
            risk_types=["illness"],
            description="本人申报",
        )
    case_open(
        kind=KIND,
        route="declaration",
        village=regions.village_a,
        declarant_name="申报人丁",
        declarant_id_number=id_number(77),
        household_size=4,
        risk_types=["accident"],
    )

    def subject(household=None, **fields):
        village = household.village if household else regions.village_a
        return CaseSubject(
            village=village,
            household_id=household.pk if household else None,
            risk_types=fields.pop("risk_types", ["other", "illness"]),
            description=fields.pop("description", "部门筛查预警"),
            findings=fields.pop("findings", {"rules": ["low_income"], "year": 2024}),
            **fields,
        )

    return [
        subject(fresh),
        subject(declared, risk_types=["disaster"], findings={"rules": ["disaster"]}),
        subject(fresh, description="", findings=None, risk_types=["schooling"]),
        subject(declarant_name="户主甲", declarant_id_number=id_number(33), household_size=3),
        subject(declarant_name="户主乙", declarant_id_number=id_number(44), household_size=2),
        subject(declarant_name="户主乙", declarant_id_number=id_number(44), household_size=2),
        subject(elsewhere),
        subject(declarant_name=" ", declarant_id_number=id_number(55)),
        subject(declarant_name="户主丙", declarant_id_number=WRONG_CHECK),
        subject(declared_too, description=""),
        subject(declarant_name="丁", declarant_id_number=id_number(77), household_size=4),
    ]


def one_by_one(subjects, actor) -> list[CaseOpened]:
    results = []
    for s in subjects:
        try:
            case, opened = case_open(
                kind=KIND,
                route=ROUTE,
                village=s.village,
                actor=actor,
                household=Household.objects.get(pk=s.household_id) if s.household_id else None,
                declarant_name=s.declarant_name,
                declarant_id_number=s.declarant_id_number,
                household_size=s.household_size,
                risk_types=list(s.risk_types),
                description=s.description,
                findings=s.findings,
            )
        except NotFound:
            results.append(CaseOpened("out_of_scope"))
        except InvalidInput:
            results.append(CaseOpened("invalid"))
        else:
            results.append(CaseOpened("opened" if opened else "joined", case.pk))
    return results


def values(row, names: dict, case_key: str, n: int = 0) -> tuple:
    """Return a row's fields but its keys and clocks, its case named by subject, as sortable text."""
    found = {"n": n}
    for field in row._meta.concrete_fields:
        name = field.attname
        if name == case_key:
            found[name] = names[str(getattr(row, name))]
        elif name not in CLOCKS:
            found[name] = getattr(row, name)
    return tuple(sorted((k, repr(v)) for k, v in found.items()))


def in_order(rows, names: dict, case_key: str) -> list[tuple]:
    """Return the rows' values, each numbered within its case in the order it was written."""
    seen: dict = {}
    out = []
    for row in rows:
        case = getattr(row, case_key)
        seen[case] = seen.get(case, -1) + 1
        out.append(values(row, names, case_key, seen[case]))
    return sorted(out)


def snapshot(results) -> dict:
    """Return every row the opening wrote, with case ids replaced by the subject's name."""
    names = {
        str(case.pk): case.household.household_no if case.household_id else case.declarant_id_number
        for case in Case.objects.select_related("household")
    }
    return {
        "results": [(r.outcome, names.get(str(r.case_id))) for r in results],
        "cases": sorted(values(case, names, "id") for case in Case.objects.all()),
        "history": in_order(
            Case.history.model.objects.order_by("history_date", "history_id"), names, "id"
        ),
        "steps": in_order(CaseStep.objects.order_by("id"), names, "case_id"),
        "events": in_order(
            Event.objects.filter(verb__startswith="case.").order_by("id"), names, "object_id"
        ),
    }


def both_ways(subjects, actor):
    try:
        with transaction.atomic():
            single = snapshot(one_by_one(subjects, actor))
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            many = snapshot(cases_open_many(kind=KIND, route=ROUTE, subjects=subjects, actor=actor))
            raise Rollback
    except Rollback:
        pass
    return single, many


def test_opening_many_writes_what_opening_one_by_one_writes(subjects, officers):
    single, many = both_ways(subjects, officers.village)
    assert single["results"] == [
        ("opened", "R1"),
        ("joined", "R2"),
        ("joined", "R1"),
        ("opened", "R3"),
        ("opened", id_number(44)),
        ("joined", id_number(44)),
        ("out_of_scope", None),
        ("invalid", None),
        ("invalid", None),
        ("joined", "R6"),
        ("joined", id_number(77)),
    ]
    for table in ("results", "cases", "history", "steps", "events"):
        assert many[table] == single[table], table
    # The four declarations', then three opened and five joined by the officer.
    users = sorted(dict(row)["history_user_id"] for row in single["history"])
    assert users == sorted([repr(None)] * 4 + [repr(officers.village.pk)] * 8)


def test_a_system_run_opens_outside_any_scope(subjects):
    single, many = both_ways(subjects, None)
    assert many == single
    assert ("opened", "R4") in many["results"]


def test_the_statements_do_not_grow_with_the_subjects(regions):
    def count(n: int) -> int:
        subjects = [
            CaseSubject(
                village=regions.village_a,
                household_id=HouseholdFactory(village=regions.village_a).pk,
                risk_types=["other"],
                description="部门筛查预警",
            )
            for _ in range(n)
        ]
        with CaptureQueriesContext(connection) as queries:
            results = cases_open_many(kind=KIND, route=ROUTE, subjects=subjects)
        assert [r.outcome for r in results] == ["opened"] * n
        return len(queries)

    # Keys go 2,000 to an IN list; rows go in one executemany (COPY on PostgreSQL).
    assert count(100) == count(3)
