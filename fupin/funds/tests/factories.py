"""Factories of fund records for tests (real rows; writes that carry a rule go through services)."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from fupin.funds.models import FundSource
from fupin.projects.models import Project


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"项目{n}")
    code = factory.Sequence(lambda n: f"P{n:06d}")
    year = 2018
    category = "industry"
    status = "approved"
    expected_annual_return = Decimal("10000.00")
    total_investment = Decimal("100000.00")


class FundSourceFactory(DjangoModelFactory):
    class Meta:
        model = FundSource

    kind = "integrated"
    level = ""
    year = 2018
    amount = Decimal("100000.00")
    document_no = factory.Sequence(lambda n: f"滕财农〔2018〕{n}号")


DAY = dt.date(2018, 3, 1)
