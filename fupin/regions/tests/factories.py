"""Factories of regions (real records in a real test database)."""

from types import SimpleNamespace

from fupin.regions.services import region_create


def region_tree() -> SimpleNamespace:
    """Create Shandong > Zaozhuang > Tengzhou > two towns > one village each (+ a second county)."""
    province = region_create(code="370000000000", name="山东省")
    city = region_create(code="370400000000", name="枣庄市")
    county = region_create(code="370481000000", name="滕州市")
    town_a = region_create(code="370481101000", name="洪绪镇")
    town_b = region_create(code="370481102000", name="南沙河镇")
    village_a = region_create(code="370481101201", name="洪村")
    village_b = region_create(code="370481102201", name="沙村")
    county_2 = region_create(code="370406000000", name="山亭区")
    town_c = region_create(code="370406100000", name="店子镇")
    village_c = region_create(code="370406100201", name="店子村")
    return SimpleNamespace(
        province=province,
        city=city,
        county=county,
        town_a=town_a,
        town_b=town_b,
        village_a=village_a,
        village_b=village_b,
        county_2=county_2,
        town_c=town_c,
        village_c=village_c,
    )
