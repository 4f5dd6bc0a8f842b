from fupin.accounts.tests.factories import UserFactory
from fupin.core.bulk import history_bulk_record
from fupin.registry.models import Household
from fupin.registry.tests.factories import HouseholdFactory


def test_history_rows_are_written_for_exactly_the_queryset(regions):
    actor = UserFactory(role="county_officer", region=regions.county)
    Household.history.model.objects.all().delete()
    kept = HouseholdFactory.create_batch(3, village=regions.village_a)
    HouseholdFactory(village=regions.village_b)
    Household.history.model.objects.all().delete()

    written = history_bulk_record(
        queryset=Household.objects.filter(village=regions.village_a),
        history_type="+",
        actor=actor,
        reason="导入",
    )

    assert written == 3
    rows = Household.history.model.objects.all()
    assert sorted(r.household_no for r in rows) == sorted(h.household_no for h in kept)
    assert {(r.history_type, r.history_user_id, r.history_change_reason) for r in rows} == {
        ("+", actor.pk, "导入")
    }
    assert {r.village_id for r in rows} == {regions.village_a.code}
