"""The registry's demo steps: Zaozhuang's real divisions, a deterministic, realistic registry of
households, members and incomes, and the demo users of every role."""

import csv
import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.choices import Role
from fupin.accounts.models import User
from fupin.accounts.services import user_add
from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.demo import (
    CITY,
    DEMO_USERNAMES,
    HISTORY_REASON,
    DemoContext,
    DemoUser,
)
from fupin.core.errors import Conflict, FupinError, Refused
from fupin.core.idnumbers import resident_id_make
from fupin.core.importing import rows_insert
from fupin.policy.selectors import policy_get
from fupin.regions.choices import Level
from fupin.regions.codes import level_of, prefix_of
from fupin.regions.models import Region
from fupin.registry.models import Household, HouseholdIncome, Person

# Zaozhuang's divisions of NBS's 2023 list (fupin/regions/data/README.md says where they come from).
REGIONS_FILE = Path(__file__).resolve().parent.parent / "regions" / "data" / "zaozhuang.csv"
FIRST_YEAR = 2016  # incomes run from this year through the last year that is over
REF_YEAR = 2020  # members as registered at the end of 2020 (the poverty campaign's close)
CHUNK = 10_000

# Share of the city's registered households per county-level unit (illustrative: the mountainous
# Shanting and populous Tengzhou carry the most).
COUNTY_SHARES = {
    "370402": 0.09,
    "370403": 0.09,
    "370404": 0.15,
    "370405": 0.13,
    "370406": 0.24,
    "370481": 0.30,
}
# Registered households per village in a demo too small to reach every village: only so many of
# each town's village committees (at least two) hold households, the rest none.
HOUSEHOLDS_PER_VILLAGE = 12
# python-stdnum accepts an address code only for births in the years the code existed, so residents
# born earlier carry the code of their county as it was then (市区 until 1983, 滕县 until 1988).
ID_ADDRESS_SINCE = {
    "370402": (1983, "370420"),
    "370403": (1983, "370420"),
    "370404": (1983, "370420"),
    "370405": (1983, "370420"),
    "370406": (1983, "370420"),
    "370481": (1989, "370421"),
}

# Illustrative yearly amounts in yuan (rural basic pension per elder, dibao per member, tekun per member).
# After 2020 each rises by its last yearly step (see _yearly).
PENSION = {2016: 1200, 2017: 1296, 2018: 1416, 2019: 1536, 2020: 1704}
DIBAO = {2016: 1900, 2017: 2150, 2018: 2450, 2019: 2750, 2020: 3050}
TEKUN = {2016: 4300, 2017: 4800, 2018: 5200, 2019: 5600, 2020: 6000}
# Share of the households still at risk whose income has risen past the monitoring threshold
# since the year they were included: they meet the exit conditions.
RECOVERING = 0.45
DISABILITY_SUBSIDY = 960  # 困难残疾人生活补贴 / 重度残疾人护理补贴, 80 yuan a month (illustrative)

SURNAMES = (
    ("王", 80),
    ("张", 75),
    ("李", 75),
    ("刘", 60),
    ("孙", 35),
    ("赵", 30),
    ("陈", 25),
    ("杨", 25),
    ("徐", 25),
    ("马", 20),
    ("高", 20),
    ("朱", 18),
    ("周", 12),
    ("孟", 12),
    ("胡", 12),
    ("郭", 15),
    ("宋", 15),
    ("韩", 12),
    ("冯", 8),
    ("董", 10),
    ("曹", 10),
    ("袁", 6),
    ("于", 10),
    ("蒋", 5),
    ("杜", 8),
    ("魏", 8),
    ("吕", 7),
    ("丁", 7),
    ("任", 6),
    ("姚", 5),
    ("姜", 10),
    ("崔", 7),
    ("侯", 6),
    ("邵", 5),
    ("郝", 5),
    ("孔", 6),
    ("颜", 4),
    ("田", 7),
    ("吴", 10),
    ("黄", 8),
    ("薛", 5),
    ("褚", 4),
    ("种", 2),
    ("满", 3),
    ("殷", 3),
    ("时", 3),
    ("甘", 2),
    ("岳", 3),
)
GIVEN = {
    # (sex, generation): (first characters, second characters); generation 0 = born before 1960,
    # 1 = 1960–1989, 2 = 1990 on.
    ("M", 0): ("德玉长树广传振开兆宗洪庆金继士", "山林福贵才田生友明荣祥顺义成发全堂"),
    ("F", 0): ("秀桂玉凤春翠淑素金月兰", "英兰珍荣芳花梅云莲香琴霞"),
    ("M", 1): ("建国志永振海红新卫立文晓东军庆", "国军华民伟强明刚涛勇平东峰波杰"),
    ("F", 1): ("丽秀红美春晓艳海玉静翠", "丽红梅芳霞燕娟敏华艳萍玲"),
    ("M", 2): ("浩子宇俊博家明一梓文振天嘉", "轩豪宇然杰博阳睿鑫辰航泽磊凯"),
    ("F", 2): ("欣子雨梓佳思诗一可紫语", "涵萱怡琪彤悦瑶冉婷雪妍晴"),
}
CAUSES = (
    ("illness", 40),
    ("disability", 18),
    ("lack_labor", 10),
    ("lack_skills", 8),
    ("lack_capital", 7),
    ("schooling", 5),
    ("lack_land", 3),
    ("disaster", 2),
    ("low_motivation", 2),
    ("transport", 1),
    ("lack_water", 1),
    ("marriage", 1),
    ("funeral", 1),
    ("other", 1),
)
SIZE_WEIGHTS = ((1, 22), (2, 33), (3, 18), (4, 14), (5, 9), (6, 4))
OTHER_RISKS = (
    "unstable_employment",
    "accident",
    "disaster",
    "industry_failure",
    "lack_labor",
    "other",
)

