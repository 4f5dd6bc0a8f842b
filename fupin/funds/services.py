"""Writes of funds: sources, allocations to projects, disbursements, microcredit loans and repayments.

An allocation locks its source row and a disbursement its allocation row (SELECT … FOR UPDATE),
so two concurrent writes cannot both pass the check that the total stays within the amount.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.core.dates import add_months
from fupin.core.errors import Conflict, FieldProblems, NotFound, Refused
from fupin.core.inputs import date_required, money, required_text
from fupin.core.permissions import authorize
from fupin.core.services import event_record, history_attribute
from fupin.core.states import transition_check
from fupin.funds import choices as c
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan, Repayment
from fupin.policy.selectors import policy_get
from fupin.projects.choices import FUNDABLE
from fupin.regions.models import Region
from fupin.regions.selectors import region_get
from fupin.registry.models import Household

LOAN_MAX_AMOUNT = "funds.loan_max_amount"
LOAN_MAX_TERM = "funds.loan_max_term_months"
LOAN_ELIGIBLE_CATEGORIES = "funds.loan_eligible_categories"


def _save(obj, *, actor) -> None:
    history_attribute(obj, actor)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


# Sources ------------------------------------------------------------------------------------------


@transaction.atomic
def source_add(
    *,
    kind: str,
    year: int,
    region_code: str,
    amount,
    level: str = "",
    document_no: str = "",
    note: str = "",
    actor,
) -> FundSource:
    """Record an amount of a kind of fund received by a region for a year."""
    region = (
        Region.objects.get(code=region_code)
        if actor is None
        else region_get(user=actor, code=region_code)
    )
    authorize(
        actor,
        region,
        view="funds.view_fundsource",
        act="funds.add_fundsource",
        what="region",
        details={"code": region_code},
    )
    problems = FieldProblems()
    if kind not in c.FundKind.values:
        problems.add("kind", "unknown_choice", _("资金类型不正确"))
    if kind == c.FundKind.SPECIAL and level not in c.FundLevel.values:
        problems.add("level", "required", _("财政专项扶贫资金须注明中央、省、市或县级"))
    if kind != c.FundKind.SPECIAL and level:
        problems.add("level", "only_special", _("只有财政专项扶贫资金注明级次"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.add("year", "invalid_year", _("年度不正确"))
    value = money(amount, "amount", problems)
    if len(document_no or "") > 64:
        problems.add("document_no", "too_long", _("内容过长"))
    problems.raise_any()
    source = FundSource(
        kind=kind,
        level=level or "",
        year=year,
        region=region,
        amount=value,
        document_no=(document_no or "").strip(),
        note=(note or "").strip()[:200],
    )
    _save(source, actor=actor)
    event_record(
        actor=actor,
        verb="funds.source_added",
        obj=source,
        data={"kind": kind, "level": level, "year": year, "amount": str(value)},
    )
    return source


# Allocations --------------------------------------------------------------------------------------


def source_allocated(source_id: int) -> Decimal:
    """Return what has been allocated out of a source."""
    return Allocation.objects.filter(source_id=source_id).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal("0")


@transaction.atomic
def allocation_add(
    *,
    source_id: int,
    project_id: int,
    amount,
    allocated_on,
    document_no: str = "",
    note: str = "",
    actor,
) -> Allocation:
    """Assign part of a source to a project; the source's allocations never exceed its amount."""
    from fupin.projects.models import Project

    # The source row is the lock: a second allocation waits here until the first commits.
    source = FundSource.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        raise NotFound("fund_source", {"source_id": source_id})
    authorize(
        actor,
        source,
        view="funds.view_fundsource",
        act="funds.add_allocation",
        what="fund_source",
        details={"source_id": source_id},
    )
    projects = Project.objects.all() if actor is None else Project.objects.restrict(actor)
    project = projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound("project", {"project_id": project_id})
    problems = FieldProblems()
    value = money(amount, "amount", problems)
    day = date_required(allocated_on, "allocated_on", problems)
    problems.raise_any()
    if not project.region_id.startswith(source.region.prefix):
        raise Refused(
            "project_outside_source_region",
            _("项目不在该资金所属区划内"),
            {"source_region": source.region_id, "project_region": project.region_id},
        )
    # Projects receive money once approved; not while being decided on, nor once rejected or disposed.
    if project.status not in FUNDABLE:
        raise Conflict(
            "project_not_approved",
            _("项目尚未审批或已驳回、已处置，不能下达资金"),
            {"project_id": project.pk, "status": project.status},
        )
    allocated = source_allocated(source.pk)
    if allocated + value > source.amount:
        raise Conflict(
            "fund_overspent",
            _("下达金额超过资金来源的可用余额"),
            {
                "source_id": source.pk,
                "amount": str(source.amount),
                "allocated": str(allocated),
                "available": str(source.amount - allocated),
                "asked": str(value),
            },
        )
    allocation = Allocation(
        source=source,
        project=project,
        amount=value,
        allocated_on=day,
        document_no=(document_no or "").strip()[:64],
        note=(note or "").strip()[:200],
    )
    _save(allocation, actor=actor)
    event_record(
        actor=actor,
        verb="funds.allocated",
        obj=allocation,
        data={"source_id": source.pk, "project_id": project.pk, "amount": str(value)},
    )
    return allocation


