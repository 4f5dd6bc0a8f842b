"""Reads of funds, always within the user's scope: sources, allocations, balances, loans.

Figures are SQL aggregates grouped by region prefix, year or kind (one query per figure), never a
loop over rows.
"""

import datetime as dt

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from fupin.core.inputs import ZERO, cents
from fupin.funds import choices as c
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan, Repayment
from fupin.policy.selectors import policy_get
from fupin.regions.selectors import region_children, region_visible

VIEW_SOURCE = "funds.view_fundsource"
VIEW_ALLOCATION = "funds.view_allocation"
VIEW_LOAN = "funds.view_loan"
LOAN_GRACE_DAYS = "funds.loan_grace_days"
MONEY = DecimalField(max_digits=14, decimal_places=2)
FIGURES = ("amount", "allocated", "disbursed", "unallocated", "undisbursed", "balance")


def _sum_of(model, path: str, **filters):
    rows = model.objects.filter(**filters).values(path).annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(rows.order_by()), Value(ZERO), output_field=MONEY)


def source_list(
    *, user, region_code: str | None = None, year: int | None = None, kind: str | None = None
) -> QuerySet[FundSource]:
    """Return the sources of a region with what was allocated and disbursed out of each."""
    region = region_visible(user=user, code=region_code, perm=VIEW_SOURCE)
    rows = FundSource.objects.restrict(user).filter(region__code__startswith=region.prefix)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    return (
        rows.select_related("region")
        .annotate(
            allocated=_sum_of(Allocation, "source", source=OuterRef("pk")),
            disbursed=_sum_of(
                Disbursement, "allocation__source", allocation__source=OuterRef("pk")
            ),
        )
        .annotate(
            unallocated=F("amount") - F("allocated"),
            undisbursed=F("allocated") - F("disbursed"),
            balance=F("amount") - F("disbursed"),
        )
        .order_by("-year", "region_id", "kind", "id")
    )


def source_get(*, user, source_id: int) -> FundSource:
    """Return one source in the user's scope with its figures, or raise NotFound."""
    source = (
        FundSource.objects.select_related("region")
        .annotate(
            allocated=_sum_of(Allocation, "source", source=OuterRef("pk")),
            disbursed=_sum_of(
                Disbursement, "allocation__source", allocation__source=OuterRef("pk")
            ),
        )
        .get_restricted(user, pk=source_id)
    )
    source.allocated, source.disbursed = cents(source.allocated), cents(source.disbursed)
    source.unallocated = source.amount - source.allocated
    source.undisbursed = source.allocated - source.disbursed
    source.balance = source.amount - source.disbursed
    return source


def allocation_list(
    *,
    user,
    region_code: str | None = None,
    source_id: int | None = None,
    project_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Allocation]:
    """Return the allocations to projects of a region with what was paid out of each."""
    region = region_visible(user=user, code=region_code, perm=VIEW_ALLOCATION)
    rows = Allocation.objects.restrict(user).filter(project__region__code__startswith=region.prefix)
    if source_id:
        rows = rows.filter(source_id=source_id)
    if project_id:
        rows = rows.filter(project_id=project_id)
    if year:
        rows = rows.filter(allocated_on__year=year)
    return (
        rows.select_related("source", "project", "project__region")
        .annotate(disbursed=_sum_of(Disbursement, "allocation", allocation=OuterRef("pk")))
        .annotate(undisbursed=F("amount") - F("disbursed"))
        .order_by("-allocated_on", "-id")
    )


def allocation_get(*, user, allocation_id: int) -> Allocation:
    """Return one allocation in the user's scope, or raise NotFound."""
    allocation = (
        Allocation.objects.select_related("source", "source__region", "project", "project__region")
        .annotate(disbursed=_sum_of(Disbursement, "allocation", allocation=OuterRef("pk")))
        .get_restricted(user, pk=allocation_id)
    )
    allocation.disbursed = cents(allocation.disbursed)
    allocation.undisbursed = allocation.amount - allocation.disbursed
    return allocation


def allocation_disbursements(*, allocation: Allocation) -> QuerySet[Disbursement]:
    """Return the payments out of an allocation (the caller has checked its scope)."""
    return allocation.disbursements.order_by("paid_on", "id")


def _figures(amount=ZERO, allocated=ZERO, disbursed=ZERO) -> dict:
    amount, allocated, disbursed = cents(amount), cents(allocated), cents(disbursed)
    return {
        "amount": amount,
        "allocated": allocated,
        "disbursed": disbursed,
        "unallocated": amount - allocated,
        "undisbursed": allocated - disbursed,
        "balance": amount - disbursed,
    }