HOUSEHOLD_FIELDS = (
    "household_no",
    "village",
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
    "removed_on",
)
PERSON_FIELDS = (
    "household",
    "id_number",
    "name",
    "relation",
    "phone",
    "sex",
    "birth_date",
    "health",
    "disability_grade",
    "labor_ability",
    "schooling",
    "left_on",
    "left_reason",
)
INCOME_FIELDS = (
    "household",
    "year",
    "size",
    "wage",
    "public_welfare_wage",
    "business",
    "property_income",
    "dividend",
    "transfer",
    "pension",
    "dibao",
    "tekun_support",
    "eco_compensation",
    "transfer_other",
    "production_cost",
)


@dataclass
class _Town:
    code: str
    name: str
    county: str
    kind: str
    villages: list[tuple[str, str]] = field(default_factory=list)


def demo_regions() -> list[tuple[str, str, str]]:
    """Return (code, name, parent code) of every row of the shipped Zaozhuang list, parents first."""
    with REGIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return [(r["code"], r["name"], r["parent"]) for r in csv.DictReader(handle)]


def income_years(today: dt.date) -> range:
    """Return the years of the demo's incomes: 2016 through the last year that is over."""
    return range(FIRST_YEAR, today.year)


def _yearly(table: dict[int, int], year: int) -> int:
    """Return the table's amount of the year, extended past its last year by its last step."""
    last = max(table)
    if year <= last:
        return table[year]
    return table[last] + (table[last] - table[last - 1]) * (year - last)


