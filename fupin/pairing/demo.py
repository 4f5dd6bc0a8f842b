"""Demo data of pairing: aid units, unit–village pairings, cadres, village posts, then an allocation.

Numbers follow the bulletin's ratio (about 21 cadres per 48 households needing one): each
village with such households is paired with one unit, which sends that many cadres (never fewer
than the capacity requires), one of them the village's first secretary; the town's unit sends a
poverty officer (扶贫专干) to each of its villages. Names and numbers are illustrative.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import models
from django.db.models import Count
from django.utils import timezone

from fupin.accounts.models import User
from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.demo import DEMO_LEADERS, DemoUser
from fupin.core.idnumbers import resident_id_make
from fupin.core.importing import rows_insert
from fupin.pairing import choices as c
from fupin.pairing.models import AidUnit, Cadre, UnitVillage, VillagePost
from fupin.regions.models import Region
from fupin.registry.models import Household

CITY_CODE = "370400000000"
CADRES_PER_HOUSEHOLD = 21 / 48
START = dt.date(2016, 1, 1)
HISTORY_REASON = "demo"
DEPARTMENTS = (
    "发展和改革局",
    "财政局",
    "农业农村局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "卫生健康局",
    "教育局",
    "民政局",
    "自然资源局",
    "市场监督管理局",
)
CITY_BODIES = ("枣庄市供电公司", "枣庄银行", "枣庄市委组织部", "枣庄市国资委", "枣庄市税务局")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红建国文斌海波"
POSITIONS = ("科员", "副科长", "科长", "副局长", "主任科员", "办事员")


@dataclass
class PairingDemoSummary:
    units: int = 0
    cadres: int = 0
    posts: int = 0
    pairings: int = 0
    uncovered: int = 0


def pairing_demo_load(*, seed: int, actor=None) -> PairingDemoSummary:
    """Write the demo's units, pairings of villages, cadres and posts, and allocate cadres."""
    from fupin.pairing.services import needing_q, pairing_allocate

    rng = random.Random(seed * 7 + 5)
    summary = PairingDemoSummary()
    needing = dict(
        Household.objects.filter(needing_q(), village__code__startswith="3704")
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
        .order_by()
    )
    if not needing:
        return summary
    names = dict(Region.objects.filter(level__lte=9).values_list("code", "name"))
    villages = sorted(needing)
    counties = sorted({v[:6] for v in villages})
    towns = sorted({v[:9] for v in villages})
    now = timezone.now()

    # Units: city bodies, the county departments and each town's government.
    unit_rows = [(name, c.UnitLevel.CITY.value, CITY_CODE) for name in CITY_BODIES]
    for county in counties:
        county_name = names.get(f"{county}000000", county)
        unit_rows += [
            (f"{county_name}{d}", c.UnitLevel.COUNTY.value, f"{county}000000") for d in DEPARTMENTS
        ]
    unit_rows += [
        (f"{names.get(t + '000', t)}人民政府", c.UnitLevel.TOWN.value, f"{t}000") for t in towns
    ]
    before = last_pk(AidUnit)
    rows_insert(
        AidUnit._meta.db_table,
        ["name", "level", "region_code", "active", "created_at"],
        ((name, level, region, True, now) for name, level, region in unit_rows),
    )
    units = list(
        AidUnit.objects.filter(pk__gt=before).values_list("pk", "level", "region_id").order_by("pk")
    )
    city_units = [pk for pk, level, _r in units if level == c.UnitLevel.CITY]
    by_county: dict[str, list[int]] = {}
    town_unit: dict[str, int] = {}
    for pk, level, region in units:
        if level == c.UnitLevel.COUNTY:
            by_county.setdefault(region[:6], []).append(pk)
        elif level == c.UnitLevel.TOWN:
            town_unit[region[:9]] = pk
    summary.units = len(units)

    # Each village paired with one unit: the county's departments in turn, a city body now and then.
    paired: dict[str, int] = {}
    turn: dict[str, int] = {}
    for village in villages:
        county = village[:6]
        if rng.random() < 0.1:
            paired[village] = city_units[rng.randrange(len(city_units))]
        else:
            options = by_county[county]
            paired[village] = options[turn.get(county, 0) % len(options)]
            turn[county] = turn.get(county, 0) + 1
    link_before = last_pk(UnitVillage)
    rows_insert(
        UnitVillage._meta.db_table,
        ["unit_id", "village_code", "start_date", "end_date"],
        ((paired[v], v, START, None) for v in villages),
    )

    # Cadres: the paired unit's (the first is the first secretary), and the town's poverty officer.
    from fupin.pairing.services import CAPACITY_KEY
    from fupin.policy.selectors import policy_get

    capacity = int(policy_get(CAPACITY_KEY, region_code=CITY_CODE, on=timezone.localdate()))
    cadre_rows = []
    posts = []  # (row index of the cadre, village, role)
    serial = 0

    def cadre(unit_id: int, county: str, position: str) -> int:
        nonlocal serial
        serial += 1
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 30))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        cadre_rows.append(
            (
                name,
                f"139{serial:08d}",
                resident_id_make(county, birth, serial % 1000),
                unit_id,
                position,
                True,
                now,
            )
        )
        return len(cadre_rows) - 1

    for village in villages:
        county = village[:6]
        n = max(
            math.ceil(needing[village] * CADRES_PER_HOUSEHOLD), -(-needing[village] // capacity)
        )
        for i in range(n):
            index = cadre(paired[village], county, "第一书记" if i == 0 else rng.choice(POSITIONS))
            if i == 0:
                posts.append((index, village, c.VillageRole.FIRST_SECRETARY.value))
        index = cadre(town_unit[village[:9]], county, "扶贫专干")
        posts.append((index, village, c.VillageRole.POVERTY_OFFICER.value))
    # ID numbers must be unique: a clash of county, birth date and sequence moves the sequence on.
    seen: set[str] = set()
    for i, row in enumerate(cadre_rows):
        number, bump = row[2], 0
        while number in seen:
            bump += 1
            number = resident_id_make(
                number[:6], _birth(number), (int(number[14:17]) + bump) % 1000
            )
        seen.add(number)
        cadre_rows[i] = (*row[:2], number, *row[3:])
    cadre_before = last_pk(Cadre)
    rows_insert(
        Cadre._meta.db_table,
        ["name", "phone", "id_number", "unit_id", "position", "active", "created_at"],
        cadre_rows,
    )
    cadre_ids = list(
        Cadre.objects.filter(pk__gt=cadre_before).order_by("pk").values_list("pk", flat=True)
    )
    post_before = last_pk(VillagePost)
    rows_insert(
        VillagePost._meta.db_table,
        ["cadre_id", "village_code", "role", "start_date", "end_date"],
        ((cadre_ids[index], village, role, START, None) for index, village, role in posts),
    )
    for model, last in (
        (AidUnit, before),
        (UnitVillage, link_before),
        (Cadre, cadre_before),
        (VillagePost, post_before),
    ):
        history_bulk_record(
            queryset=model.objects.filter(pk__gt=last),
            history_type="+",
            actor=actor,
            reason=HISTORY_REASON,
        )
    summary.cadres = len(cadre_ids)
    summary.posts = len(posts)
    result = pairing_allocate(region_code=CITY_CODE, actor=actor)
    summary.pairings = result.added
    summary.uncovered = result.uncovered_count
    return summary


def _birth(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


# -- visits (走访), key towns and villages, leaders and their rounds (遍访) ------------------------

FOUND = (
    "家中生活正常，收入稳定",
    "户主身体好转，能下地干活",
    "子女在外务工，按月寄钱回家",
    "老人慢性病需长期服药",
    "家里养殖的羊长势良好",
    "大棚蔬菜今年收成不错",
    "孩子在县城读初中，享受教育资助",
    "房屋安全，饮水正常",
)
DONE = (
    "宣讲帮扶政策，核对享受政策情况",
    "帮助联系公益岗位",
    "协助办理医疗报销",
    "对接产业项目技术员上门指导",
    "送去慰问品",
    "帮助申请小额信贷",
    "核实收入，更新明白卡",
)
PROBLEMS = (
    "房屋漏雨，需要维修",
    "希望就近务工",
    "医疗费用负担较重",
    "农产品销路不畅",
    "自来水压力不足",
)
ROUND_NOTES = (
    "实地查看帮扶项目进展",
    "召开座谈会听取意见",
    "入户了解生产生活情况",
    "督导结对帮扶工作",
)
# The role a demo leader's login has (what else they may do follows from it).
LEADER_ROLES = {
    "city_secretary": "city_admin",
    "county_secretary": "county_officer",
    "town_secretary": "town_officer",
    "village_secretary": "village_officer",
}
KEY_VILLAGE_SHARE = 0.15
LAGGING_SHARE = 0.12


@dataclass
class VisitsDemoSummary:
    visits: int = 0
    key_towns: int = 0
    key_villages: int = 0
    leaders: list = None
    round_visits: int = 0


def visits_demo_load(*, seed: int, password: str, actor=None) -> VisitsDemoSummary:
    """Write a year of cadre visits, key towns and villages, demo leaders and their rounds.

    Runs after the demo users exist: the `cadre` user is linked to a cadre of its village, and
    leaders (sec_city, sec_county, sec_town, sec_village, and a county secretary per county) are
    added with the demo password. Most households are visited on time, some are overdue.
    """
    from fupin.accounts.models import User
    from fupin.accounts.services import user_add
    from fupin.core.services import event_record
    from fupin.pairing.models import Pairing, RoundVisit, Visit
    from fupin.pairing.selectors import VISIT_DAYS_KEY, round_targets
    from fupin.policy.selectors import policy_get
    from fupin.registry.choices import CATEGORIES_NEEDING_CADRE
    from fupin.registry.models import category_q

    rng = random.Random(seed * 11 + 3)
    summary = VisitsDemoSummary(leaders=[])
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    pairings = list(
        Pairing.objects.active()
        .filter(household__village__code__startswith="3704")
        .order_by("pk")
        .values_list("pk", "cadre_id", "household_id", "household__village_id")
    )
    if not pairings:
        return summary
    # The demo's pairings stand for a year already, so that a year of visits can belong to them.
    demo_pairings = Pairing.objects.active().filter(household__village__code__startswith="3704")
    Pairing.history.filter(id__in=demo_pairings.values("pk")).update(start_date=year_ago)
    demo_pairings.update(start_date=year_ago)

    _demo_cadre_login(today=today, actor=actor)
    pairings = list(
        Pairing.objects.active()
        .filter(household__village__code__startswith="3704")
        .order_by("pk")
        .values_list("pk", "cadre_id", "household_id", "household__village_id")
    )

    category_of: dict[int, str] = {}
    for category in CATEGORIES_NEEDING_CADRE:
        for pk in Household.objects.filter(category_q(category)).values_list("pk", flat=True):
            category_of[pk] = category
    days_of = {
        category: int(
            policy_get(VISIT_DAYS_KEY.format(category=category), region_code=CITY_CODE, on=today)
        )
        for category in CATEGORIES_NEEDING_CADRE
    }
    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows = []
    for pairing_id, cadre_id, household_id, village in pairings:
        days = days_of.get(category_of.get(household_id, ""), 0)
        if not days:
            continue
        # A lagging cadre stops visiting this household some time before today.
        until = today
        if rng.random() < LAGGING_SHARE:
            until = today - dt.timedelta(days=days + rng.randint(1, days))
        lat0, lon0 = _village_point(village)
        day = year_ago + dt.timedelta(days=rng.randint(0, days - 1))
        serial = 0
        while day <= until:
            serial += 1
            at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tz)
            problems = rng.choice(PROBLEMS) if rng.random() < 0.3 else ""
            located = rng.random() < 0.6
            rows.append(
                (
                    cadre_id,
                    household_id,
                    at,
                    day,
                    round(lat0 + rng.uniform(-0.004, 0.004), 6) if located else None,
                    round(lon0 + rng.uniform(-0.004, 0.004), 6) if located else None,
                    rng.choice(FOUND),
                    rng.choice(DONE),
                    problems,
                    bool(problems) and rng.random() < 0.7,
                    None,
                    f"demo-{pairing_id}-{serial}",
                    now,
                )
            )
            day += dt.timedelta(days=rng.randint(max(7, days - 12), days))
    before = last_pk(Visit)
    summary.visits = rows_insert(
        Visit._meta.db_table,
        [
            "cadre_id",
            "household_id",
            "visited_at",
            "visited_on",
            "latitude",
            "longitude",
            "found",
            "done",
            "problems",
            "problems_solved",
            "recorded_by_id",
            "idempotency_key",
            "created_at",
        ],
        rows,
    )
    history_bulk_record(
        queryset=Visit.objects.filter(pk__gt=before),
        history_type="+",
        actor=actor,
        reason=HISTORY_REASON,
    )

    # Key towns (a couple per county) and key villages (about one in seven).
    towns = sorted(
        Region.objects.filter(level=9, code__startswith="3704").values_list("code", flat=True)
    )
    by_county: dict[str, list[str]] = {}
    for town in towns:
        by_county.setdefault(town[:6], []).append(town)
    key_towns = [
        town
        for county in sorted(by_county)
        for town in rng.sample(by_county[county], min(len(by_county[county]), rng.choice((1, 2))))
    ]
    villages = sorted(
        Region.objects.filter(level=12, code__startswith="3704").values_list("code", flat=True)
    )
    key_villages = [v for v in villages if rng.random() < KEY_VILLAGE_SHARE]
    # A few hundred codes at most (one per town or village), within the database's parameter limits.
    Region.objects.filter(code__in=key_towns + key_villages).update(is_key=True)
    history_bulk_record(
        queryset=Region.objects.filter(code__in=key_towns + key_villages),
        history_type="~",
        actor=actor,
        reason=f"{HISTORY_REASON}: 重点镇村",
    )
    summary.key_towns, summary.key_villages = len(key_towns), len(key_villages)

    # Leaders: the city secretary, a secretary per county, and town and village secretaries of the
    # demo town and village (the `town` and `village` users' regions).
    town_user = User.objects.filter(username="town").first()
    village_user = User.objects.filter(username="village").first()
    leaders = [("sec_city", "city_secretary", CITY_CODE)]
    for county in sorted(by_county):
        name = "sec_county" if county == "370481" else f"sec_{county}"
        leaders.append((name, "county_secretary", f"{county}000000"))
    if town_user is not None:
        leaders.append(("sec_town", "town_secretary", town_user.region_id))
    if village_user is not None:
        leaders.append(("sec_village", "village_secretary", village_user.region_id))
    names = dict(
        Region.objects.filter(code__in=[c for *_r, c in leaders]).values_list("code", "name")
    )
    position_labels = {
        "city_secretary": "市委书记",
        "county_secretary": "县委书记",
        "town_secretary": "党委书记",
        "village_secretary": "党支部书记",
    }
    start = dt.date(today.year, 1, 1)
    round_rows = []
    encoded = None
    for username, position, code in leaders:
        if User.objects.filter(username=username).exists():
            continue
        display_name = f"{names.get(code, code)}{position_labels[position]}"
        if encoded is None:
            user = user_add(
                username=username,
                role=LEADER_ROLES[position],
                region_code=code,
                password=password,
                display_name=display_name,
                actor=actor,
            )
            user.position = position
            user.save(update_fields=["position"])
            encoded = user.password
        else:
            # The same password, checked and hashed once: hashing costs about half a second each.
            user = User(
                username=username,
                role=LEADER_ROLES[position],
                region_id=code,
                display_name=display_name,
                position=position,
                password=encoded,
            )
            user.save()
            event_record(
                actor=actor,
                verb="user.added",
                obj=user,
                region_code=code,
                data={"username": username, "role": user.role},
            )
        summary.leaders.append(username)
        targets = round_targets(user=user, start=start, end=today)
        share = rng.uniform(0.55, 1.0)
        span = max(0, (today - start).days)
        households = dict(
            Household.objects.filter(
                household_no__in=[t.code for t in targets if t.kind == "household"]
            ).values_list("household_no", "pk")
        )
        for n, target in enumerate(targets):
            if rng.random() > share:
                continue
            day = start + dt.timedelta(days=rng.randint(0, span))
            at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tz)
            round_rows.append(
                (
                    user.pk,
                    target.village_code,
                    households.get(target.code) if target.kind == "household" else None,
                    at,
                    day,
                    None,
                    None,
                    rng.choice(ROUND_NOTES),
                    f"demo-round-{user.pk}-{n}",
                    now,
                )
            )
    before = last_pk(RoundVisit)
    summary.round_visits = rows_insert(
        RoundVisit._meta.db_table,
        [
            "leader_id",
            "region_code",
            "household_id",
            "visited_at",
            "visited_on",
            "latitude",
            "longitude",
            "notes",
            "idempotency_key",
            "created_at",
        ],
        round_rows,
    )
    history_bulk_record(
        queryset=RoundVisit.objects.filter(pk__gt=before),
        history_type="+",
        actor=actor,
        reason=HISTORY_REASON,
    )
    return summary


