"""Demo data of assistance: a plan with measures for most households still helped.

Households not lifted and monitored households get a plan kept by their cadre, due within the
policy's plan days of their monitoring (or of 2016 for households not lifted), with one to three
measures that fit the main cause of their poverty. About one monitored household in twelve has
no measure yet, so that the gap shows on the plan queue and in the assessment. Illustrative.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from fupin.assistance import choices as c
from fupin.assistance.models import AssistancePlan, Measure
from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.importing import rows_insert
from fupin.pairing.models import Pairing
from fupin.policy.selectors import policy_get
from fupin.registry.choices import SupportCategory
from fupin.registry.models import Household, category_q

CITY_CODE = "370400000000"
PLANNED_FROM = dt.date(2016, 3, 1)
HISTORY_REASON = "demo"
WITHOUT_MEASURE = 1 / 12
M = c.MeasureCategory
# Measures that answer each main cause of poverty, the most usual first.
BY_CAUSE = {
    "illness": (M.HEALTH, M.SAFETY_NET, M.PUBLIC_WELFARE_POST),
    "disability": (M.SAFETY_NET, M.PUBLIC_WELFARE_POST, M.HEALTH),
    "schooling": (M.EDUCATION, M.EMPLOYMENT),
    "disaster": (M.HOUSING, M.PRODUCTION_INCENTIVE),
    "lack_land": (M.INDUSTRY, M.EMPLOYMENT),
    "lack_water": (M.WORK_RELIEF, M.INDUSTRY),
    "lack_skills": (M.SKILLS_TRAINING, M.EMPLOYMENT),
    "lack_labor": (M.SAFETY_NET, M.PUBLIC_WELFARE_POST),
    "lack_capital": (M.MICROCREDIT, M.INDUSTRY),
    "transport": (M.WORK_RELIEF, M.EMPLOYMENT),
    "low_motivation": (M.PRODUCTION_INCENTIVE, M.LABOR_SUBSIDY, M.SKILLS_TRAINING),
}
OTHER = (M.INDUSTRY, M.EMPLOYMENT, M.PRODUCTION_INCENTIVE)
AMOUNTS = {
    M.INDUSTRY: (2000, 6000),
    M.PRODUCTION_INCENTIVE: (500, 2000),
    M.LABOR_SUBSIDY: (300, 1200),
    M.PUBLIC_WELFARE_POST: (3600, 6000),
    M.WORK_RELIEF: (1000, 4000),
    M.HOUSING: (8000, 20000),
    M.MICROCREDIT: (10000, 50000),
    M.EDUCATION: (1000, 5000),
}
TRADES = ("电工", "焊工", "家政服务", "电子商务", "中式烹调", "果树修剪")


def assistance_demo_load(*, seed: int, actor=None) -> int:
    """Write the demo's assistance plans and measures; return the number of plans."""
    rng = random.Random(seed * 17 + 1)
    helped = (
        Household.objects.filter(
            category_q(SupportCategory.MONITORED) | category_q(SupportCategory.NOT_LIFTED),
            village__code__startswith=CITY_CODE[:4],
        )
        .exclude(Q(assistance_plan__isnull=False))
        .order_by("pk")
        .values_list("pk", "main_cause", "monitored_on")
    )
    cadres = dict(
        Pairing.objects.active()
        .filter(household__village__code__startswith=CITY_CODE[:4])
        .order_by("household_id", "pk")
        .values_list("household_id", "cadre__name")
    )
    plan_days = int(policy_get("monitoring.plan_days", region_code=CITY_CODE, on=PLANNED_FROM))
    now = timezone.now()
    plans, measures = [], []
    for household, cause, monitored_on in helped:
        opened = monitored_on or PLANNED_FROM
        due = opened + dt.timedelta(days=plan_days)
        keeper = cadres.get(household, "")
        plans.append((household, due, keeper, "", _at(opened, rng), now))
        if monitored_on and rng.random() < WITHOUT_MEASURE:
            continue
        options = BY_CAUSE.get(cause, OTHER)
        for category in options[: rng.choice((1, 2, 2, 3))]:
            start = opened + dt.timedelta(days=rng.randrange(1, plan_days + 1))
            low_high = AMOUNTS.get(category)
            amount = Decimal(rng.randrange(*low_high) // 100 * 100) if low_high else None
            status = rng.choice((c.MeasureStatus.IN_PROGRESS, c.MeasureStatus.DONE))
            measures.append(
                (
                    household,
                    category.value,
                    str(category.label),
                    rng.choice(TRADES) if category == M.SKILLS_TRAINING else "",
                    amount,
                    start,
                    start + dt.timedelta(days=365) if status == c.MeasureStatus.DONE else None,
                    keeper,
                    status.value,
                    _at(start, rng),
                    now,
                )
            )
    before = {model: last_pk(model) for model in (AssistancePlan, Measure)}
    rows_insert(
        AssistancePlan._meta.db_table,
        [
            "household_id",
            "due_date",
            "responsible_name",
            "note",
            "created_at",
            "updated_at",
        ],
        plans,
    )
    plan_of = dict(
        AssistancePlan.objects.filter(pk__gt=before[AssistancePlan]).values_list(
            "household_id", "pk"
        )
    )
    rows_insert(
        Measure._meta.db_table,
        [
            "plan_id",
            "category",
            "description",
            "trade",
            "amount",
            "start_date",
            "end_date",
            "responsible_name",
            "status",
            "created_at",
            "updated_at",
        ],
        ((plan_of[row[0]], *row[1:]) for row in measures),
    )
    for model, last in before.items():
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    return len(plans)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """Return a moment of office hours on the day, in the local time zone."""
    moment = dt.datetime.combine(day, dt.time(8 + rng.randrange(9), rng.randrange(60)))
    return timezone.make_aware(moment)


def assistance_demo_step(context) -> None:
    """Demo step: assistance plans kept by the cadres for the households still helped."""
    assistance_demo_load(seed=context.seed, actor=context.actor)
