"""Reads of the registry, always starting from the user's scope."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from fupin.core.errors import FupinError
from fupin.core.search import prefix_q
from fupin.policy.selectors import policy_get
from fupin.regions.codes import is_valid_code, prefix_of
from fupin.registry import choices as c
from fupin.registry.models import Household, HouseholdIncome, Person, category_q


@dataclass
class HouseholdFilters:
    """Filters of the household list."""

    region: str = ""
    category: str = ""
    household_type: str = ""
    main_cause: str = ""
    q: str = ""


def household_list(*, user, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """Return the households in the user's scope matching the filters, by 户编号."""
    filters = filters or HouseholdFilters()
    households = Household.objects.restrict(user).select_related("village")
    if filters.region:
        prefix = prefix_of(filters.region) if is_valid_code(filters.region) else filters.region
        households = households.filter(village__code__startswith=prefix)
    if filters.category in c.SupportCategory.values:
        households = households.filter(category_q(filters.category))
    elif filters.category == "removed":
        households = households.exclude(removal_reason="")
    if filters.household_type:
        households = households.filter(household_type=filters.household_type)
    if filters.main_cause:
        households = households.filter(main_cause=filters.main_cause)
    if q := filters.q.strip():
        # Names by prefix ("赵德" finds 赵德厚); ID numbers only whole, so no one probes by digits.
        by_person = Person.objects.filter(prefix_q("name", q) | Q(id_number=q.upper())).values(
            "household_id"
        )
        households = households.filter(Q(household_no=q) | Q(pk__in=by_person))
    return households.order_by("household_no")


@dataclass
class ListRow:
    """A row of the household list: the household, its head's name and its active member count."""

    household: Household
    head_name: str
    member_count: int


def household_list_rows(*, households: list[Household]) -> list[ListRow]:
    """Return the list rows of one page of households in two queries, whatever the page size."""
    ids = [h.pk for h in households]
    active = Person.objects.filter(household_id__in=ids, left_on__isnull=True)
    heads = dict(active.filter(relation=c.Relation.HEAD).values_list("household_id", "name"))
    counts = dict(
        active.values("household_id").annotate(n=Count("pk")).values_list("household_id", "n")
    )
    return [ListRow(h, heads.get(h.pk, ""), counts.get(h.pk, 0)) for h in households]


def household_get(*, user, household_no: str) -> Household:
    """Return one household in the user's scope, or raise NotFound."""
    return Household.objects.select_related("village").get_restricted(
        user, household_no=household_no
    )


def household_members(*, household: Household, include_left: bool = True) -> QuerySet[Person]:
    """Return the members of a household, the head first."""
    members = household.members.all()
    if not include_left:
        members = members.filter(left_on__isnull=True)
    head_first = Case(
        When(relation=c.Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return members.annotate(head_first=head_first).order_by("left_on", "head_first", "id")


def category_counts(*, user, region_prefix: str = "") -> dict[str, int]:
    """Return the number of households per support category in the user's scope."""
    households = Household.objects.restrict(user)
    if region_prefix:
        households = households.filter(village__code__startswith=region_prefix)
    aggregates = {cat.value: Count("pk", filter=category_q(cat)) for cat in c.SupportCategory}
    aggregates["removed"] = Count("pk", filter=~Q(removal_reason=""))
    return households.aggregate(**aggregates)


@dataclass
class IncomeYear:
    """A year of a household's income with its per-capita net and the line it is judged against."""

    income: HouseholdIncome
    size: int
    net: Decimal
    per_capita: Decimal | None
    line: Decimal | None

    @property
    def below_line(self) -> bool | None:
        if self.per_capita is None or self.line is None:
            return None
        return self.per_capita < self.line


def household_size_at_year_end(*, household: Household, year: int) -> int:
    """Return the number of members still in the household at the end of the year."""
    end = dt.date(year, 12, 31)
    return household.members.filter(Q(left_on__isnull=True) | Q(left_on__gt=end)).count()


def household_incomes(*, household: Household) -> list[IncomeYear]:
    """Return the household's incomes by year with per-capita net income against the poverty line."""
    years = []
    for income in household.incomes.order_by("year"):
        size = income.size or household_size_at_year_end(household=household, year=income.year)
        net = income.net
        per_capita = (net / size).quantize(Decimal("0.01"), ROUND_HALF_UP) if size else None
        try:
            line = policy_get(
                "poverty.line", region_code=household.village_id, on=dt.date(income.year, 12, 31)
            )
        except FupinError:
            line = None
        years.append(IncomeYear(income, size, net, per_capita, line))
    return years