def _demo_cadre_login(*, today: dt.date, actor) -> Cadre | None:
    """Give the demo `cadre` login a cadre of its village's unit, paired with the village's households.

    The allocation spreads a village's households over several cadres, some of whom also help
    elsewhere; the login (whose scope is its village) takes over up to capacity of them.
    """
    from fupin.accounts.models import User
    from fupin.pairing.models import Pairing
    from fupin.pairing.services import CAPACITY_KEY
    from fupin.policy.selectors import policy_get

    login = User.objects.filter(username="cadre").first()
    if login is None or login.region_id is None or hasattr(login, "cadre"):
        return None
    village = login.region_id
    unit_id = (
        UnitVillage.objects.current(today)
        .filter(village_id=village)
        .order_by("pk")
        .values_list("unit_id", flat=True)
        .first()
    )
    if unit_id is None:
        return None
    serial = 999
    number = resident_id_make(village[:6], dt.date(1982, 6, 18), serial)
    while Cadre.objects.filter(id_number=number).exists():
        serial -= 1
        number = resident_id_make(village[:6], dt.date(1982, 6, 18), serial)
    cadre = Cadre(
        name="赵明",
        phone="13900000999",
        id_number=number,
        unit_id=unit_id,
        position="科员",
        user=login,
    )
    cadre._history_user = actor if getattr(actor, "pk", None) else None
    cadre.save()
    capacity = int(policy_get(CAPACITY_KEY, region_code=village, on=today))
    firsts = (
        Pairing.objects.active()
        .filter(household__village_id=village)
        .values("household_id")
        .annotate(first=models.Min("pk"))
        .order_by("household_id")
        .values_list("first", flat=True)[:capacity]
    )
    ids = list(firsts)
    Pairing.objects.filter(pk__in=ids).update(cadre=cadre)
    history_bulk_record(
        queryset=Pairing.objects.filter(pk__in=ids),
        history_type="~",
        actor=actor,
        reason=HISTORY_REASON,
    )
    return cadre


def _village_point(code: str) -> tuple[float, float]:
    """Return an illustrative point for a village of Zaozhuang (about 34.8°N 117.5°E)."""
    n = int(code[6:])
    return 34.6 + (n % 997) / 997 * 0.6, 117.2 + (n % 991) / 991 * 0.6


def pairing_demo_step(context) -> None:
    """Demo step: aid units, cadres and their pairings on the registry's households."""
    pairing_demo_load(seed=context.seed, actor=context.actor)


def visits_demo_step(context) -> None:
    """Demo step: a year of cadre visits, key towns and villages, and leaders with their rounds."""
    visits = visits_demo_load(seed=context.seed, password=context.password, actor=context.actor)
    leaders = {
        u.username: u
        for u in User.objects.filter(username__in=visits.leaders).select_related("region")
    }
    context.summary.users += [
        DemoUser(name, user.role, user.region_id, user.region.name, user.position)
        for name in DEMO_LEADERS
        if (user := leaders.get(name))
    ]
