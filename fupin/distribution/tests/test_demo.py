"""The demo has 2020 distribution plans in effect and paid, the village officer's among them."""

from django.db.models import Sum

from fupin.accounts.models import User
from fupin.assets.models import IncomeEntry
from fupin.core.demo import demo_load
from fupin.distribution.models import DistributionPlan, VillageFundEntry


def test_the_demo_plans_are_paid_and_add_up(db):
    demo_load(households=400, seed=7)
    plans = list(DistributionPlan.objects.order_by("pk"))
    assert len(plans) == 2
    assert plans[0].village_id == User.objects.get(username="village").region_id
    for plan in plans:
        assert plan.status == "paid"
        assert plan.resolution.kind == "distribution_plan"
        lines = plan.lines.all()
        assert lines.count() == plan.households > 0
        assert not lines.filter(amount__gt=0, paid=False).exists()
        assert lines.aggregate(total=Sum("amount"))["total"] == plan.households_total
        assert plan.welfare_pool + plan.village_fund + plan.households_total == plan.amount
        entry = VillageFundEntry.objects.get(plan=plan)
        assert (entry.kind, entry.amount, entry.date) == (
            "in",
            plan.village_fund,
            plan.effective_on,
        )
    # A plan distributes what the village's collective assets earned in the year, when they did:
    # the project's income can be followed to the households' payments.
    earned = {
        plan.pk: IncomeEntry.objects.filter(
            asset__owner_kind="village", asset__village_id=plan.village_id, received_on__year=2020
        ).aggregate(total=Sum("amount"))["total"]
        for plan in plans
    }
    assert any(earned.values())
    for plan in plans:
        if earned[plan.pk]:
            assert plan.amount == earned[plan.pk]
