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

from django.db.models import Count
from django.utils import timezone

from fupin.core.bulk import history_bulk_record
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
    before = _last(AidUnit)
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
    link_before = _last(UnitVillage)
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
    cadre_before = _last(Cadre)
    rows_insert(
        Cadre._meta.db_table,
        ["name", "phone", "id_number", "unit_id", "position", "active", "created_at"],
        cadre_rows,
    )
    cadre_ids = list(
        Cadre.objects.filter(pk__gt=cadre_before).order_by("pk").values_list("pk", flat=True)
    )
    post_before = _last(VillagePost)
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


def _last(model) -> int:
    from django.db.models import Max

    return model.objects.aggregate(last=Max("pk"))["last"] or 0
