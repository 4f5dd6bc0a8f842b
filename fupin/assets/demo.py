"""Demo data of assets: one asset per accepted project (its fund parts are what was paid to it, plus
a village contribution), a few household assets (到户类), and the income of 2019–2020 by quarter.

Most operating projects earn about their expected return; some earn little (the look-back review
finds them weak) and some stop earning (idle); projects already weak or idle earn accordingly.
Names, values and dates are illustrative.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Sum
from django.utils import timezone

from fupin.assets import choices as c
from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.importing import rows_insert
from fupin.funds.demo import project_dates
from fupin.funds.models import Disbursement
from fupin.projects.choices import FORMED_ASSETS
from fupin.projects.choices import ProjectStatus as S
from fupin.regions.models import Region
from fupin.registry.choices import PovertyStatus
from fupin.registry.models import Household

HISTORY_REASON = "demo"
CENT = Decimal("0.01")
# Projects whose assets were formed, disposed ones too (they had assets before).
WITH_ASSETS = {*FORMED_ASSETS, S.DISPOSED}
OPERATING_CATEGORIES = {"industry", "photovoltaic", "tourism"}
INCOME_KIND = {"industry": "rent", "photovoltaic": "sales", "tourism": "dividend"}
QUARTERS = ((1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31))
HOUSEHOLD_ASSETS = (("能繁母牛", 6000, 9000), ("湖羊", 3000, 6000), ("果树苗木", 2000, 5000))
YEARS = (2019, 2020)


@dataclass
class AssetsDemoSummary:
    assets: int = 0
    fundings: int = 0
    income_entries: int = 0
    weak: int = 0
    idle: int = 0


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def assets_demo_load(*, seed: int, actor=None) -> AssetsDemoSummary:
    """Write the demo's assets, their fund parts and their income entries."""
    from fupin.projects.models import Project

    rng = random.Random(seed * 19 + 3)
    summary = AssetsDemoSummary()
    now = timezone.now()
    dates = project_dates()
    projects = list(
        Project.objects.filter(status__in=WITH_ASSETS, region__code__startswith="3704")
        .values_list(
            "pk", "name", "region_id", "category", "status", "expected_annual_return", "year"
        )
        .order_by("pk")
    )
    if not projects:
        return summary
    # A town's project forms its asset in the town's first village.
    first_village = {}
    for code in (
        Region.objects.filter(
            code__startswith="3704", level=12, parent_id__in={p[2] for p in projects}
        )
        .values_list("code", flat=True)
        .order_by("code")
    ):
        first_village.setdefault(code[:9] + "000", code)
    paid = {
        (project_id, source_id): (amount, last_day)
        for project_id, source_id, amount, last_day in Disbursement.objects.filter(
            allocation__project_id__in=[p[0] for p in projects]
        )
        .values("allocation__project_id", "allocation__source_id")
        .annotate(s=Sum("amount"), last=Max("paid_on"))
        .values_list("allocation__project_id", "allocation__source_id", "s", "last")
        .order_by()
    }
    funded: dict[int, list[tuple[int, Decimal]]] = {}
    last_paid: dict[int, dt.date] = {}
    for (project_id, source_id), (amount, last_day) in sorted(paid.items()):
        funded.setdefault(project_id, []).append((source_id, amount))
        last_paid[project_id] = max(last_paid.get(project_id, last_day), last_day)

    asset_rows = []
    for pk, name, region, category, _status, _expected, year in projects:
        village = region if region[9:] != "000" else first_village.get(region)
        if village is None:
            continue
        fund_total = sum((a for _s, a in funded.get(pk, [])), Decimal(0))
        if fund_total == 0:
            continue
        accepted = dates.get(pk, {}).get("accepted") or dt.date(year, 11, 30)
        formed_on = max(accepted, last_paid.get(pk, accepted))
        own = _money(fund_total * Decimal(str(round(rng.uniform(0, 0.08), 3))))
        asset_category = (
            c.AssetCategory.OPERATING
            if category in OPERATING_CATEGORIES
            else c.AssetCategory.PUBLIC_WELFARE
        )
        asset_rows.append(
            (
                pk,
                name,
                asset_category.value,
                c.OwnerKind.VILLAGE.value,
                village,
                None,
                fund_total + own,
                formed_on,
                "村内",
                "",
                now,
            )
        )
    # Household assets (到户类) of some households needing help in villages with projects.
    villages = sorted({row[4] for row in asset_rows})
    households = list(
        Household.objects.filter(
            village_id__in=villages,
            poverty_status__in=[PovertyStatus.NOT_LIFTED, PovertyStatus.LIFTED],
        )
        .values_list("pk", "village_id")
        .order_by("pk")
    )
    for household_id, village in households:
        if rng.random() < 0.05:
            label, low, high = rng.choice(HOUSEHOLD_ASSETS)
            asset_rows.append(
                (
                    None,
                    label,
                    c.AssetCategory.HOUSEHOLD.value,
                    c.OwnerKind.HOUSEHOLD.value,
                    village,
                    household_id,
                    _money(rng.randrange(low, high, 100)),
                    dt.date(rng.choice((2018, 2019)), rng.randrange(3, 11), 15),
                    "农户家中",
                    "",
                    now,
                )
            )
    before = last_pk(Asset)
    rows_insert(
        Asset._meta.db_table,
        [
            "project_id",
            "name",
            "category",
            "owner_kind",
            "village_code",
            "household_id",
            "value",
            "formed_on",
            "location",
            "note",
            "created_at",
        ],
        asset_rows,
    )
    assets = list(
        Asset.objects.filter(pk__gt=before, project__isnull=False)
        .values_list("pk", "project_id", "category", "formed_on")
        .order_by("pk")
    )
    summary.assets = Asset.objects.filter(pk__gt=before).count()
    funding_before = last_pk(AssetFunding)
    rows_insert(
        AssetFunding._meta.db_table,
        ["asset_id", "source_id", "amount", "created_at"],
        (
            (asset_id, source_id, amount, now)
            for asset_id, project_id, _category, _formed in assets
            for source_id, amount in funded[project_id]
        ),
    )
    summary.fundings = AssetFunding.objects.filter(pk__gt=funding_before).count()

    # Income by quarter of 2019 and 2020 for operating assets of projects in operation.
    project_of = {p[0]: p for p in projects}
    income_rows = []
    for asset_id, project_id, category, formed_on in assets:
        _pk, _name, _region, project_category, status, expected, _year = project_of[project_id]
        if (
            category != c.AssetCategory.OPERATING
            or not expected
            or status in (S.ACCEPTED, S.DISPOSED)
        ):
            continue
        since = max(dates.get(project_id, {}).get("operating") or formed_on, formed_on)
        roll = rng.random()
        if status in (S.WEAK, S.RECTIFYING):
            ratio, stop = rng.uniform(0.15, 0.4), None
        elif status in (S.IDLE, S.REVIVING):
            ratio, stop = rng.uniform(0.6, 1.0), dt.date(2019, 12, 31)
        elif roll < 0.12:
            ratio, stop = rng.uniform(0.1, 0.4), None
            summary.weak += 1
        elif roll < 0.2:
            ratio, stop = rng.uniform(0.8, 1.1), dt.date(2020, 3, 31)
            summary.idle += 1
        else:
            ratio, stop = rng.uniform(0.85, 1.2), None
        for year in YEARS:
            for quarter, (first_month, last_month, last_day) in enumerate(QUARTERS, 1):
                start = dt.date(year, first_month, 1)
                end = dt.date(year, last_month, last_day)
                if start < since or (stop is not None and end > stop):
                    continue
                amount = _money(
                    expected / 4 * Decimal(str(round(ratio * rng.uniform(0.9, 1.1), 4)))
                )
                if amount <= 0:
                    continue
                received = end - dt.timedelta(days=rng.randrange(0, 10))
                income_rows.append(
                    (
                        asset_id,
                        INCOME_KIND.get(project_category, "other"),
                        start,
                        end,
                        amount,
                        received,
                        f"SY{year}Q{quarter}-{asset_id:05d}",
                        "",
                        now,
                    )
                )
    income_before = last_pk(IncomeEntry)
    rows_insert(
        IncomeEntry._meta.db_table,
        [
            "asset_id",
            "kind",
            "period_start",
            "period_end",
            "amount",
            "received_on",
            "voucher_no",
            "note",
            "created_at",
        ],
        income_rows,
    )
    summary.income_entries = len(income_rows)
    for model, last in (
        (Asset, before),
        (AssetFunding, funding_before),
        (IncomeEntry, income_before),
    ):
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    return summary


def assets_demo_step(context) -> None:
    """Demo step: the assets the projects formed and their income."""
    assets_demo_load(seed=context.seed, actor=context.actor)
