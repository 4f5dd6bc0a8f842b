"""Factories of assistance plans and measures (real records in a real test database)."""

import factory
from factory.django import DjangoModelFactory

from fupin.assistance.models import AssistancePlan, Measure
from fupin.registry.tests.factories import HouseholdFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = AssistancePlan

    household = factory.SubFactory(HouseholdFactory)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    category = "industry"
    description = "发展肉牛养殖"


def measure_for(household, **fields) -> Measure:
    """Return a measure of the household's plan, creating the plan when it has none."""
    plan, _created = AssistancePlan.objects.get_or_create(household=household)
    return MeasureFactory(plan=plan, **fields)
