"""Factories of projects for tests: a project in any state, qualified operators, income."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc

from fupin.projects.models import OperatingContract, Operator, Project


def licence(n: int, county: str = "370481") -> str:
    """Return the n-th valid unified social credit code of a county."""
    base = f"91{county}{n:09d}"
    return base + uscc.calc_check_digit(base)


def project_in(region, status: str = "proposed", **fields) -> Project:
    """Create a project of the region directly in a state (its history is not the point)."""
    n = Project.objects.count() + 1
    values = {
        "name": f"项目{n}",
        "code": f"T-{n:05d}",
        "region": region,
        "year": 2024,
        "category": "industry",
        "status": status,
        "total_investment": Decimal("500000.00"),
    }
    if status in ("operating", "weak", "idle", "rectifying", "reviving", "accepted"):
        values["expected_annual_return"] = Decimal("12000.00")
    if status in ("operating", "weak", "idle", "rectifying", "reviving"):
        values["operating_since"] = dt.date(2023, 1, 1)
    values.update(fields)
    return Project.objects.create(**values)


def operator_qualified(region, n: int = 1, **fields) -> Operator:
    """Create an operator of the region whose qualification is approved."""
    values = {
        "name": f"经营主体{n}",
        "kind": "cooperative",
        "licence_no": licence(n, region.code[:6]),
        "region": region,
        "registered_capital": Decimal("1000000.00"),
        "qualified_at": timezone.now(),
    }
    values.update(fields)
    return Operator.objects.create(**values)


def contract_for(project, operator, start=dt.date(2023, 1, 1), **fields) -> OperatingContract:
    """Create a lease of the project to the operator from a date."""
    values = {"kind": "lease", "start_date": start, "annual_amount": Decimal("12000.00")}
    values.update(fields)
    return OperatingContract.objects.create(project=project, operator=operator, **values)