def _cumulative(pairs) -> tuple[list, list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def _money(cents: int, _zero=Decimal("0.00")) -> Decimal:
    return Decimal(cents).scaleb(-2) if cents else _zero


class _Member:
    """One generated person, kept mutable until the household is complete."""

    __slots__ = (
        "relation",
        "sex",
        "birth_year",
        "birth",
        "id_number",
        "name",
        "phone",
        "health",
        "grade",
        "labor",
        "schooling",
        "left_on",
        "left_reason",
    )

    def row(self, household_no: str) -> tuple:
        return (
            household_no,
            self.id_number,
            self.name,
            self.relation,
            self.phone,
            self.sex,
            self.birth,
            self.health,
            self.grade,
            self.labor,
            self.schooling,
            self.left_on,
            self.left_reason,
        )

    def active_in(self, year: int) -> bool:
        return self.birth_year <= year and (self.left_on is None or int(self.left_on[:4]) > year)


class _Generator:
    """Draws regions, households, members and incomes from one seeded random stream."""

    def __init__(
        self, seed: int, lines: dict[int, int], thresholds: dict[int, int], today: dt.date
    ):
        self.rng = random.Random(seed)
        self.lines = lines  # yuan per person per year, by year
        self.thresholds = thresholds  # the monitoring income threshold, by year from 2021
        self.today = today
        self.years = income_years(today)
        self.ids: set[str] = set()
        self.surnames = _cumulative(SURNAMES)
        self.sizes = _cumulative(SIZE_WEIGHTS)
        self.year_start = {y: dt.date(y, 1, 1).toordinal() for y in range(1900, REF_YEAR + 1)}

    # -- regions ------------------------------------------------------------------------------
    def towns(self, households: int) -> list[_Town]:
        """Return the city's towns in the database, each with the village committees that hold households.

        Village committees (村委会, codes 200–399) hold the registered households; a town without
        one lends its residents' committees. A share of each town's villages is drawn (at least two),
        so that a village holds about HOUSEHOLDS_PER_VILLAGE households.
        """
        rng = self.rng
        towns = {
            code: _Town(code, name, code[:6], "街道" if name.endswith("街道") else "镇")
            for code, name in Region.objects.filter(
                code__startswith=CITY[0][:4], level=Level.TOWN
            ).values_list("code", "name")
        }
        committees: dict[str, list[tuple[str, str]]] = {}
        for code, name, parent in Region.objects.filter(
            code__startswith=CITY[0][:4], level=Level.VILLAGE
        ).values_list("code", "name", "parent_id"):
            committees.setdefault(parent, []).append((code, name))
        rural_of = {}
        for code in towns:
            villages = sorted(committees.get(code, []))
            rural_of[code] = [v for v in villages if int(v[0][9:]) >= 200] or villages
        total = sum(len(rural) for rural in rural_of.values()) or 1
        share = min(1.0, households / HOUSEHOLDS_PER_VILLAGE / total)
        for code, town in towns.items():
            rural = rural_of[code]
            count = min(len(rural), max(2, round(share * len(rural))))
            town.villages = sorted(rng.sample(rural, count))
        return [
            town
            for _code, town in sorted(towns.items())
            if town.villages and town.county in COUNTY_SHARES
        ]

    def allocate(self, towns: list[_Town], households: int) -> list[tuple[str, int]]:
        """Spread the households over the villages: (village code, count), largest remainder rounding."""
        rng = self.rng
        villages, weights = [], []
        county_totals: dict[str, float] = {}
        for town in towns:
            kind_weight = 0.35 if town.kind == "街道" else 1.0
            for code, _name in town.villages:
                weight = kind_weight * rng.lognormvariate(0, 0.7)
                villages.append((code, town.county))
                weights.append(weight)
                county_totals[town.county] = county_totals.get(town.county, 0.0) + weight
        shares = [
            w / county_totals[county] * COUNTY_SHARES[county]
            for (_c, county), w in zip(villages, weights, strict=True)
        ]
        total = sum(shares)
        quotas = [households * s / total for s in shares]
        counts = [int(q) for q in quotas]
        by_remainder = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
        for i in by_remainder[: households - sum(counts)]:
            counts[i] += 1
        return [(code, n) for (code, _county), n in zip(villages, counts, strict=True) if n]

    # -- people -------------------------------------------------------------------------------
    def surname(self) -> str:
        values, weights = self.surnames
        return self.rng.choices(values, cum_weights=weights)[0]

    def given_name(self, sex: str, birth_year: int) -> str:
        rng = self.rng
        first, second = GIVEN[(sex, 0 if birth_year < 1960 else 1 if birth_year < 1990 else 2)]
        return rng.choice(second) if rng.random() < 0.15 else rng.choice(first) + rng.choice(second)

    def member(
        self, county: str, relation: str, age: int, sex: str, surname: str | None = None
    ) -> _Member:
        rng = self.rng
        person = _Member()
        person.relation, person.sex = relation, sex
        year = REF_YEAR - age
        person.birth_year = year
        birth = dt.date.fromordinal(self.year_start[year] + rng.randrange(365))
        person.birth = birth.isoformat()
        since, older = ID_ADDRESS_SINCE[county]
        address = county if year >= since else older
        while True:
            sequence = 2 * rng.randrange(500) + 1 if sex == "M" else 2 * rng.randrange(1, 500)
            number = resident_id_make(address, birth, sequence)
            if number not in self.ids:
                break
        self.ids.add(number)
        person.id_number = number
        person.name = (surname or self.surname()) + self.given_name(sex, year)
        person.phone = ""
        person.left_on = None
        person.left_reason = ""
        self.describe(person, age)
        return person

    def describe(self, person: _Member, age: int, health: str | None = None) -> None:
        """Set health, disability, schooling and labour ability so that they fit the age."""
        rng = self.rng
        if health is None:
            r = rng.random()
            if age < 16:
                health = (
                    "healthy"
                    if r < 0.96
                    else "chronic"
                    if r < 0.975
                    else "serious"
                    if r < 0.98
                    else "disabled"
                )
            elif age < 60:
                health = (
                    "healthy"
                    if r < 0.80
                    else "chronic"
                    if r < 0.90
                    else "serious"
                    if r < 0.93
                    else "disabled"
                )
            else:
                health = (
                    "healthy"
                    if r < 0.45
                    else "chronic"
                    if r < 0.80
                    else "serious"
                    if r < 0.88
                    else "disabled"
                )
        person.health = health
        person.grade = (
            rng.choices((1, 2, 3, 4), (12, 25, 30, 33))[0] if health == "disabled" else None
        )
        schooling = "none"
        if 3 <= age <= 5:
            schooling = "preschool" if rng.random() < 0.85 else "none"
        elif 6 <= age <= 11:
            schooling = "primary"
        elif 12 <= age <= 14:
            schooling = "junior"
        elif 15 <= age <= 17:
            r = rng.random()
            schooling = "senior" if r < 0.55 else "vocational" if r < 0.9 else "none"
        elif 18 <= age <= 21:
            r = rng.random()
            schooling = "college" if r < 0.22 else "higher_vocational" if r < 0.40 else "none"
        if person.grade in (1, 2) and schooling != "none":
            schooling = "none"
        person.schooling = schooling
        r = rng.random()
        if age < 16 or schooling != "none":
            labor = "none"
        elif person.grade in (1, 2) or health == "serious":
            labor = "lost" if (person.grade or r < 0.6) else "weak"
        elif age >= 70:
            labor = "none" if r < 0.65 else "weak"
        elif age >= 60:
            labor = "weak" if r < 0.55 else "ordinary" if r < 0.75 else "none"
        elif health in ("chronic", "disabled"):
            labor = "weak" if r < 0.7 else "ordinary"
        else:
            labor = "skilled" if r < 0.25 else "ordinary"
        person.labor = labor

    def compose(self, county: str, tekun: bool) -> list[_Member]:
        """Return the members of a household whose ages and relations fit together, the head first."""
        rng = self.rng
        surname = self.surname()
        values, weights = self.sizes
        size = (
            (1 if rng.random() < 0.8 else 2)
            if tekun
            else rng.choices(values, cum_weights=weights)[0]
        )
        r = rng.random()
        members: list[_Member] = []

        def add(relation, age, sex, name=surname):
            members.append(self.member(county, relation, max(0, min(age, 98)), sex, name))
            return members[-1]

        def wife_age(husband: int) -> int:
            return max(18, husband - rng.choice((-2, -1, 0, 1, 2, 2, 3, 3, 4, 5)))

        def child(parent_age: int, relation_m="son", relation_f="daughter", name=surname):
            age = parent_age - rng.randint(20, 36)
            if age < 0:
                age = rng.randint(0, 4)
            sex = "M" if rng.random() < 0.52 else "F"
            return add(relation_m if sex == "M" else relation_f, age, sex, name)

        def couple(lo: int, hi: int) -> int:
            head = rng.randint(lo, hi)
            add("head", head, "M")
            add("spouse", wife_age(head), "F", None)
            return head

        def three_generations(grandchildren: int) -> None:
            head = couple(55, 74)
            if rng.random() < 0.1:
                # 招婿: the daughter stays and her husband joins the household.
                parent = add("daughter", head - rng.randint(22, 32), "F")
                add("son_in_law", REF_YEAR - parent.birth_year + rng.randint(0, 4), "M", None)
            else:
                parent = add("son", head - rng.randint(22, 32), "M")
                add("daughter_in_law", wife_age(REF_YEAR - parent.birth_year), "F", None)
            for _child in range(grandchildren):
                child(REF_YEAR - parent.birth_year, "grandson", "granddaughter")

        if size == 1:
            if tekun and r < 0.2 or not tekun and r < 0.3:
                add("head", rng.randint(30, 59), "M" if rng.random() < 0.75 else "F")
            else:
                add("head", int(rng.triangular(60, 95, 74)), "F" if rng.random() < 0.55 else "M")
        elif size == 2:
            if tekun or r < 0.55:
                couple(60, 88)
            elif r < 0.70:
                head = add("head", rng.randint(40, 62), "M")
                add("mother", REF_YEAR - head.birth_year + rng.randint(20, 32), "F", None)
            elif r < 0.82:
                head = add("head", rng.randint(32, 55), "M" if rng.random() < 0.5 else "F")
                child(REF_YEAR - head.birth_year)
            elif r < 0.85:
                head = add("head", rng.randint(45, 75), "M")
                add(
                    "sibling",
                    REF_YEAR - head.birth_year + rng.randint(-8, 8),
                    "M" if rng.random() < 0.6 else "F",
                )
            else:
                couple(40, 59)
        elif size == 3:
            if r < 0.5:
                child(couple(28, 55))
            elif r < 0.8:
                head = couple(58, 82)
                add("son", head - rng.randint(22, 35), "M")
            else:
                head = couple(40, 60)
                add("mother", head + rng.randint(20, 32), "F", None)
        elif size == 4:
            head = couple(30, 55)
            child(head)
            if r < 0.65:
                child(head)
            elif rng.random() < 0.35:
                add("father", head + rng.randint(22, 34), "M")
            else:
                add("mother", head + rng.randint(20, 32), "F", None)
        elif size == 5:
            if r < 0.45:
                head = couple(32, 52)
                child(head)
                child(head)
                add("mother", head + rng.randint(20, 32), "F", None)
            else:
                three_generations(1)
        else:
            if r < 0.7:
                three_generations(2)
            else:
                head = couple(32, 50)
                child(head)
                child(head)
                add("father", head + rng.randint(22, 34), "M")
                add("mother", head + rng.randint(20, 32), "F", None)
        return members

    # -- households -----------------------------------------------------------------------------
    def date_between(self, first: dt.date, last: dt.date) -> dt.date:
        return dt.date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def household(
        self, household_no: str, village: str, county: str
    ) -> tuple[tuple, list[_Member], list[tuple]]:
        """Return one household row, its members and its yearly incomes."""
        rng = self.rng
        r = rng.random()
        status = "lifted" if r < 0.80 else "not_lifted" if r < 0.88 else "none"
        r = rng.random()
        removal = ""
        if status != "none" and r < 0.015:
            removal = "wrong_identification" if r < 0.0075 else "deceased" if r < 0.012 else "moved"
        r = rng.random()
        if status == "none":
            household_type = "dibao" if r < 0.10 else "general"
        else:
            household_type = "tekun" if r < 0.07 else "dibao" if r < 0.35 else "general"
        members = self.compose(county, household_type == "tekun" or removal == "deceased")
        head = members[0]
        if household_type == "tekun":
            # 特困供养: nobody in the household can work.
            for person in members:
                age = REF_YEAR - person.birth_year
                if person.labor in ("ordinary", "skilled", "weak"):
                    if age < 60:
                        self.describe(person, age, "disabled")
                        person.grade = rng.choice((1, 2))
                        person.labor = "lost"
                    else:
                        person.labor = "none"

        cause = ""
        if status != "none":
            cause = self.cause(members, household_type)

        monitoring_type = risk_state = ""
        risks: list[str] = []
        monitored_on = eliminated_on = None
        if not removal:
            r = rng.random()
            if status == "none":
                monitoring_type = "edge" if r < 0.85 else "sudden"
            elif status == "lifted":
                monitoring_type = "unstable" if r < 0.05 else "sudden" if r < 0.06 else ""
        if monitoring_type:
            # Included from 2019 up to last year (this year's inclusions are the demo's cases);
            # eliminated at least half a year after, and before last year's end.
            last_day = dt.date(self.today.year - 1, 12, 31)
            if rng.random() < (0.6 if status == "none" else 0.55):
                risk_state = "open"
                monitored_on = self.date_between(dt.date(2019, 6, 1), last_day)
            else:
                risk_state = "eliminated"
                monitored_on = self.date_between(
                    dt.date(2019, 1, 1), last_day - dt.timedelta(days=200)
                )
                room = (last_day - monitored_on).days
                eliminated_on = monitored_on + dt.timedelta(
                    days=rng.randint(183, max(183, min(900, room)))
                )
            risks = self.risks(members)

        policy_support = None
        lift_year = 0
        if status == "lifted":
            policy_support = risk_state == "open" or rng.random() < 0.8
            lift_year = rng.choices((2016, 2017, 2018, 2019), cum_weights=(44, 88, 96, 100))[0]

        removed_on = None
        if removal:
            first, last = {
                "wrong_identification": (dt.date(2016, 3, 1), dt.date(2017, 12, 31)),
                "deceased": (dt.date(2017, 1, 1), dt.date(2020, 11, 30)),
                "moved": (dt.date(2016, 6, 1), dt.date(2020, 11, 30)),
            }[removal]
            removed_on = self.date_between(first, last)
            if removal != "wrong_identification":
                for person in members:
                    person.left_on, person.left_reason = removed_on.isoformat(), removal
        elif rng.random() < 0.03:
            self.add_departed(members, county)

        head_age = REF_YEAR - head.birth_year
        if head.left_on is None and rng.random() < (
            0.85 if head_age < 60 else 0.55 if head_age < 75 else 0.3
        ):
            head.phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

        row = (
            household_no,
            village,
            status,
            policy_support,
            household_type,
            monitoring_type,
            json.dumps(risks),
            risk_state,
            monitored_on and monitored_on.isoformat(),
            eliminated_on and eliminated_on.isoformat(),
            cause,
            removal,
            removed_on and removed_on.isoformat(),
        )
        incomes = self.incomes(
            household_no,
            members,
            county=county,
            status=status,
            household_type=household_type,
            lift_year=lift_year,
            monitoring_type=monitoring_type,
            risk_state=risk_state,
            monitored_year=monitored_on.year if monitored_on else 0,
            eliminated_year=eliminated_on.year if eliminated_on else 0,
            removal=removal,
            removed_year=removed_on.year if removed_on else 0,
        )
        return row, members, incomes

    def cause(self, members: list[_Member], household_type: str) -> str:
        """Draw the main poverty cause, weighted by what the household's members are like."""
        rng = self.rng
        weights = dict(CAUSES)
        able = any(p.labor in ("ordinary", "skilled") for p in members)
        if not any(
            p.schooling in ("senior", "vocational", "higher_vocational", "college") for p in members
        ):
            weights["schooling"] = 0
        if able:
            weights["lack_labor"] *= 0.3
        else:
            weights["lack_labor"] *= 3
            weights["lack_skills"] = weights["lack_capital"] = weights["low_motivation"] = 0
        if household_type == "tekun":
            weights = {k: weights[k] for k in ("illness", "disability", "lack_labor")}
        cause = rng.choices(list(weights), list(weights.values()))[0]
        adults = [p for p in members if REF_YEAR - p.birth_year >= 16] or members
        patient = members[0] if rng.random() < 0.6 else rng.choice(adults)
        if cause == "illness" and not any(p.health in ("chronic", "serious") for p in members):
            self.describe(
                patient,
                REF_YEAR - patient.birth_year,
                "serious" if rng.random() < 0.35 else "chronic",
            )
        elif cause == "disability" and not any(p.health == "disabled" for p in members):
            self.describe(patient, REF_YEAR - patient.birth_year, "disabled")
        return cause

    def risks(self, members: list[_Member]) -> list[str]:
        """Draw one or two risk types of a monitored household, led by its members' health and schooling."""
        rng = self.rng
        found = []
        if any(p.health in ("chronic", "serious") for p in members):
            found.append("illness")
        if any(p.health == "disabled" for p in members):
            found.append("disability")
        if any(
            p.schooling in ("senior", "vocational", "higher_vocational", "college") for p in members
        ):
            found.append("schooling")
        if not found or rng.random() < 0.3:
            found.append(rng.choice(OTHER_RISKS))
        return sorted(set(rng.sample(found, min(len(found), rng.choice((1, 1, 2))))))

    def add_departed(self, members: list[_Member], county: str) -> None:
        """Add a member who has left: a parent who died or a daughter who married out."""
        rng = self.rng
        head = members[0]
        head_age = REF_YEAR - head.birth_year
        if head_age <= 68:
            relation, sex = ("father", "M") if rng.random() < 0.5 else ("mother", "F")
            person = self.member(
                county,
                relation,
                min(98, head_age + rng.randint(22, 32)),
                sex,
                head.name[0] if sex == "M" else None,
            )
            person.left_reason = "deceased"
        elif head_age >= 42:
            person = self.member(county, "daughter", rng.randint(20, 30), "F", head.name[0])
            person.left_reason = "married_out"
        else:
            return
        person.phone = ""
        person.left_on = self.date_between(dt.date(2016, 3, 1), dt.date(2020, 11, 30)).isoformat()
        members.append(person)

    def incomes(
        self,
        household_no: str,
        members: list[_Member],
        *,
        county: str,
        status: str,
        household_type: str,
        lift_year: int,
        monitoring_type: str,
        risk_state: str,
        monitored_year: int,
        eliminated_year: int,
        removal: str,
        removed_year: int,
    ) -> list[tuple]:
        """Return the household's income rows of 2016 to last year, in cents as 2-place decimals."""
        rng = self.rng
        recovering = rng.random() < RECOVERING
        # Above the monitoring threshold by this much once the risk is gone (or going).
        margin = rng.uniform(1.05, 1.45)
        above = 1.15 + min(rng.expovariate(1 / 0.55), 2.3)
        below = rng.uniform(0.55, 0.88)
        edge = rng.uniform(1.02, 1.45)
        wrong = rng.uniform(1.6, 3.0)
        dibao_share = rng.uniform(0.6, 1.0)
        farm = rng.randint(1500, 4500)
        cost_share = rng.uniform(0.35, 0.55)
        dividend = rng.randint(3, 10) * 100 if status != "none" and rng.random() < 0.6 else 0
        rent = rng.randint(5, 25) * 100 if rng.random() < 0.25 else 0
        eco = rng.randint(8, 40) * 10 if county == "370406" and rng.random() < 0.4 else 0
        post = 0
        if (
            status != "none"
            and rng.random() < 0.12
            and any(
                40 <= REF_YEAR - p.birth_year <= 70 and p.labor in ("weak", "ordinary")
                for p in members
            )
        ):
            post = rng.randint(300, 500) * 12
        rows = []
        for year in self.years:
            if removed_year and year >= removed_year:
                break
            present = [p for p in members if p.active_in(year)]
            if not present:
                continue
            size = len(present)
            line = self.lines[year]
            capped = False
            if removal == "wrong_identification":
                factor = wrong
            elif status == "not_lifted" or (status == "lifted" and year < lift_year):
                factor, capped = min(0.95, below * 1.03 ** (year - 2016)), True
            elif status == "lifted":
                factor = above * 1.06 ** (year - lift_year)
            else:
                factor = edge * 1.03 ** (year - 2016)
            threshold = self.thresholds.get(year)
            if risk_state == "open" and year >= monitored_year:
                if recovering and year > monitored_year and threshold:
                    # Income back above the monitoring threshold: the household may exit.
                    factor = threshold * margin / line
                else:
                    # The shock that brought the household under monitoring.
                    factor = (
                        rng.uniform(0.75, 1.05)
                        if monitoring_type == "sudden"
                        else rng.uniform(0.9, 1.2)
                    )
            elif risk_state == "eliminated" and year >= eliminated_year and threshold:
                factor = max(factor, threshold * margin / line)
            ages = [year - p.birth_year for p in present]
            pension = sum(1 for a in ages if a >= 60) * _yearly(PENSION, year) * 100
            dibao = (
                round(size * _yearly(DIBAO, year) * dibao_share) * 100
                if household_type == "dibao"
                else 0
            )
            tekun = size * _yearly(TEKUN, year) * 100 if household_type == "tekun" else 0
            other = sum(1 for p in present if p.health == "disabled") * DISABILITY_SUBSIDY * 100
            eco_c = eco * 100
            dividend_c = (
                round(dividend * 1.05 ** (year - 2017)) * 100 if dividend and year >= 2017 else 0
            )
            rent_c = rent * 100
            post_c = post * 100 if year >= 2017 else 0
            units = sum(
                1 if p.labor in ("ordinary", "skilled") else 0.5 if p.labor == "weak" else 0
                for p in present
            )
            gross = round(units * farm * 1.04 ** (year - 2016)) * 100
            cost = round(gross * cost_share / 100) * 100
            parts = [pension, dibao, tekun, other, eco_c, dividend_c, rent_c, post_c, gross, cost]
            others = sum(parts[:-1]) - cost
            cap = int(0.97 * line * size * 100)
            if capped and others > cap:
                # A household still below the line: scale every source down rather than lift it by accident.
                scale = cap / others
                parts = [int(x * scale) // 100 * 100 for x in parts]
                pension, dibao, tekun, other, eco_c, dividend_c, rent_c, post_c, gross, cost = parts
                others = sum(parts[:-1]) - cost
            target = round(factor * line * size * 100)
            wage = 0
            if others < target:
                if any(
                    p.labor in ("ordinary", "skilled") and 16 <= a <= 64
                    for p, a in zip(present, ages, strict=True)
                ):
                    wage = target - others
                else:
                    # With nobody able to work, children's support (赡养费) and aid bring the household
                    # to its target, but not far past the line: such households do not get rich.
                    gap = (
                        target - others
                        if capped
                        else min(target, int(1.1 * line * size * 100)) - others
                    )
                    # Whole yuan: SQLite sums the transfer sub-items of the CHECK constraint in floating point.
                    other += max(0, -(-gap // 100) * 100)
            transfer = pension + dibao + tekun + other + eco_c
            rows.append(
                (
                    household_no,
                    year,
                    size,
                    _money(post_c + wage),
                    _money(post_c),
                    _money(gross),
                    _money(dividend_c + rent_c),
                    _money(dividend_c),
                    _money(transfer),
                    _money(pension),
                    _money(dibao),
                    _money(tekun),
                    _money(eco_c),
                    _money(other),
                    _money(cost),
                )
            )
        return rows


class _Table:
    """Inserts rows of one model in bulk (fupin.core.importing.rows_insert), filling the columns not drawn."""

    def __init__(self, model, fields: tuple[str, ...]):
        opts = model._meta
        given = [opts.get_field(name) for name in fields]
        rest = [f for f in opts.concrete_fields if not f.primary_key and f not in given]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # Columns the demo does not draw get what Django would write: now for timestamps, else the default.
        self.tail = tuple(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_db_prep_save(f.get_default(), connection)
            for f in rest
        )
        self.table = opts.db_table
        self.columns = [f.column for f in given + rest]

    def write(self, rows: list[tuple]) -> None:
        tail = self.tail
        rows_insert(self.table, self.columns, (row + tail for row in rows))


def _poverty_lines(today: dt.date) -> dict[int, int]:
    return {
        year: int(policy_get("poverty.line", region_code=CITY[0], on=dt.date(year, 1, 1)))
        for year in income_years(today)
    }


def _thresholds(today: dt.date) -> dict[int, int]:
    """Return the monitoring income threshold of each income year that has one (2021 on)."""
    found = {}
    for year in income_years(today):
        try:
            found[year] = int(
                policy_get(
                    "monitoring.income_threshold", region_code=CITY[0], on=dt.date(year, 12, 31)
                )
            )
        except FupinError:
            continue
    return found


def _regions_write() -> int:
    """Create Zaozhuang's divisions from the shipped list unless the city already has some.

    On top of an imported tree (any division below the city) nothing is created: the demo uses
    the regions it finds.
    """
    if Region.objects.filter(code__startswith=CITY[0][:4], level__gt=Level.CITY).exists():
        return 0
    existing = set(Region.objects.filter(code__startswith="37").values_list("code", flat=True))
    before = Region.objects.aggregate(last=Max("pk"))["last"] or 0
    Region.objects.bulk_create(
        [
            Region(
                code=code,
                name=name,
                level=level_of(code),
                parent_id=parent or None,
                prefix=prefix_of(code),
            )
            for code, name, parent in demo_regions()
            if code not in existing
        ],
        batch_size=500,
    )
    return history_bulk_record(
        queryset=Region.objects.filter(pk__gt=before), history_type="+", reason=HISTORY_REASON
    )


def registry_demo_step(context: DemoContext) -> None:
    """Write Zaozhuang's divisions and the households, members and incomes of the demo."""
    if Household.objects.exists():
        raise Conflict("registry_not_empty", _("登记库中已有农户，演示数据只能装入空库"), {})
    taken = sorted(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    if taken:
        raise Conflict("demo_users_exist", _("演示用户名已被占用"), {"usernames": taken})
    summary, seed, actor, today = context.summary, context.seed, context.actor, context.today
    generator = _Generator(seed, _poverty_lines(today), _thresholds(today), today)
    summary.regions_created = _regions_write()
    towns = generator.towns(context.households)
    if not towns:
        raise Refused(
            "demo_no_villages",
            _("枣庄市下没有可用的村级区划，无法装入演示数据"),
            {"region": CITY[0]},
        )
    allocation = generator.allocate(towns, context.households)
    summary.villages = len(allocation)

    tables = {
        model: _Table(model, fields)
        for model, fields in (
            (Household, HOUSEHOLD_FIELDS),
            (Person, PERSON_FIELDS),
            (HouseholdIncome, INCOME_FIELDS),
        )
    }
    before = {model: last_pk(model) for model in tables}
    last_household = before[Household]
    digest = hashlib.sha256()
    chunk: tuple[list, list, list] = ([], [], [])

    def flush():
        nonlocal last_household
        household_rows, person_rows, income_rows = chunk
        if not household_rows:
            return
        digest.update(repr(chunk).encode())
        tables[Household].write(household_rows)
        ids = dict(
            Household.objects.filter(pk__gt=last_household).values_list("household_no", "pk")
        )
        last_household = max(ids.values())
        tables[Person].write([(ids[row[0]], *row[1:]) for row in person_rows])
        tables[HouseholdIncome].write([(ids[row[0]], *row[1:]) for row in income_rows])
        summary.households += len(household_rows)
        summary.persons += len(person_rows)
        summary.incomes += len(income_rows)
        for rows in chunk:
            rows.clear()

    width = max(4, len(str(max(count for _village, count in allocation))))
    for village, count in allocation:
        for serial in range(1, count + 1):
            household_no = f"{village}{serial:0{width}d}"
            row, members, incomes = generator.household(household_no, village, village[:6])
            chunk[0].append(row)
            chunk[1].extend(person.row(household_no) for person in members)
            chunk[2].extend(incomes)
            if len(chunk[0]) >= CHUNK:
                flush()
    flush()
    for model in tables:
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=before[model]),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    summary.digest = digest.hexdigest()
    _places_choose(context, towns, dict(allocation))


def _places_choose(context: DemoContext, towns: list[_Town], counts: dict[str, int]) -> None:
    """Choose the demo's county, towns and village: Tengzhou's first two towns (镇), or on an
    imported tree whatever towns come closest, and the most peopled village of the first."""
    peopled = [town for town in towns if any(counts.get(v[0]) for v in town.villages)]
    candidates = sorted(peopled, key=lambda t: (t.county != "370481", t.kind != "镇", t.code))
    town_a = candidates[0]
    town_b = next((t for t in candidates[1:] if t.county == town_a.county), town_a)
    village_code, village_name = max(
        town_a.villages, key=lambda v: (counts.get(v[0], 0), -int(v[0]))
    )
    context.places.update(
        county=f"{town_a.county}000000", town=town_a.code, town2=town_b.code, village=village_code
    )
    context.shared["place_names"] = {
        town_a.code: town_a.name,
        town_b.code: town_b.name,
        village_code: village_name,
    }


def accounts_demo_step(context: DemoContext) -> None:
    """Create the demo users of every role in the places the registry step chose."""
    places, names = context.places, dict(context.shared["place_names"])
    county_code = places["county"]
    names |= dict(
        Region.objects.filter(code__in=(CITY[0], county_code)).values_list("code", "name")
    )
    city_name, county_name = names.get(CITY[0], CITY[1]), names.get(county_code, "")
    names |= {CITY[0]: city_name, county_code: county_name}
    town_a, town_b, village = places["town"], places["town2"], places["village"]
    accounts = (
        ("city", Role.CITY_ADMIN, CITY[0], f"{city_name}扶贫办管理员"),
        ("county", Role.COUNTY_OFFICER, county_code, f"{county_name}扶贫办"),
        ("town", Role.TOWN_OFFICER, town_a, f"{names[town_a]}扶贫办"),
        ("town2", Role.TOWN_OFFICER, town_b, f"{names[town_b]}扶贫办"),
        ("village", Role.VILLAGE_OFFICER, village, f"{names[village]}扶贫专干"),
        ("cadre", Role.CADRE, village, f"{names[village]}帮扶责任人"),
        ("auditor", Role.AUDITOR, CITY[0], f"{city_name}纪委监委（只读）"),
        ("dept", Role.DEPARTMENT, CITY[0], f"{city_name}民政局（数据报送）"),
    )
    for username, role, code, display_name in accounts:
        user_add(
            username=username,
            role=role,
            region_code=code,
            password=context.password,
            display_name=display_name,
            actor=context.actor,
        )
        context.summary.users.append(DemoUser(username, str(role), code, names[code]))
