"""Demo data of funds: sources per county and year, their allocations to the demo projects and the
payments out of them; microcredit loans of some households with repayments, a few overdue.

Proportions follow the bulletin (special funds 330 M, integrated funds 516 M, microcredit 243 M
yuan citywide over the period), scaled to the demo's projects: a project's investment is paid
for by special funds (about 39 %) and integrated funds (the rest), donations now and then top
up; sources hold 3–20 % more than they allocate. Names, numbers and dates are illustrative.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.dates import add_months
from fupin.core.importing import rows_insert
from fupin.funds import choices as c
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan, Repayment
from fupin.projects.choices import FORMED_ASSETS, FUNDABLE, ProjectStatus
from fupin.registry.models import Household

HISTORY_REASON = "demo"
CENT = Decimal("0.01")
SPECIAL_SHARE = Decimal(330) / Decimal(330 + 516)
LEVELS = (
    (c.FundLevel.CENTRAL, 50),
    (c.FundLevel.PROVINCIAL, 25),
    (c.FundLevel.CITY, 10),
    (c.FundLevel.COUNTY, 15),
)
# Projects funded once approved, disposed ones too (they were funded before); paid in full once
# their assets are formed.
FUNDED_STATES = {*FUNDABLE, ProjectStatus.DISPOSED}
PAID_IN_FULL = {*FORMED_ASSETS, ProjectStatus.DISPOSED}
# The moves of a project whose dates the demo's money follows.
MILESTONES = (
    ProjectStatus.APPROVED,
    ProjectStatus.BUILDING,
    ProjectStatus.ACCEPTED,
    ProjectStatus.OPERATING,
)
BANKS = ("滕州农商银行", "枣庄农商银行", "中国农业银行枣庄分行", "中国邮政储蓄银行枣庄分行")
MICROCREDIT_PER_SPECIAL = Decimal(243) / Decimal(330)
LOAN_SHARE = 0.08  # of the households needing help
LAST_DAY = dt.date(2020, 12, 31)


@dataclass
class FundsDemoSummary:
    sources: int = 0
    allocations: int = 0
    disbursements: int = 0
    loans: int = 0
    repayments: int = 0
    overdue: int = 0


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def project_dates() -> dict[int, dict[str, dt.date]]:
    """Return {project id: {status: date entered}} from the projects' moves (one query)."""
    from fupin.projects.models import ProjectMove

    dates: dict[int, dict[str, dt.date]] = {}
    for project_id, status, when in (
        ProjectMove.objects.filter(to_status__in=MILESTONES)
        .values_list("project_id", "to_status", "created_at")
        .order_by("project_id", "created_at")
    ):
        dates.setdefault(project_id, {}).setdefault(status, timezone.localtime(when).date())
    return dates


