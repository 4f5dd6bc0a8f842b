"""Services of assistance plans: every rule, refusal, history row and event."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fupin.assistance import choices as c
from fupin.assistance.models import AssistancePlan, Measure
from fupin.assistance.services import (
    measure_add,
    measure_move,
    measure_update,
    plan_require,
    plan_update,
)
from fupin.assistance.tests.factories import MeasureFactory, PlanFactory
from fupin.core.errors import Forbidden, FupinError, NotFound
from fupin.core.models import Event

pytestmark = pytest.mark.django_db


def _events(verb: str) -> list[Event]:
    return list(Event.objects.filter(verb=verb).order_by("id"))


def _add(plan, actor, **fields) -> Measure:
    return measure_add(plan=plan, actor=actor, **{"category": "industry", **fields})


# --- plan_require ------------------------------------------------------------------------------


def test_plan_require_creates_the_plan_with_its_due_date_history_and_event(village, today):
    due = today + dt.timedelta(days=7)

    plan = plan_require(household=village.home, due_date=due, actor=village.county)

    assert plan.household == village.home and plan.due_date == due
    record = plan.history.get()
    assert record.history_type == "+" and record.history_user == village.county
    (event,) = _events("plan.required")
    assert event.actor == village.county
    assert event.object_id == "H-A-1" and event.region_code == village.regions.village_a.code
    assert event.data == {"household_no": "H-A-1", "due_date": due.isoformat()}


def test_plan_require_is_repeat_safe(village, today):
    due = today + dt.timedelta(days=7)

    first = plan_require(household=village.home, due_date=due)
    second = plan_require(household=village.home, due_date=due)

    assert first.pk == second.pk
    assert AssistancePlan.objects.filter(household=village.home).count() == 1
    assert first.history.count() == 1
    assert len(_events("plan.required")) == 1
    assert _events("plan.due_date_set") == []


def test_plan_require_without_an_actor_is_the_system(village, today):
    plan = plan_require(household=village.home, due_date=today)

    assert plan.history.get().history_user is None
    assert _events("plan.required")[0].actor is None


def test_plan_require_keeps_the_earlier_deadline_while_no_measure_exists(village, today):
    plan_require(household=village.home, due_date=today + dt.timedelta(days=7))

    later = plan_require(household=village.home, due_date=today + dt.timedelta(days=30))
    assert later.due_date == today + dt.timedelta(days=7)

    earlier = plan_require(household=village.home, due_date=today + dt.timedelta(days=3))
    assert earlier.due_date == today + dt.timedelta(days=3)
    (event,) = _events("plan.due_date_set")
    assert event.data["from"] == (today + dt.timedelta(days=7)).isoformat()
    assert event.data["to"] == (today + dt.timedelta(days=3)).isoformat()


def test_plan_require_records_a_new_inclusion_once_a_measure_met_the_deadline(village, today):
    plan = plan_require(household=village.home, due_date=today - dt.timedelta(days=100))
    MeasureFactory(plan=plan, status="done")

    plan = plan_require(household=village.home, due_date=today + dt.timedelta(days=7))

    assert plan.due_date == today + dt.timedelta(days=7)


def test_plan_require_ignores_cancelled_measures_when_keeping_the_deadline(village, today):
    plan = plan_require(household=village.home, due_date=today + dt.timedelta(days=2))
    MeasureFactory(plan=plan, status="cancelled")

    plan = plan_require(household=village.home, due_date=today + dt.timedelta(days=9))

    assert plan.due_date == today + dt.timedelta(days=2)


def test_plan_require_refuses_an_actor_out_of_scope_or_without_the_right(village, today):
    with pytest.raises(NotFound):
        plan_require(household=village.home, due_date=today, actor=village.town_b)
    with pytest.raises(Forbidden):
        plan_require(household=village.home, due_date=today, actor=village.auditor)
    assert not AssistancePlan.objects.exists()


def test_plan_require_refuses_a_removed_household(village, today):
    village.home.removal_reason = "moved"
    village.home.removed_on = today
    village.home.save()

    with pytest.raises(FupinError) as error:
        plan_require(household=village.home, due_date=today)
    assert error.value.code == "household_removed"


# --- plan_update -------------------------------------------------------------------------------


def test_plan_update_creates_a_plan_for_a_not_lifted_household(village):
    plan = plan_update(household=village.home, actor=village.cadre, responsible_name="钱五")

    assert plan.responsible_name == "钱五" and plan.due_date is None
    (event,) = _events("plan.created")
    assert event.actor == village.cadre
    assert event.data["changed"] == {"responsible_name": ["", "钱五"]}
    assert plan.history.get().history_user == village.cadre


def test_plan_update_refuses_to_create_a_plan_for_an_ordinary_household(village):
    with pytest.raises(FupinError) as error:
        plan_update(household=village.ordinary, actor=village.officer, note="x")
    assert error.value.code == "plan_not_needed"
    assert error.value.status == 409
    assert not AssistancePlan.objects.exists()


def test_plan_update_without_create_needs_an_existing_plan(village):
    with pytest.raises(NotFound):
        plan_update(household=village.home, actor=village.officer, note="x", create=False)


def test_plan_update_changes_only_the_given_fields_and_records_the_change(village):
    PlanFactory(household=village.home, responsible_name="钱五", note="旧备注")

    plan = plan_update(household=village.home, actor=village.officer, note="新备注")

    assert plan.responsible_name == "钱五" and plan.note == "新备注"
    (event,) = _events("plan.updated")
    assert event.data["changed"] == {"note": ["旧备注", "新备注"]}
    assert plan.history.first().history_user == village.officer


def test_plan_update_writes_nothing_when_nothing_changes(village):
    PlanFactory(household=village.home, responsible_name="钱五")

    plan_update(household=village.home, actor=village.officer, responsible_name="钱五")

    assert _events("plan.updated") == []
    assert AssistancePlan.history.count() == 1


def test_plan_update_names_the_responsible_account_and_refuses_one_out_of_scope(village):
    plan = plan_update(
        household=village.home, actor=village.officer, responsible_user=village.cadre
    )
    assert plan.responsible_user == village.cadre
    assert plan.responsible_name == "cadre_a"

    with pytest.raises(FupinError) as error:
        plan_update(household=village.home, actor=village.officer, responsible_user=village.town_b)
    assert error.value.code == "invalid_input"
    assert error.value.details["codes"] == {"responsible_user": "responsible_out_of_scope"}
    assert "responsible_user" in error.value.details["fields"]

    with pytest.raises(FupinError) as error:
        plan_update(household=village.home, actor=village.officer, responsible_user=village.auditor)
    assert error.value.details["codes"] == {"responsible_user": "responsible_out_of_scope"}


@pytest.mark.parametrize(
    ("who", "error"),
    [("town_b", NotFound), ("auditor", Forbidden), ("department", NotFound)],
)
def test_plan_update_refuses_roles_and_scopes(village, who, error):
    with pytest.raises(error):
        plan_update(household=village.home, actor=getattr(village, who), note="x")


@pytest.mark.parametrize("who", ["officer", "cadre", "town_a", "county"])
def test_plan_update_is_allowed_to_the_roles_that_keep_plans(village, who):
    plan = plan_update(household=village.home, actor=getattr(village, who), note=who)
    assert plan.note == who


# --- measure_add -------------------------------------------------------------------------------


def test_measure_add_records_a_planned_measure_with_history_and_event(village, today):
    plan = PlanFactory(household=village.home)

    measure = _add(
        plan,
        village.cadre,
        category="public_welfare_post",
        description="村级保洁员",
        amount="6000",
        start_date=today,
        end_date=today + dt.timedelta(days=365),
        responsible_name="钱五",
    )

    measure.refresh_from_db()
    assert measure.status == c.MeasureStatus.PLANNED
    assert measure.amount == Decimal("6000.00")
    assert measure.history.get().history_user == village.cadre
    (event,) = _events("measure.added")
    assert event.data == {
        "household_no": "H-A-1",
        "category": "public_welfare_post",
        "amount": "6000.00",
    }
    assert event.region_code == village.regions.village_a.code


def test_skills_training_needs_the_trade_the_household_asked_for(village):
    plan = PlanFactory(household=village.home)

    with pytest.raises(FupinError) as error:
        _add(plan, village.officer, category="skills_training", trade="  ")
    assert error.value.code == "invalid_input" and error.value.status == 422
    assert error.value.details["codes"] == {"trade": "trade_required"}

    measure = _add(plan, village.officer, category="skills_training", trade="电焊工")
    assert measure.trade == "电焊工"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"amount": Decimal("-0.01")}, "amount", "negative_amount"),
        ({"amount": "-100"}, "amount", "negative_amount"),
        ({"amount": "12.345"}, "amount", "invalid_amount"),
        ({"amount": "abc"}, "amount", "invalid_amount"),
        ({"amount": "1e15"}, "amount", "invalid_amount"),
        ({"category": "lottery"}, "category", "unknown_category"),
        ({"responsible_name": "钱" * 51}, "responsible_name", "too_long"),
        (
            {"start_date": dt.date(2025, 3, 2), "end_date": dt.date(2025, 3, 1)},
            "end_date",
            "end_before_start",
        ),
    ],
)
def test_measure_add_refuses_bad_input_naming_the_field(village, fields, field, code):
    plan = PlanFactory(household=village.home)

    with pytest.raises(FupinError) as error:
        _add(plan, village.officer, **fields)

    assert error.value.code == "invalid_input"
    assert error.value.details["codes"] == {field: code}
    assert error.value.details["fields"][field]
    assert not Measure.objects.exists()
    assert _events("measure.added") == []


def test_measure_add_accepts_an_end_on_the_start_day_and_a_zero_amount(village, today):
    plan = PlanFactory(household=village.home)

    measure = _add(plan, village.officer, start_date=today, end_date=today, amount=0)

    assert measure.amount == Decimal("0.00")


def test_measure_add_lists_every_bad_field_at_once(village):
    plan = PlanFactory(household=village.home)

    with pytest.raises(FupinError) as error:
        _add(
            plan,
            village.officer,
            category="skills_training",
            amount=-1,
            start_date=dt.date(2025, 3, 2),
            end_date=dt.date(2025, 3, 1),
        )

    assert error.value.details["codes"] == {
        "trade": "trade_required",
        "amount": "negative_amount",
        "end_date": "end_before_start",
    }


@pytest.mark.parametrize(
    ("who", "error"),
    [("town_b", NotFound), ("auditor", Forbidden), ("department", NotFound)],
)
def test_measure_add_refuses_roles_and_scopes(village, who, error):
    plan = PlanFactory(household=village.home)

    with pytest.raises(error):
        _add(plan, getattr(village, who))
    assert not Measure.objects.exists()


def test_a_cadre_of_another_village_cannot_touch_the_plan(village, regions):
    from fupin.accounts.tests.factories import UserFactory

    other = UserFactory(username="cadre_b", role="cadre", region=regions.village_b)
    plan = PlanFactory(household=village.home)

    with pytest.raises(NotFound):
        _add(plan, other)


def test_the_database_holds_the_measure_rules_too(village):
    plan = PlanFactory(household=village.home)
    for fields in (
        {"amount": Decimal("-1")},
        {"category": "skills_training", "trade": ""},
        {"start_date": dt.date(2025, 3, 2), "end_date": dt.date(2025, 3, 1)},
        {"status": "lost"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Measure.objects.create(plan=plan, **{"category": "industry", **fields})


def test_one_plan_per_household_in_the_database(village):
    PlanFactory(household=village.home)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssistancePlan.objects.create(household=village.home)


# --- measure_update ----------------------------------------------------------------------------


def test_measure_update_changes_the_given_fields_and_records_them(village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home), amount=Decimal("100"))

    measure = measure_update(measure=measure, actor=village.officer, amount="250.50")

    measure.refresh_from_db()
    assert measure.amount == Decimal("250.50") and measure.description == "发展肉牛养殖"
    (event,) = _events("measure.updated")
    assert event.data["changed"] == {"amount": ["100.00", "250.50"]}
    assert measure.history.first().history_user == village.officer


def test_measure_update_applies_the_rules_to_the_result(village):
    measure = MeasureFactory(
        plan=PlanFactory(household=village.home), start_date=dt.date(2025, 5, 1)
    )

    with pytest.raises(FupinError) as error:
        measure_update(measure=measure, actor=village.officer, category="skills_training")
    assert error.value.details["codes"] == {"trade": "trade_required"}

    with pytest.raises(FupinError) as error:
        measure_update(measure=measure, actor=village.officer, end_date=dt.date(2025, 4, 30))
    assert error.value.details["codes"] == {"end_date": "end_before_start"}

    measure.refresh_from_db()
    assert measure.category == "industry" and measure.end_date is None


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_a_closed_measure_cannot_be_changed(village, status):
    measure = MeasureFactory(plan=PlanFactory(household=village.home), status=status)

    with pytest.raises(FupinError) as error:
        measure_update(measure=measure, actor=village.officer, description="改")
    assert error.value.code == "measure_closed"


def test_measure_update_refuses_the_auditor(village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    with pytest.raises(Forbidden):
        measure_update(measure=measure, actor=village.auditor, description="改")


# --- measure_move ------------------------------------------------------------------------------

ALL_MOVES = [(a, b) for a in c.MeasureStatus.values for b in c.MeasureStatus.values]
ALLOWED = {
    ("planned", "in_progress"),
    ("planned", "cancelled"),
    ("in_progress", "done"),
    ("in_progress", "cancelled"),
}


def test_the_transitions_table_is_the_documented_one():
    assert {(a, b) for a, targets in c.TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("start", "target"), ALL_MOVES)
def test_measure_move_follows_the_transitions_table(village, start, target):
    measure = MeasureFactory(plan=PlanFactory(household=village.home), status=start)

    if (start, target) in ALLOWED:
        moved = measure_move(measure=measure, actor=village.officer, status=target, note="理由")
        assert moved.status == target
        (event,) = _events("measure.moved")
        assert event.data["from"] == start and event.data["to"] == target
        assert event.reason == "理由"
        assert measure.history.first().history_change_reason == "理由"
    else:
        with pytest.raises(FupinError) as error:
            measure_move(measure=measure, actor=village.officer, status=target, note="理由")
        assert error.value.code == "invalid_transition"
        assert error.value.status == 409
        assert error.value.details["from"] == start
        measure.refresh_from_db()
        assert measure.status == start
        assert _events("measure.moved") == []


def test_an_unknown_status_is_an_invalid_transition(village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    with pytest.raises(FupinError) as error:
        measure_move(measure=measure, actor=village.officer, status="paused")
    assert error.value.code == "invalid_transition"


def test_cancelling_needs_a_reason(village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))

    with pytest.raises(FupinError) as error:
        measure_move(measure=measure, actor=village.officer, status="cancelled", note=" ")
    assert error.value.details["codes"] == {"note": "reason_required"}
    measure.refresh_from_db()
    assert measure.status == "planned"


def test_starting_and_finishing_date_the_measure_today(village, today):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))

    measure = measure_move(measure=measure, actor=village.officer, status="in_progress")
    assert measure.start_date == today and measure.end_date is None
    measure = measure_move(measure=measure, actor=village.officer, status="done")
    assert measure.end_date == today
    assert measure.history.count() == 3


def test_finishing_keeps_dates_already_given(village, today):
    measure = MeasureFactory(
        plan=PlanFactory(household=village.home),
        status="in_progress",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=1),
    )

    measure = measure_move(measure=measure, actor=village.officer, status="done")

    assert measure.end_date == today - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("who", "error"),
    [("town_b", NotFound), ("auditor", Forbidden), ("department", NotFound)],
)
def test_measure_move_refuses_roles_and_scopes(village, who, error):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    with pytest.raises(error):
        measure_move(measure=measure, actor=getattr(village, who), status="in_progress")
    measure.refresh_from_db()
    assert measure.status == "planned"


def test_nothing_is_written_for_a_removed_household(village, today):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    village.home.removal_reason = "deceased"
    village.home.removed_on = today
    village.home.save()

    for call in (
        lambda: _add(measure.plan, village.officer),
        lambda: measure_update(measure=measure, actor=village.officer, description="x"),
        lambda: measure_move(measure=measure, actor=village.officer, status="in_progress"),
        lambda: plan_update(household=village.home, actor=village.officer, note="x"),
    ):
        with pytest.raises(FupinError) as error:
            call()
        assert error.value.code == "household_removed"


def test_measures_are_never_deleted_through_the_admin(village, rf):
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = village.county
    for model in (AssistancePlan, Measure):
        assert site._registry[model].has_delete_permission(request) is False