# Disbursements ------------------------------------------------------------------------------------


def allocation_disbursed(allocation_id: int) -> Decimal:
    """Return what has been paid out of an allocation."""
    return Disbursement.objects.filter(allocation_id=allocation_id).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal("0")


@transaction.atomic
def disbursement_add(
    *, allocation_id: int, amount, voucher_no: str, paid_on, note: str = "", actor
) -> Disbursement:
    """Pay out of an allocation with a voucher; payments never exceed what was allocated."""
    # Only the allocation row is locked (a join would lock the project's row too).
    allocation = Allocation.objects.select_for_update().filter(pk=allocation_id).first()
    if allocation is None:
        raise NotFound("allocation", {"allocation_id": allocation_id})
    authorize(
        actor,
        allocation,
        view="funds.view_allocation",
        act="funds.add_disbursement",
        what="allocation",
        details={"allocation_id": allocation_id},
    )
    problems = FieldProblems()
    value = money(amount, "amount", problems)
    voucher = required_text(voucher_no, "voucher_no", problems)
    day = date_required(paid_on, "paid_on", problems)
    problems.raise_any()
    if day < allocation.allocated_on:
        raise Refused(
            "paid_before_allocated",
            _("拨付日期早于资金下达日期"),
            {"allocated_on": allocation.allocated_on.isoformat(), "paid_on": day.isoformat()},
        )
    if Disbursement.objects.filter(allocation=allocation, voucher_no=voucher).exists():
        raise Conflict(
            "voucher_duplicate",
            _("该凭证号已登记过拨付"),
            {"voucher_no": voucher},
        )
    disbursed = allocation_disbursed(allocation.pk)
    if disbursed + value > allocation.amount:
        raise Conflict(
            "disbursement_exceeds_allocation",
            _("拨付金额超过已下达未拨付的金额"),
            {
                "allocation_id": allocation.pk,
                "allocated": str(allocation.amount),
                "disbursed": str(disbursed),
                "available": str(allocation.amount - disbursed),
                "asked": str(value),
            },
        )
    disbursement = Disbursement(
        allocation=allocation,
        amount=value,
        voucher_no=voucher,
        paid_on=day,
        note=(note or "").strip()[:200],
    )
    _save(disbursement, actor=actor)
    event_record(
        actor=actor,
        verb="funds.disbursed",
        obj=disbursement,
        data={"allocation_id": allocation.pk, "amount": str(value), "voucher_no": voucher},
    )
    return disbursement


# Microcredit --------------------------------------------------------------------------------------


@transaction.atomic
def loan_add(
    *,
    household_no: str,
    bank: str,
    amount,
    start_date,
    term_months: int,
    rate,
    subsidy_rate=None,
    subsidy_amount=None,
    contract_no: str = "",
    note: str = "",
    actor,
) -> Loan:
    """Record a microcredit loan to a household, repaid in one sum at the end of its term."""
    households = Household.objects.all() if actor is None else Household.objects.restrict(actor)
    household = households.filter(household_no=household_no).first()
    if household is None:
        raise NotFound("household", {"household_no": household_no})
    authorize(
        actor,
        household,
        view="funds.view_loan",
        act="funds.add_loan",
        what="household",
        details={"household_no": household_no},
    )
    problems = FieldProblems()
    bank_name = required_text(bank, "bank", problems, max_length=100)
    value = money(amount, "amount", problems)
    start = date_required(start_date, "start_date", problems)
    if not isinstance(term_months, int) or term_months < 1:
        problems.add("term_months", "not_positive", _("期限应为正整数（月）"))
    annual = _rate(rate, "rate", problems, required=True)
    sub_rate = _rate(subsidy_rate, "subsidy_rate", problems, required=False)
    sub_amount = (
        None
        if subsidy_amount in (None, "")
        else money(subsidy_amount, "subsidy_amount", problems, allow_zero=True)
    )
    if sub_rate is not None and sub_amount is not None:
        problems.add("subsidy_amount", "one_subsidy", _("贴息按利率或按金额，只能填一项"))
    if sub_rate is not None and annual is not None and sub_rate > annual:
        problems.add("subsidy_rate", "above_rate", _("贴息利率不能高于贷款利率"))
    problems.raise_any()
    if household.removal_reason:
        raise Conflict(
            "household_removed",
            _("该户已清退或自然减少"),
            {"household_no": household_no},
        )
    eligible = policy_get(LOAN_ELIGIBLE_CATEGORIES, region_code=household.village_id, on=start)
    if household.support_category not in eligible:
        raise Refused(
            "loan_household_not_eligible",
            _("该户的帮扶类别（%(category)s）不在扶贫小额信贷的支持范围内")
            % {"category": household.get_support_category_display()},
            {
                "household_no": household_no,
                "category": household.support_category,
                "eligible": list(eligible),
            },
        )
    limit = policy_get(LOAN_MAX_AMOUNT, region_code=household.village_id, on=start)
    if value > limit:
        raise Refused(
            "loan_over_limit",
            _("贷款金额超过扶贫小额信贷的额度上限"),
            {"amount": str(value), "limit": str(limit)},
        )
    longest = policy_get(LOAN_MAX_TERM, region_code=household.village_id, on=start)
    if term_months > longest:
        raise Refused(
            "loan_term_too_long",
            _("贷款期限超过扶贫小额信贷的期限上限"),
            {"term_months": term_months, "limit": longest},
        )
    loan = Loan(
        household=household,
        bank=bank_name,
        contract_no=(contract_no or "").strip()[:64],
        amount=value,
        start_date=start,
        term_months=term_months,
        due_date=add_months(start, term_months),
        rate=annual,
        subsidy_rate=sub_rate,
        subsidy_amount=sub_amount,
        note=(note or "").strip()[:200],
    )
    _save(loan, actor=actor)
    event_record(
        actor=actor,
        verb="funds.loan_added",
        obj=loan,
        data={"household_no": household_no, "amount": str(value), "term_months": term_months},
    )
    return loan


