"""Issue 6, "Done when": on the demo data a project can be followed from its proposal to the
distribution of its income, and the three-assets ledger of its village balances to the cent."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from fupin.accounts.models import User
from fupin.assets.models import IncomeEntry
from fupin.assets.selectors import three_assets_ledger
from fupin.core.demo import demo_load
from fupin.distribution.models import DistributionPlan
from fupin.projects.models import Project


def test_a_demo_project_leads_from_its_proposal_to_the_households_payments(db, client):
    demo_load(households=600, seed=7)
    county = User.objects.get(username="city")
    # The demo's second plan is for the village whose collective assets earned most in 2020.
    plan = DistributionPlan.objects.order_by("pk")[1]
    village = plan.village_id
    project = Project.objects.filter(
        assets__village_id=village,
        assets__owner_kind="village",
        assets__income_entries__received_on__year=2020,
    ).distinct()[0]

    client.force_login(county)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    moves = [m.to_status for m in project.moves.order_by("created_at", "id")]
    assert moves[:7] == [
        "proposed",
        "screened",
        "appraised",
        "approved",
        "building",
        "accepted",
        "operating",
    ]
    assert 'id="project-allocations"' in page and 'id="project-assets"' in page
    assert 'id="project-income"' in page
    assert reverse("distribution:detail", args=[plan.pk]) in page

    # The plan distributes the year's income of the village's assets, and was paid to the cent.
    earned = sum(
        IncomeEntry.objects.filter(
            asset__village_id=village, asset__owner_kind="village", received_on__year=2020
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    assert plan.amount == earned and plan.status == "paid"
    detail = client.get(reverse("distribution:detail", args=[plan.pk]))
    assert detail.status_code == 200

    # The village's three-assets ledger over the years of the demo balances to the cent.
    ledger = three_assets_ledger(
        user=county, region_code=village, start=dt.date(2016, 1, 1), end=dt.date(2021, 12, 31)
    )
    assert (
        ledger["funds_opening"] + ledger["funds_in"] - ledger["funds_out"]
        == (ledger["funds_balance"])
    )
    assert (
        ledger["income_opening"] + ledger["income_earned"] - ledger["income_distributed"]
        == (ledger["income_undistributed"])
    )
    assert ledger["income_distributed"] == plan.amount
    assert (
        ledger["distributed_households"]
        + ledger["distributed_welfare"]
        + ledger["distributed_village_fund"]
        == plan.households_total + plan.welfare_pool + plan.village_fund
    )
    assert ledger["assets_formed"] == ledger["assets_funded"] + ledger["assets_own"]
