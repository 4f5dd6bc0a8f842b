"""Writes of operators (经营主体), their qualification, and operating contracts."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as NumberError

from fupin.core.errors import Conflict, InvalidInput, NotFound, Refused
from fupin.core.services import event_record, history_attribute
from fupin.projects import choices as c
from fupin.projects.models import OperatingContract, Operator, Project
from fupin.projects.services.common import _locked, _money, _region, _require, _scoped, _user


def licence_validate(value: str) -> str:
    """Return the unified social credit code in its compact form, or refuse it."""
    try:
        return uscc.validate(value)
    except NumberError:
        raise InvalidInput(
            {"licence_no": _("统一社会信用代码不正确")}, {"licence_no": "invalid_licence_no"}
        ) from None


@transaction.atomic
def operator_add(
    *,
    name: str,
    kind: str,
    licence_no: str,
    region_code: str,
    actor,
    registered_capital: Decimal | str | int = 0,
    credit_clean: bool = True,
    credit_record: str = "",
    legal_person: str = "",
) -> Operator:
    """Register an operator (经营主体); its licence number must be a valid credit code."""
    region = _region(region_code, actor)
    _require(actor, c.OPERATOR_ROLES, "projects.add_operator", region)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("必填")
    if kind not in c.OperatorKind.values:
        errors["kind"] = _("类型不正确")
    capital = _money({"registered_capital": registered_capital}, "registered_capital", errors)
    if errors:
        raise InvalidInput(errors)
    number = licence_validate(licence_no)
    if Operator.objects.filter(licence_no=number).exists():
        raise Conflict("operator_exists", _("该统一社会信用代码已登记"), {"licence_no": number})
    operator = Operator(
        name=name.strip(),
        kind=kind,
        licence_no=number,
        region=region,
        registered_capital=capital,
        credit_clean=credit_clean,
        credit_record=credit_record.strip(),
        legal_person=legal_person.strip(),
    )
    history_attribute(operator, actor)
    operator.save()
    event_record(actor=actor, verb="project.operator_added", obj=operator)
    return operator


@transaction.atomic
def operator_qualify(*, operator: Operator | int, actor, note: str = "") -> Operator:
    """Approve an operator's qualification: valid licence, clean credit, capital registered."""
    pk = operator.pk if isinstance(operator, Operator) else operator
    try:
        operator = _scoped(Operator, actor).select_for_update().get(pk=pk)
    except Operator.DoesNotExist:
        raise NotFound("operator", {"id": pk}) from None
    _require(actor, c.QUALIFY_ROLES, "projects.qualify_operator", operator)
    if operator.qualified:
        raise Conflict("operator_qualified", _("该经营主体已通过资格审核"), {})
    licence_validate(operator.licence_no)
    if not operator.credit_clean:
        raise Refused(
            "operator_credit_bad",
            _("经营主体有不良信用记录，不能通过资格审核"),
            {"credit_record": operator.credit_record},
        )
    if operator.registered_capital <= 0:
        raise Refused("operator_capital_missing", _("经营主体未登记注册资本"), {})
    operator.qualified_by = _user(actor)
    operator.qualified_at = timezone.now()
    history_attribute(operator, actor, note)
    operator.save(update_fields=["qualified_by", "qualified_at"])
    event_record(actor=actor, verb="project.operator_qualified", obj=operator, reason=note)
    return operator


def current_contract(*, project: Project, on: dt.date) -> OperatingContract | None:
    """Return the project's contract in force on the date (the latest one that started)."""
    return (
        project.contracts.filter(start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("operator")
        .order_by("-start_date", "-id")
        .first()
    )


@transaction.atomic
def contract_add(
    *,
    project: Project | int,
    operator: Operator | int,
    kind: str,
    start_date: dt.date,
    annual_amount: Decimal | str,
    actor,
    end_date: dt.date | None = None,
    contract_no: str = "",
) -> OperatingContract:
    """Sign an operating contract (lease, shares or cooperative) with a qualified operator."""
    project = _locked(project, actor)
    _require(actor, c.CONTRACT_ROLES, "projects.change_project_records", project)
    if project.status not in c.CONTRACTABLE:
        raise Conflict(
            "project_not_accepted",
            _("项目验收后方可签订经营合同"),
            {"status": project.status},
        )
    operator_pk = operator.pk if isinstance(operator, Operator) else operator
    operator = _scoped(Operator, actor).filter(pk=operator_pk).first()
    if operator is None:
        raise NotFound("operator", {"id": operator_pk})
    errors: dict[str, str] = {}
    if kind not in c.ContractKind.values:
        errors["kind"] = _("经营方式不正确")
    amount = _money({"annual_amount": annual_amount}, "annual_amount", errors)
    if start_date is None:
        errors["start_date"] = _("必填")
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = _("结束日期不能早于开始日期")
    if errors:
        raise InvalidInput(errors)
    if not operator.qualified:
        raise Refused(
            "operator_not_qualified",
            _("经营主体尚未通过资格审核"),
            {"operator": operator.pk},
        )
    contract = OperatingContract(
        project=project,
        operator=operator,
        kind=kind,
        contract_no=contract_no.strip(),
        start_date=start_date,
        end_date=end_date,
        annual_amount=amount,
    )
    history_attribute(contract, actor)
    contract.save()
    event_record(
        actor=actor,
        verb="project.contract_added",
        obj=project,
        data={"contract": contract.pk, "operator": operator.pk, "kind": kind},
    )
    return contract