def _rate(value, field: str, problems: FieldProblems, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            problems.add(field, "required", _("必填"))
        return None
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.add(field, "not_a_number", _("应为利率（如 0.0435）"))
        return None
    if not rate.is_finite() or rate < 0 or rate > 1 or rate != rate.quantize(Decimal("0.0001")):
        problems.add(field, "invalid_rate", _("利率应在 0 到 1 之间，最多四位小数"))
        return None
    return rate


def loan_principal_repaid(loan_id: int) -> Decimal:
    """Return the principal repaid on a loan."""
    return Repayment.objects.filter(loan_id=loan_id).aggregate(s=Sum("principal"))["s"] or Decimal(
        "0"
    )


@transaction.atomic
def repayment_add(
    *, loan_id: int, paid_on, voucher_no: str, principal=0, interest=0, actor
) -> Repayment:
    """Record a repayment; the loan is settled when its principal is repaid in full."""
    loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("loan", {"loan_id": loan_id})
    authorize(
        actor,
        loan,
        view="funds.view_loan",
        act="funds.add_repayment",
        what="loan",
        details={"loan_id": loan_id},
    )
    problems = FieldProblems()
    capital = money(principal or 0, "principal", problems, allow_zero=True)
    paid_interest = money(interest or 0, "interest", problems, allow_zero=True)
    voucher = required_text(voucher_no, "voucher_no", problems)
    day = date_required(paid_on, "paid_on", problems)
    if capital == 0 and paid_interest == 0:
        problems.add("principal", "not_positive", _("本金和利息不能都为零"))
    problems.raise_any()
    if day < loan.start_date:
        raise Refused(
            "paid_before_loan",
            _("还款日期早于放款日期"),
            {"start_date": loan.start_date.isoformat(), "paid_on": day.isoformat()},
        )
    if loan.status == c.LoanStatus.REPAID and capital > 0:
        raise Conflict("loan_settled", _("该笔贷款已结清"), {"loan_id": loan.pk})
    if Repayment.objects.filter(loan=loan, voucher_no=voucher).exists():
        raise Conflict("voucher_duplicate", _("该凭证号已登记过还款"), {"voucher_no": voucher})
    repaid = loan_principal_repaid(loan.pk)
    if repaid + capital > loan.amount:
        raise Conflict(
            "repayment_exceeds_principal",
            _("还款本金超过未还本金"),
            {
                "loan_id": loan.pk,
                "amount": str(loan.amount),
                "repaid": str(repaid),
                "outstanding": str(loan.amount - repaid),
                "asked": str(capital),
            },
        )
    repayment = Repayment(
        loan=loan, paid_on=day, principal=capital, interest=paid_interest, voucher_no=voucher
    )
    _save(repayment, actor=actor)
    if repaid + capital == loan.amount and loan.status != c.LoanStatus.REPAID:
        # Settling is the system's move, brought about by the repayment (whoever records it).
        transition_check(
            c.TRANSITIONS, loan.status, c.LoanStatus.REPAID, role=None, details={"loan": loan.pk}
        )
        loan.status = c.LoanStatus.REPAID
        loan.repaid_on = day
        _save(loan, actor=actor)
    event_record(
        actor=actor,
        verb="funds.repaid",
        obj=repayment,
        data={
            "loan_id": loan.pk,
            "principal": str(capital),
            "interest": str(paid_interest),
            "settled": loan.status == c.LoanStatus.REPAID,
        },
    )
    return repayment