def funds_demo_load(*, seed: int, actor=None) -> FundsDemoSummary:
    """Write the demo's fund sources, allocations, disbursements, loans and repayments."""
    from fupin.projects.models import Project

    rng = random.Random(seed * 17 + 11)
    summary = FundsDemoSummary()
    now = timezone.now()
    dates = project_dates()
    projects = list(
        Project.objects.filter(status__in=FUNDED_STATES, region__code__startswith="3704")
        .values_list("pk", "region_id", "year", "status", "total_investment")
        .order_by("pk")
    )

    # Each funded project's investment: special (one level) + integrated, a donation now and then.
    wanted: dict[tuple, Decimal] = {}  # (county, year, kind, level) -> allocated
    plan = []  # (project, key, amount, allocated_on)
    for pk, region, year, status, investment in projects:
        approved = dates.get(pk, {}).get("approved") or dt.date(year, 4, 1)
        special = _money(investment * SPECIAL_SHARE)
        level = rng.choices([lv for lv, _w in LEVELS], [w for _lv, w in LEVELS])[0].value
        parts = [((c.FundKind.SPECIAL.value, level), special)]
        parts.append(((c.FundKind.INTEGRATED.value, ""), investment - special))
        if rng.random() < 0.1:
            parts.append(((c.FundKind.DONATION.value, ""), _money(rng.randrange(20, 100) * 1000)))
        for (kind, lv), amount in parts:
            if amount <= 0:
                continue
            key = (region[:6], approved.year, kind, lv)
            wanted[key] = wanted.get(key, Decimal(0)) + amount
            plan.append((pk, status, key, amount, approved + dt.timedelta(days=10)))

    # Loans first, so that the microcredit source of a county and year covers them.
    loans = _loan_rows(rng)
    for _household, village, _bank, amount, start, *_rest in loans:
        key = (village[:6], start.year, c.FundKind.MICROCREDIT.value, "")
        wanted[key] = wanted.get(key, Decimal(0)) + amount

    # The microcredit line of a county and year follows the bulletin (243 M against 330 M of
    # special funds) and always covers the loans made.
    special: dict[tuple, Decimal] = {}
    for (county, year, kind, _level), allocated in wanted.items():
        if kind == c.FundKind.SPECIAL:
            special[(county, year)] = special.get((county, year), Decimal(0)) + allocated
    for (county, year), total in special.items():
        key = (county, year, c.FundKind.MICROCREDIT.value, "")
        wanted[key] = max(wanted.get(key, Decimal(0)), _money(total * MICROCREDIT_PER_SPECIAL))
    before = last_pk(FundSource)
    source_rows = []
    for serial, ((county, year, kind, level), allocated) in enumerate(sorted(wanted.items()), 1):
        spare = Decimal(str(round(rng.uniform(1.03, 1.2), 2)))
        amount = (allocated * spare / 10000).quantize(Decimal(1)) * 10000
        amount = max(amount, allocated.quantize(Decimal(1)) + 1)
        source_rows.append(
            (
                kind,
                level,
                year,
                f"{county}000000",
                _money(amount),
                f"{'鲁' if level in ('central', 'provincial') else '枣'}财农指〔{year}〕{serial}号",
                "",
                now,
            )
        )
    rows_insert(
        FundSource._meta.db_table,
        ["kind", "level", "year", "region_code", "amount", "document_no", "note", "created_at"],
        source_rows,
    )
    source_ids = {
        (region[:6], year, kind, level): pk
        for pk, region, year, kind, level in FundSource.objects.filter(pk__gt=before).values_list(
            "pk", "region_id", "year", "kind", "level"
        )
    }
    summary.sources = len(source_ids)

    allocation_before = last_pk(Allocation)
    rows_insert(
        Allocation._meta.db_table,
        ["source_id", "project_id", "amount", "allocated_on", "document_no", "note", "created_at"],
        (
            (source_ids[key], pk, amount, on, f"{key[0]}扶指〔{on.year}〕{i + 1}号", "", now)
            for i, (pk, _status, key, amount, on) in enumerate(plan)
        ),
    )
    allocations = list(
        Allocation.objects.filter(pk__gt=allocation_before)
        .values_list("pk", "project_id", "amount", "allocated_on")
        .order_by("pk")
    )
    summary.allocations = len(allocations)
    status_of = {pk: status for pk, _r, _y, status, _i in projects}

    # Payments: half while building; in full, in two payments, by acceptance.
    payments = []
    for allocation_id, project_id, amount, allocated_on in allocations:
        status = status_of[project_id]
        if status == "approved":
            continue
        started = dates.get(project_id, {}).get("building") or allocated_on + dt.timedelta(days=20)
        first_day = max(started, allocated_on) + dt.timedelta(days=5)
        first = _money(amount * Decimal("0.4")) if status in PAID_IN_FULL else _money(amount / 2)
        payments.append((allocation_id, first, first_day))
        if status in PAID_IN_FULL:
            accepted = dates.get(project_id, {}).get("accepted") or first_day + dt.timedelta(
                days=90
            )
            second_day = max(first_day, accepted - dt.timedelta(days=10))
            payments.append((allocation_id, amount - first, second_day))
    disbursement_before = last_pk(Disbursement)
    rows_insert(
        Disbursement._meta.db_table,
        ["allocation_id", "amount", "voucher_no", "paid_on", "note", "created_at"],
        (
            (allocation_id, amount, f"记{day:%Y%m}-{i + 1:05d}", day, "", now)
            for i, (allocation_id, amount, day) in enumerate(payments)
        ),
    )
    summary.disbursements = len(payments)

    loan_before = last_pk(Loan)
    rows_insert(
        Loan._meta.db_table,
        [
            "household_id",
            "bank",
            "contract_no",
            "amount",
            "start_date",
            "term_months",
            "due_date",
            "rate",
            "subsidy_rate",
            "subsidy_amount",
            "status",
            "repaid_on",
            "note",
            "created_at",
        ],
        (
            (
                household_id,
                bank,
                f"FP{start:%Y}{i + 1:06d}",
                amount,
                start,
                term,
                due,
                rate,
                subsidy,
                None,
                status,
                repaid_on,
                "",
                now,
            )
            for i, (
                household_id,
                _v,
                bank,
                amount,
                start,
                term,
                due,
                rate,
                subsidy,
                status,
                repaid_on,
                _r,
            ) in enumerate(loans)
        ),
    )
    loan_ids = list(
        Loan.objects.filter(pk__gt=loan_before).order_by("pk").values_list("pk", flat=True)
    )
    repayments = []
    for loan_id, row in zip(loan_ids, loans, strict=True):
        for paid_on, principal, interest in row[-1]:
            repayments.append((loan_id, paid_on, principal, interest))
    repayment_before = last_pk(Repayment)
    rows_insert(
        Repayment._meta.db_table,
        ["loan_id", "paid_on", "principal", "interest", "voucher_no", "created_at"],
        (
            (loan_id, day, principal, interest, f"还{day:%Y%m%d}-{i + 1:05d}", now)
            for i, (loan_id, day, principal, interest) in enumerate(repayments)
        ),
    )
    summary.loans = len(loan_ids)
    summary.repayments = len(repayments)
    summary.overdue = sum(1 for row in loans if row[9] == c.LoanStatus.ACTIVE)

    for model, last in (
        (FundSource, before),
        (Allocation, allocation_before),
        (Disbursement, disbursement_before),
        (Loan, loan_before),
        (Repayment, repayment_before),
    ):
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    return summary


