"""Template tags of assets: a project's money — what was allocated and paid, the assets it formed
and their income by year — on the project file."""

from django import template
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from fupin.assets.choices import OwnerKind
from fupin.assets.models import AssetFunding, IncomeEntry
from fupin.assets.selectors import PROJECT_PLANS
from fupin.core import spine
from fupin.core.inputs import cents
from fupin.funds.models import Disbursement

register = template.Library()
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(model, link: str):
    rows = model.objects.filter(**{link: OuterRef("pk")}).values(link).order_by()
    return Coalesce(
        Subquery(rows.annotate(s=Sum("amount")).values("s")), Value(0), output_field=MONEY
    )


@register.inclusion_tag("assets/_project_money.html", takes_context=True)
def project_money(context, project):
    """Show a project's allocations with what was paid, its assets and their income by year."""
    user = context["request"].user
    if not user.has_perm("funds.view_allocation", project):
        return {"visible": False}
    allocations = list(
        project.allocations.select_related("source")
        .annotate(disbursed=_sum(Disbursement, "allocation"))
        .order_by("allocated_on", "id")
    )
    assets = list(
        project.assets.select_related("village")
        .annotate(funded=_sum(AssetFunding, "asset"))
        .order_by("formed_on", "id")
    )
    income = list(
        IncomeEntry.objects.filter(asset__project=project)
        .annotate(year=ExtractYear("received_on"))
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
        .order_by("year")
    )
    # Where the income went: the plans that distributed it (from the apps that fill the extension
    # point), of the villages owning the project's collective assets, for the years it earned.
    plans = []
    if income:
        villages = [a.village_id for a in assets if a.owner_kind == OwnerKind.VILLAGE]
        years = [year for year, _total in income]
        for plans_of in spine.extensions(PROJECT_PLANS):
            plans += plans_of(user=user, village_codes=villages, years=years)
    for row in allocations:
        row.disbursed = cents(row.disbursed)
    for row in assets:
        row.funded = cents(row.funded)
    return {
        "visible": True,
        "allocations": allocations,
        "allocated": cents(sum((a.amount for a in allocations), 0)),
        "disbursed": cents(sum((a.disbursed for a in allocations), 0)),
        "assets": assets,
        "income": [(year, cents(total)) for year, total in income],
        "plans": plans,
    }
