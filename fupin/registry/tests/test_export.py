"""Household export: the import's columns, masked personal data, scope, permission, events."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.core.models import Event
from fupin.registry.exporting import household_export
from fupin.registry.models import Household, Person
from fupin.registry.services import household_import
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.registry.tests.test_import import HEADER, family, pid, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(regions, tmp_path):
    """Return the households of family() in village A plus one in village B and one removed."""
    result = household_import(
        path=write_csv(
            tmp_path / "in.csv",
            [
                *family("H1", 1),
                {
                    **family("H2", 10)[0],
                    "贫困状态": "已脱贫",
                    "是否享受政策": "是",
                    "监测类型": "边缘易致贫户",
                    "风险状态": "风险未消除",
                },
            ],
        )
    )
    assert result.ok, result.problems
    away = HouseholdFactory(village=regions.village_b, household_no="B1")
    PersonFactory(household=away, relation="head")
    gone = HouseholdFactory(
        village=regions.village_a,
        household_no="GONE",
        removal_reason="moved",
        removed_on=dt.date(2021, 1, 1),
    )
    PersonFactory(household=gone, relation="head")
    left = Person.objects.get(id_number=pid(3))
    Person.objects.filter(pk=left.pk).update(left_on=dt.date(2022, 1, 1), left_reason="moved")
    return regions


def read_rows(path) -> list[list[str]]:
    sheet = load_workbook(path, read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_export_writes_the_import_columns_with_chinese_labels_and_masked_ids(stored, tmp_path):
    officer = UserFactory(role="town_officer", region=stored.town_a)

    count = household_export(
        user=officer, region_code=stored.town_a.code, out_path=tmp_path / "o.xlsx"
    )

    rows = read_rows(tmp_path / "o.xlsx")
    assert rows[0] == HEADER
    assert (
        count == len(rows) - 1 == 3
    )  # the member who left and the removed household are not listed
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["户编号"] == "H1" and first["与户主关系"] == "户主"
    assert first["证件号码"] == pid(1)[:6] + "********" + pid(1)[-4:]
    assert first["联系电话"] == "138****8000"
    assert (first["贫困状态"], first["户属性"], first["主要致贫原因"]) == (
        "未脱贫",
        "一般户",
        "因病",
    )
    spouse = dict(zip(HEADER, rows[2], strict=True))
    assert (spouse["健康状况"], spouse["残疾等级"], spouse["劳动能力"]) == (
        "残疾",
        "二级",
        "丧失劳动力",
    )
    other = dict(zip(HEADER, rows[3], strict=True))
    assert (other["户编号"], other["是否享受政策"], other["监测类型"], other["风险状态"]) == (
        "H2",
        "是",
        "边缘易致贫户",
        "风险未消除",
    )
    assert "B1" not in {row[0] for row in rows}


def test_every_export_is_recorded_as_an_event(stored, tmp_path):
    officer = UserFactory(role="town_officer", region=stored.town_a)

    household_export(user=officer, region_code=stored.village_a.code, out_path=tmp_path / "o.xlsx")

    event = Event.objects.get(verb="registry.households_exported")
    assert (event.actor, event.object_id, event.data["full_ids"], event.data["rows"]) == (
        officer,
        stored.village_a.code,
        False,
        3,
    )


def test_full_ids_need_the_permission_and_are_recorded(stored, tmp_path):
    county = UserFactory(role="county_officer", region=stored.county)

    household_export(
        user=county, region_code=stored.county.code, out_path=tmp_path / "o.xlsx", full_ids=True
    )

    rows = read_rows(tmp_path / "o.xlsx")
    assert pid(1) in {row[2] for row in rows}
    assert "13800138000" in {row[5] for row in rows}
    event = Event.objects.get(verb="registry.households_exported")
    assert event.data["full_ids"] is True and event.actor == county


def test_full_ids_are_refused_to_a_role_without_the_permission(stored, tmp_path):
    town = UserFactory(role="town_officer", region=stored.town_a)

    with pytest.raises(FupinError) as refused:
        household_export(
            user=town, region_code=stored.town_a.code, out_path=tmp_path / "o.xlsx", full_ids=True
        )

    assert refused.value.code == "forbidden"
    assert not (tmp_path / "o.xlsx").exists()
    assert not Event.objects.filter(verb="registry.households_exported").exists()


def test_a_region_outside_the_scope_is_not_found(stored, tmp_path):
    town = UserFactory(role="town_officer", region=stored.town_a)

    for code in (stored.town_b.code, stored.county.code, "999999999999"):
        with pytest.raises(FupinError) as refused:
            household_export(user=town, region_code=code, out_path=tmp_path / "o.xlsx")
        assert (refused.value.code, refused.value.status) == ("not_found", 404)


def test_a_role_without_the_export_permission_is_refused(stored, tmp_path):
    cadre = UserFactory(role="cadre", region=stored.town_a)

    with pytest.raises(FupinError) as refused:
        household_export(user=cadre, region_code=stored.town_a.code, out_path=tmp_path / "o.xlsx")

    assert refused.value.code == "forbidden"


def test_an_export_with_full_ids_imports_back_unchanged(stored, tmp_path):
    household_export(
        user=None, region_code=stored.county.code, out_path=tmp_path / "o.xlsx", full_ids=True
    )

    result = household_import(path=tmp_path / "o.xlsx")

    assert result.ok, result.problems
    assert (result.created, result.updated) == (0, 0)
    assert result.details["persons"]["updated"] == 0


def test_a_masked_export_does_not_import(stored, tmp_path):
    household_export(user=None, region_code=stored.county.code, out_path=tmp_path / "o.xlsx")

    result = household_import(path=tmp_path / "o.xlsx")

    assert {p.column for p in result.problems} >= {"证件号码"}
    assert Household.objects.count() == 4


def test_export_command_masks_by_default_and_acts_as_the_named_user(stored, tmp_path, capsys):
    UserFactory(username="town", role="town_officer", region=stored.town_a)
    out = tmp_path / "o.xlsx"

    call_command(
        "export", "households", "--region", stored.town_a.code, "--out", str(out), "--by", "town"
    )
    with pytest.raises(CommandError) as refused:
        call_command(
            "export",
            "households",
            "--region",
            stored.town_b.code,
            "--out",
            str(out),
            "--by",
            "town",
        )
    with pytest.raises(CommandError):
        call_command(
            "export",
            "households",
            "--region",
            stored.town_a.code,
            "--out",
            str(out),
            "--by",
            "town",
            "--full-ids",
        )

    assert capsys.readouterr().out.startswith("3 rows written")
    assert pid(1) not in {row[2] for row in read_rows(out)}
    assert "not_found" in str(refused.value)


def test_system_export_sees_everything_and_may_write_full_ids(stored, tmp_path):
    call_command(
        "export",
        "households",
        "--region",
        stored.province.code,
        "--out",
        str(tmp_path / "o.xlsx"),
        "--full-ids",
    )

    rows = read_rows(tmp_path / "o.xlsx")
    assert {row[0] for row in rows[1:]} == {"H1", "H2", "B1"}
    assert pid(1) in {row[2] for row in rows}
    assert Event.objects.get(verb="registry.households_exported").actor is None


def test_a_name_that_looks_like_a_formula_is_exported_as_text(regions, tmp_path):
    household = HouseholdFactory(village=regions.village_a, household_no="F1")
    PersonFactory(household=household, relation="head", name="=1+1")
    county = UserFactory(role="county_officer", region=regions.county)

    household_export(user=county, region_code=regions.county.code, out_path=tmp_path / "o.xlsx")

    sheet = load_workbook(tmp_path / "o.xlsx").active
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("=1+1", "s")
    assert sheet.freeze_panes == "A2"