def _grouped(sources: QuerySet, key) -> dict:
    """Return {group: figures} of the sources, with `key(path)` the grouping expression."""
    groups: dict = {}
    for model, path, name in (
        (FundSource, "", "amount"),
        (Allocation, "source__", "allocated"),
        (Disbursement, "allocation__source__", "disbursed"),
    ):
        rows = (
            model.objects.filter(**{f"{path}pk__in" if path else "pk__in": sources.values("pk")})
            .annotate(k=key(path))
            .values("k")
            .annotate(s=Sum("amount"))
            .values_list("k", "s")
            .order_by()
        )
        for group, total in rows:
            groups.setdefault(group, {"amount": ZERO, "allocated": ZERO, "disbursed": ZERO})[
                name
            ] = total or ZERO
    return {group: _figures(**values) for group, values in groups.items()}


def fund_balances(*, user, region_code: str | None = None, year: int | None = None) -> dict:
    """Return amount, allocated, disbursed and balances of a region's sources.

    Totals, then by child region (sources of the region itself are the row "本级"), by year and
    by kind. `unallocated` = amount − allocated, `undisbursed` = allocated − disbursed, `balance`
    = amount − disbursed.
    """
    region = region_visible(user=user, code=region_code, perm=VIEW_SOURCE)
    sources = FundSource.objects.restrict(user).filter(region__code__startswith=region.prefix)
    if year:
        sources = sources.filter(year=year)
    children = list(region_children(region=region))
    width = len(children[0].prefix) if children else len(region.prefix)
    by_region = _grouped(sources, lambda p: Substr(f"{p}region_id", 1, width))
    by_year = _grouped(sources, lambda p: F(f"{p}year"))
    by_kind = _grouped(sources, lambda p: F(f"{p}kind"))
    total = _figures(*(sum((g[name] for g in by_kind.values()), ZERO) for name in FIGURES[:3]))
    own = by_region.get(region.code[:width]) if children else None
    kinds = dict(c.FundKind.choices)
    return {
        "region": region.code,
        "name": region.name,
        "year": year,
        **total,
        "own": own,
        "children": [
            {
                "region": child.code,
                "name": child.name,
                **by_region.get(child.code[:width], _figures()),
            }
            for child in children
        ],
        "years": [{"year": y, **by_year[y]} for y in sorted(by_year)],
        "kinds": [
            {"kind": k, "label": str(kinds[k]), **by_kind[k]}
            for k in c.FundKind.values
            if k in by_kind
        ],
    }


# Microcredit --------------------------------------------------------------------------------------


def loan_list(
    *,
    user,
    region_code: str | None = None,
    status: str | None = None,
    overdue_on: dt.date | None = None,
) -> QuerySet[Loan]:
    """Return a region's loans with principal repaid, interest paid and principal outstanding.

    With `overdue_on`, only the loans overdue that day (see `overdue_q`).
    """
    region = region_visible(user=user, code=region_code, perm=VIEW_LOAN)
    rows = Loan.objects.restrict(user).filter(household__village__code__startswith=region.prefix)
    if status:
        rows = rows.filter(status=status)
    repaid = Repayment.objects.filter(loan=OuterRef("pk")).values("loan").order_by()
    rows = (
        rows.select_related("household", "household__village")
        .annotate(
            principal_repaid=Coalesce(
                Subquery(repaid.annotate(s=Sum("principal")).values("s")),
                Value(ZERO),
                output_field=MONEY,
            ),
            interest_paid=Coalesce(
                Subquery(repaid.annotate(s=Sum("interest")).values("s")),
                Value(ZERO),
                output_field=MONEY,
            ),
        )
        .annotate(outstanding=F("amount") - F("principal_repaid"))
    )
    if overdue_on is not None:
        rows = rows.filter(overdue_q(region_code=region.code, on=overdue_on))
    return rows.order_by("due_date", "id")


def overdue_q(*, region_code: str, on: dt.date) -> Q:
    """Return the condition of a loan overdue on a date: past its due date (plus the grace
    days of policy) with principal still outstanding."""
    grace = int(policy_get(LOAN_GRACE_DAYS, region_code=region_code, on=on))
    return Q(due_date__lt=on - dt.timedelta(days=grace), outstanding__gt=0)


def loan_get(*, user, loan_id: int) -> Loan:
    """Return one loan in the user's scope with its repayment figures, or raise NotFound."""
    loan = Loan.objects.select_related("household", "household__village").get_restricted(
        user, pk=loan_id
    )
    totals = loan.repayments.aggregate(p=Sum("principal"), i=Sum("interest"))
    loan.principal_repaid = cents(totals["p"])
    loan.interest_paid = cents(totals["i"])
    loan.outstanding = loan.amount - loan.principal_repaid
    return loan


def loan_is_overdue(*, loan: Loan, on: dt.date) -> bool:
    """Tell whether a loan (with its figures from `loan_get`) is overdue on a date."""
    grace = int(policy_get(LOAN_GRACE_DAYS, region_code=loan.household.village_id, on=on))
    return loan.outstanding > 0 and loan.due_date < on - dt.timedelta(days=grace)
