"""Reads of assets, always within the user's scope: the asset register, the income ledger and the
three-assets ledger (三资台账) of a region (docs/decisions/0029).

Every figure is an SQL aggregate grouped by the region-code prefix of the child regions.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Substr
from django.utils.translation import gettext as _

from fupin.assets import choices as c
from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.core import spine
from fupin.core.errors import NotFound, Refused
from fupin.core.inputs import cents
from fupin.funds.models import Allocation, Disbursement
from fupin.regions.selectors import region_children, region_visible

VIEW_ASSET = "assets.view_asset"
VIEW_INCOME = "assets.view_incomeentry"
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
# Extension points that the apps distributing the income fill in (spine.Extension).
LEDGER_DISTRIBUTION = "assets.ledger_distribution"
PROJECT_PLANS = "assets.project_plans"
DISTRIBUTED = ("before", "households", "welfare", "village_fund", "fund")


def _sum(model, link: str, field: str = "amount"):
    rows = model.objects.filter(**{link: OuterRef("pk")}).values(link).order_by()
    return Coalesce(
        Subquery(rows.annotate(s=Sum(field)).values("s")), Value(ZERO), output_field=MONEY
    )


def asset_list(
    *,
    user,
    region_code: str | None = None,
    category: str | None = None,
    project_id: int | None = None,
) -> QuerySet[Asset]:
    """Return a region's assets with their fund part, their income and its last date."""
    region = region_visible(user=user, code=region_code, perm=VIEW_ASSET)
    rows = Asset.objects.restrict(user).filter(village__code__startswith=region.prefix)
    if category:
        rows = rows.filter(category=category)
    if project_id:
        rows = rows.filter(project_id=project_id)
    last = IncomeEntry.objects.filter(asset=OuterRef("pk")).values("asset").order_by()
    return (
        rows.select_related("village", "project", "household")
        .annotate(
            funded=_sum(AssetFunding, "asset"),
            income=_sum(IncomeEntry, "asset"),
            last_received=Subquery(last.annotate(m=Max("received_on")).values("m")),
        )
        .annotate(own_part=F("value") - F("funded"))
        .order_by("village_id", "-formed_on", "id")
    )


def asset_get(*, user, asset_id: int) -> Asset:
    """Return one asset in the user's scope, or raise NotFound."""
    return Asset.objects.select_related("village", "project", "household").get_restricted(
        user, pk=asset_id
    )


def asset_fundings(*, asset: Asset) -> QuerySet[AssetFunding]:
    """Return what funded an asset (the caller has checked its scope)."""
    return asset.fundings.select_related("source").order_by("id")


def income_list(
    *,
    user,
    region_code: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    asset_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[IncomeEntry]:
    """Return a region's income entries received between two dates (both included)."""
    region = region_visible(user=user, code=region_code, perm=VIEW_INCOME)
    rows = IncomeEntry.objects.restrict(user).filter(asset__village__code__startswith=region.prefix)
    if start:
        rows = rows.filter(received_on__gte=start)
    if end:
        rows = rows.filter(received_on__lte=end)
    if asset_id:
        rows = rows.filter(asset_id=asset_id)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("asset", "asset__village").order_by("-received_on", "-id")


def latest_income_day(*, region) -> dt.date | None:
    """Return the latest day income was received in a region (the pages' default year)."""
    return IncomeEntry.objects.filter(asset__village__code__startswith=region.prefix).aggregate(
        last=Max("received_on")
    )["last"]


def income_totals(*, entries: QuerySet[IncomeEntry]) -> dict:
    """Return the total of income entries and the total of each kind (one query)."""
    sums = entries.aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        **{
            k: Coalesce(Sum("amount", filter=Q(kind=k)), Value(ZERO), output_field=MONEY)
            for k in c.IncomeKind.values
        },
    )
    return {
        "total": sums["total"],
        "kinds": [
            {"kind": k, "label": str(label), "amount": sums[k]} for k, label in c.IncomeKind.choices
        ],
    }


# The three-assets ledger --------------------------------------------------------------------------

LEDGER_FIGURES = (
    "funds_opening",
    "funds_in",
    "funds_out",
    "funds_balance",
    "assets_formed",
    "assets_funded",
    "assets_own",
    "assets_total",
    "work_in_progress",
    "income_opening",
    "income_earned",
    "income_distributed",
    "distributed_households",
    "distributed_welfare",
    "distributed_village_fund",
    "income_undistributed",
    "village_fund_balance",
)


def _by_prefix(rows: QuerySet, code_path: str, width: int, sums: dict) -> dict:
    """Return {prefix: {name: total}} of conditional sums grouped by the first `width` characters."""
    grouped = (
        rows.annotate(p=Substr(code_path, 1, width))
        .values("p")
        .annotate(
            **{
                name: Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=MONEY)
                for name, (field, condition) in sums.items()
            }
        )
        .order_by()
    )
    return {row.pop("p"): row for row in grouped}


def _distribution(code: str, start: dt.date, end: dt.date) -> dict:
    """Return what was given out of a region's income before and within the period, and its village
    funds' balance at the end (`DISTRIBUTED`, zero where no app distributes income)."""
    found = dict.fromkeys(DISTRIBUTED, ZERO)
    for read in spine.extensions(LEDGER_DISTRIBUTION):
        for name, value in read(region_code=code, start=start, end=end).items():
            found[name] += value
    return found


