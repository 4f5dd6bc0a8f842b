"""The demo gives the households still helped an assistance plan, most of them with measures."""

import datetime as dt

from django.db.models import Count, F

from fupin.assistance.models import AssistancePlan, Measure
from fupin.core.demo import demo_load
from fupin.monitoring.choices import CaseKind, CaseStatus
from fupin.monitoring.models import Case
from fupin.pairing.models import Pairing
from fupin.registry.choices import SupportCategory
from fupin.registry.models import Household, category_q


def test_plans_of_the_demo_fit_the_households_and_leave_a_visible_gap(db):
    demo_load(households=600, seed=7)
    helped = Household.objects.filter(
        category_q(SupportCategory.MONITORED) | category_q(SupportCategory.NOT_LIFTED)
    )
    planned = set(AssistancePlan.objects.values_list("household_id", flat=True))
    assert set(helped.values_list("pk", flat=True)) <= planned
    # A plan outlives its household's exit: the only planned households no longer helped are
    # those the county let out of monitoring.
    exited = set(
        Case.objects.filter(kind=CaseKind.EXIT, status=CaseStatus.APPROVED).values_list(
            "household_id", flat=True
        )
    )
    assert planned - set(helped.values_list("pk", flat=True)) <= exited
    monitored = Household.objects.filter(category_q(SupportCategory.MONITORED)).annotate(
        measures=Count("assistance_plan__measures")
    )
    with_measure = monitored.filter(measures__gt=0).count()
    assert 0.8 * monitored.count() <= with_measure < monitored.count()
    # Plans are due within the policy's days of monitoring, kept by the household's cadre.
    for plan in AssistancePlan.objects.filter(
        household__monitored_on__isnull=False, household__in=helped
    ).select_related("household")[:50]:
        assert plan.due_date == plan.household.monitored_on + dt.timedelta(days=7)
        assert plan.responsible_name or Pairing.objects.active().filter(household=plan.household)
    assert not Measure.objects.filter(end_date__lt=F("start_date")).exists()
    assert Measure.history.count() == Measure.objects.count()