def _loan_rows(rng: random.Random) -> list[tuple]:
    """Return the demo loans with their repayments, all due by the end of 2020.

    (household id, village, bank, amount, start, term, due, rate, subsidy rate, status,
    repaid on, [(paid on, principal, interest)]). Nine in ten are repaid on time with yearly
    interest; the rest are partly repaid or not at all (overdue).
    """
    from fupin.pairing.services import needing_q

    households = list(
        Household.objects.filter(needing_q(), village__code__startswith="3704")
        .values_list("pk", "village_id")
        .order_by("pk")
    )
    rows = []
    rate = Decimal("0.0435")
    for pk, village in households:
        if rng.random() >= LOAN_SHARE:
            continue
        amount = _money(rng.randrange(2, 11) * 5000)
        term = rng.choice((12, 24, 36))
        latest = add_months(LAST_DAY, -term)
        start = dt.date(2016, 3, 1) + dt.timedelta(
            days=rng.randrange((latest - dt.date(2016, 3, 1)).days)
        )
        due = add_months(start, term)
        repayments = []
        for year in range(1, term // 12 + 1):
            repayments.append(
                (add_months(start, 12 * year), Decimal("0.00"), _money(amount * rate))
            )
        fate = rng.random()
        status, repaid_on = c.LoanStatus.ACTIVE.value, None
        if fate < 0.9:
            day, _p, interest = repayments.pop()
            repayments.append((day, amount, interest))
            status, repaid_on = c.LoanStatus.REPAID.value, day
        elif fate < 0.95:
            day, _p, interest = repayments.pop()
            repayments.append((day, _money(amount * Decimal("0.4")), interest))
        else:
            repayments.pop()
        rows.append(
            (
                pk,
                village,
                rng.choice(BANKS),
                amount,
                start,
                term,
                due,
                rate,
                rate,
                status,
                repaid_on,
                repayments,
            )
        )
    return rows


def funds_demo_step(context) -> None:
    """Demo step: fund sources, allocations to the projects, payments and microcredit loans."""
    funds_demo_load(seed=context.seed, actor=context.actor)