def project_returns(*, projects: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Return what the assets of each project earned between start and end and the last day its
    income covers up to end, for the look-back review (the projects app's extension point).

    {project id: {"actual": Decimal or None, "last": date}}; a project that never earned by the
    end is absent.
    """
    rows = (
        IncomeEntry.objects.filter(asset__project__in=projects, received_on__lte=end)
        .values("asset__project_id")
        .annotate(
            actual=Sum("amount", filter=Q(received_on__gte=start)),
            last=Max(Greatest("received_on", "period_end")),
        )
        .order_by()
    )
    returns = {}
    for row in rows:
        last = row["last"]
        if isinstance(last, str):  # SQLite returns the greater of two dates as text
            last = dt.date.fromisoformat(last)
        returns[row["asset__project_id"]] = {"actual": row["actual"], "last": last}
    return returns


def three_assets_ledger(
    *, user, region_code: str | None = None, start: dt.date, end: dt.date
) -> dict:
    """Return the three-assets ledger (三资台账) of a region and of each child region for a period.

    Funds: opening balance (allocated − disbursed before the start) + allocated in the period −
    disbursed in the period = balance at the end. Assets: formed in the period (fund part and own
    part), all assets formed by the end, and work in progress = funds disbursed by the end not yet
    turned into assets. Income: opening undistributed + earned − distributed = undistributed at the
    end; distributed = households + public-welfare posts + village fund (distribution plans in
    effect in the period). Funds are counted where the project is, assets and income where the
    asset is.
    """
    if end < start:
        raise Refused(
            "invalid_period",
            _("期末不能早于期初"),
            {"start": start.isoformat(), "end": end.isoformat()},
        )
    if not user.has_perm(VIEW_INCOME):
        raise NotFound("region", {"code": region_code})
    region = region_visible(user=user, code=region_code, perm=VIEW_ASSET)
    children = list(region_children(region=region))
    width = len(children[0].prefix) if children else len(region.code)
    prefix = region.prefix
    before = Q(allocated_on__lt=start)
    allocations = _by_prefix(
        Allocation.objects.filter(project__region__code__startswith=prefix),
        "project__region_id",
        width,
        {
            "allocated_before": ("amount", before),
            "funds_in": ("amount", Q(allocated_on__range=(start, end))),
        },
    )
    disbursements = _by_prefix(
        Disbursement.objects.filter(allocation__project__region__code__startswith=prefix),
        "allocation__project__region_id",
        width,
        {
            "disbursed_before": ("amount", Q(paid_on__lt=start)),
            "funds_out": ("amount", Q(paid_on__range=(start, end))),
        },
    )
    # Funds turned into assets, counted where the project is (the other side of work in progress).
    converted = _by_prefix(
        AssetFunding.objects.filter(asset__project__region__code__startswith=prefix),
        "asset__project__region_id",
        width,
        {"converted": ("amount", Q(asset__formed_on__lte=end))},
    )
    assets = _by_prefix(
        Asset.objects.filter(village__code__startswith=prefix),
        "village_id",
        width,
        {
            "assets_formed": ("value", Q(formed_on__range=(start, end))),
            "assets_total": ("value", Q(formed_on__lte=end)),
        },
    )
    funded = _by_prefix(
        AssetFunding.objects.filter(asset__village__code__startswith=prefix),
        "asset__village_id",
        width,
        {"assets_funded": ("amount", Q(asset__formed_on__range=(start, end)))},
    )
    income = _by_prefix(
        IncomeEntry.objects.filter(asset__village__code__startswith=prefix),
        "asset__village_id",
        width,
        {
            "earned_before": ("amount", Q(received_on__lt=start)),
            "income_earned": ("amount", Q(received_on__range=(start, end))),
        },
    )

    def row(key: str, distribution: dict) -> dict:
        figures: dict[str, Decimal] = {}
        for table in (allocations, disbursements, converted, assets, funded, income):
            figures.update(table.get(key, {}))

        def get(name):
            return figures.get(name, ZERO)

        out = {
            "funds_opening": get("allocated_before") - get("disbursed_before"),
            "funds_in": get("funds_in"),
            "funds_out": get("funds_out"),
            "assets_formed": get("assets_formed"),
            "assets_funded": get("assets_funded"),
            "assets_total": get("assets_total"),
            "work_in_progress": get("disbursed_before") + get("funds_out") - get("converted"),
            "income_opening": get("earned_before") - distribution["before"],
            "income_earned": get("income_earned"),
            "distributed_households": distribution["households"],
            "distributed_welfare": distribution["welfare"],
            "distributed_village_fund": distribution["village_fund"],
            "village_fund_balance": distribution["fund"],
        }
        out["funds_balance"] = out["funds_opening"] + out["funds_in"] - out["funds_out"]
        out["assets_own"] = out["assets_formed"] - out["assets_funded"]
        out["income_distributed"] = (
            out["distributed_households"]
            + out["distributed_welfare"]
            + out["distributed_village_fund"]
        )
        out["income_undistributed"] = (
            out["income_opening"] + out["income_earned"] - out["income_distributed"]
        )
        return {name: cents(out[name]) for name in LEDGER_FIGURES}

    # The distribution app answers per region: one call per child region, never per village.
    whole = _distribution(region.code, start, end)
    parts = {child.code: _distribution(child.code, start, end) for child in children}
    child_rows = [
        {"region": child.code, "name": child.name, **row(child.code[:width], parts[child.code])}
        for child in children
    ]
    own_distribution = {
        name: whole[name] - sum((p[name] for p in parts.values()), ZERO) for name in whole
    }
    own = row(region.code[:width], own_distribution)
    total = {name: own[name] + sum((r[name] for r in child_rows), ZERO) for name in LEDGER_FIGURES}
    return {
        "start": start,
        "end": end,
        "region": region.code,
        "name": region.name,
        **total,
        # Figures of the region itself, outside every child (a town's own project, say).
        "own": own if children and any(own.values()) else None,
        "children": child_rows,
    }
