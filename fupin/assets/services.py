"""Writes of assets: registering an asset with what funded it, and its income (docs/decisions/0029).

Funding rule: the fund part of an asset's value never exceeds the value (the rest is the
village's or households' own contribution), and a source funds an asset of a project only with
money already paid out of that source to that project by the asset's date and not yet turned
into another asset. The project row is locked while this is checked.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.assets import choices as c
from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.core.errors import Conflict, FieldProblems, NotFound, Refused
from fupin.core.inputs import date_required, money, required_text
from fupin.core.permissions import authorize
from fupin.core.services import event_record, history_attribute
from fupin.funds.models import Disbursement, FundSource
from fupin.projects.choices import FORMED_ASSETS
from fupin.regions.models import Region
from fupin.regions.selectors import region_get
from fupin.registry.models import Household

ZERO = Decimal("0.00")


def _save(obj, *, actor) -> None:
    history_attribute(obj, actor)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


def _project_locked(project_id: int, actor):
    from fupin.projects.models import Project

    projects = Project.objects.all() if actor is None else Project.objects.restrict(actor)
    # The project row serialises the funding checks of its assets.
    project = projects.select_for_update(of=("self",)).filter(pk=project_id).first()
    if project is None:
        raise NotFound("project", {"project_id": project_id})
    return project


def funding_available(*, project_id: int, source_id: int, on: dt.date) -> Decimal:
    """Return what a source paid to a project up to a date and no asset has taken yet."""
    paid = (
        Disbursement.objects.filter(
            allocation__project_id=project_id, allocation__source_id=source_id, paid_on__lte=on
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    taken = (
        AssetFunding.objects.filter(asset__project_id=project_id, source_id=source_id).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    return paid - taken


def _fund(*, asset: Asset, fundings: list[dict], actor) -> list[AssetFunding]:
    """Check and write the fundings of an asset (the caller holds the project's lock)."""
    if not fundings:
        return []
    if asset.project_id is None:
        raise Refused(
            "funding_needs_project",
            _("只有项目形成的资产才能登记资金来源"),
            {"asset_id": asset.pk},
        )
    problems = FieldProblems()
    parsed: list[tuple[int, Decimal]] = []
    for i, item in enumerate(fundings):
        value = money(item.get("amount"), f"fundings.{i}.amount", problems)
        source_id = item.get("source_id")
        if not isinstance(source_id, int):
            problems.add(f"fundings.{i}.source_id", "required", _("必填"))
        elif value is not None:
            parsed.append((source_id, value))
    if len({s for s, _v in parsed}) != len(parsed):
        problems.add("fundings", "duplicate_source", _("同一资金来源只能填一次"))
    problems.raise_any()
    existing = set(asset.fundings.values_list("source_id", flat=True))
    already = asset.fundings.aggregate(s=Sum("amount"))["s"] or ZERO
    total = already + sum((v for _s, v in parsed), ZERO)
    if total > asset.value:
        raise Refused(
            "funding_exceeds_value",
            _("资金来源合计超过资产价值"),
            {"value": str(asset.value), "funded": str(total)},
        )
    rows = []
    for source_id, value in parsed:
        # Only a source that was allocated to the asset's project can have paid for it.
        source = FundSource.objects.filter(
            pk=source_id, allocations__project_id=asset.project_id
        ).first()
        if source is None:
            raise NotFound("fund_source", {"source_id": source_id})
        if source_id in existing:
            raise Conflict(
                "funding_duplicate",
                _("该资金来源已登记"),
                {"asset_id": asset.pk, "source_id": source_id},
            )
        available = funding_available(
            project_id=asset.project_id, source_id=source_id, on=asset.formed_on
        )
        if value > available:
            raise Conflict(
                "funding_exceeds_disbursed",
                _("该资金来源拨付给项目的金额不足以形成此资产"),
                {"source_id": source_id, "available": str(available), "asked": str(value)},
            )
        funding = AssetFunding(asset=asset, source=source, amount=value)
        _save(funding, actor=actor)
        rows.append(funding)
    return rows


@transaction.atomic
def asset_add(
    *,
    name: str,
    category: str,
    owner_kind: str,
    village_code: str,
    value,
    formed_on,
    project_id: int | None = None,
    household_no: str | None = None,
    location: str = "",
    note: str = "",
    fundings: list[dict] = (),
    actor,
) -> Asset:
    """Register an asset of a village collective or a household, with the funds that paid for it."""
    village = (
        Region.objects.filter(code=village_code).first()
        if actor is None
        else region_get(user=actor, code=village_code)
    )
    if village is None:
        raise NotFound("region", {"code": village_code})
    authorize(
        actor,
        village,
        view="assets.view_asset",
        act="assets.add_asset",
        what="region",
        details={"code": village_code},
    )
    problems = FieldProblems()
    title = required_text(name, "name", problems, max_length=100)
    if category not in c.AssetCategory.values:
        problems.add("category", "unknown_choice", _("资产类别不正确"))
    if owner_kind not in c.OwnerKind.values:
        problems.add("owner_kind", "unknown_choice", _("产权归属不正确"))
    amount = money(value, "value", problems)
    day = date_required(formed_on, "formed_on", problems)
    household = None
    if owner_kind == c.OwnerKind.HOUSEHOLD:
        if not household_no:
            problems.add("household_no", "required", _("归农户所有的资产须填写户编号"))
        else:
            household = Household.objects.filter(
                household_no=household_no, village_id=village.code
            ).first()
            if household is None:
                problems.add("household_no", "not_in_village", _("该村没有此户"))
    elif household_no:
        problems.add("household_no", "village_owned", _("村集体资产不填户编号"))
    problems.raise_any()
    project = None
    if project_id is not None:
        project = _project_locked(project_id, actor)
        if not village.code.startswith(project.region.prefix):
            raise Refused(
                "asset_outside_project_region",
                _("资产所在村不在项目实施区划内"),
                {"project_region": project.region_id, "village": village.code},
            )
        # Assets are registered at acceptance (验收) and later; not while a project is being built.
        if project.status not in FORMED_ASSETS:
            raise Conflict(
                "project_not_accepted",
                _("项目验收后才能登记其形成的资产"),
                {"project_id": project.pk, "status": project.status},
            )
    asset = Asset(
        project=project,
        name=title,
        category=category,
        owner_kind=owner_kind,
        village=village,
        household=household,
        value=amount,
        formed_on=day,
        location=(location or "").strip()[:200],
        note=(note or "").strip()[:200],
    )
    _save(asset, actor=actor)
    rows = _fund(asset=asset, fundings=list(fundings), actor=actor)
    event_record(
        actor=actor,
        verb="assets.asset_added",
        obj=asset,
        data={
            "project_id": project_id,
            "value": str(amount),
            "fundings": [{"source_id": f.source_id, "amount": str(f.amount)} for f in rows],
        },
    )
    return asset


@transaction.atomic
def asset_funding_add(*, asset_id: int, source_id: int, amount, actor) -> AssetFunding:
    """Add the part of an asset's value paid by one more fund source."""
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("asset", {"asset_id": asset_id})
    authorize(
        actor,
        asset,
        view="assets.view_asset",
        act="assets.add_asset",
        what="asset",
        details={"asset_id": asset_id},
    )
    if asset.project_id is not None:
        _project_locked(asset.project_id, None)
    asset = Asset.objects.select_for_update().get(pk=asset_id)
    (funding,) = _fund(
        asset=asset, fundings=[{"source_id": source_id, "amount": amount}], actor=actor
    )
    event_record(
        actor=actor,
        verb="assets.funding_added",
        obj=asset,
        data={"source_id": source_id, "amount": str(funding.amount)},
    )
    return funding


@transaction.atomic
def income_add(
    *,
    asset_id: int,
    kind: str,
    period_start,
    period_end,
    amount,
    received_on,
    voucher_no: str,
    note: str = "",
    actor,
) -> IncomeEntry:
    """Record income an asset earned for a period, with its voucher."""
    asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("asset", {"asset_id": asset_id})
    authorize(
        actor,
        asset,
        view="assets.view_incomeentry",
        act="assets.add_incomeentry",
        what="asset",
        details={"asset_id": asset_id},
    )
    problems = FieldProblems()
    if kind not in c.IncomeKind.values:
        problems.add("kind", "unknown_choice", _("收益类型不正确"))
    start = date_required(period_start, "period_start", problems)
    end = date_required(period_end, "period_end", problems)
    value = money(amount, "amount", problems)
    day = date_required(received_on, "received_on", problems)
    voucher = required_text(voucher_no, "voucher_no", problems)
    if start and end and end < start:
        problems.add("period_end", "before_start", _("所属期止不能早于所属期起"))
    problems.raise_any()
    if end < asset.formed_on:
        raise Refused(
            "income_before_asset",
            _("收益所属期早于资产形成日期"),
            {"formed_on": asset.formed_on.isoformat(), "period_end": end.isoformat()},
        )
    if IncomeEntry.objects.filter(asset=asset, voucher_no=voucher).exists():
        raise Conflict("voucher_duplicate", _("该凭证号已登记过收益"), {"voucher_no": voucher})
    entry = IncomeEntry(
        asset=asset,
        kind=kind,
        period_start=start,
        period_end=end,
        amount=value,
        received_on=day,
        voucher_no=voucher,
        note=(note or "").strip()[:200],
    )
    _save(entry, actor=actor)
    event_record(
        actor=actor,
        verb="assets.income_added",
        obj=entry,
        data={"asset_id": asset.pk, "kind": kind, "amount": str(value), "voucher_no": voucher},
    )
    return entry
