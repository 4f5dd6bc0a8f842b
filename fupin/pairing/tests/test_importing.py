import csv

import pytest
from django.core.management import CommandError, call_command

from fupin.accounts.tests.factories import UserFactory
from fupin.pairing.importing import cadre_import, pairing_import, unit_import
from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage, VillagePost
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.registry.tests.factories import HouseholdFactory, id_number


def write(tmp_path, name, rows):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_units_with_chinese_headers_and_their_villages(regions, tmp_path):
    path = write(
        tmp_path,
        "units.csv",
        [
            ["单位名称", "单位层级", "所属区划代码", "帮扶村代码"],
            [
                "滕州市财政局",
                "县直单位",
                regions.county.code,
                f"{regions.village_a.code}；{regions.village_b.code}",
            ],
            ["洪绪镇人民政府", "town", regions.town_a.code, ""],
        ],
    )
    result = unit_import(path=path)
    assert result.ok and (result.created, result.details["village_pairings_added"]) == (2, 2)
    unit = AidUnit.objects.get(name="滕州市财政局")
    assert unit.level == "county" and unit.history.count() == 1
    assert set(UnitVillage.objects.values_list("village_id", flat=True)) == {
        regions.village_a.code,
        regions.village_b.code,
    }
    again = unit_import(path=path)
    assert (again.created, again.unchanged, again.details["village_pairings_added"]) == (0, 2, 0)


def test_a_bad_units_file_writes_nothing_and_reports_every_problem(regions, tmp_path):
    path = write(
        tmp_path,
        "units.csv",
        [
            ["name", "level", "region_code"],
            ["甲单位", "province", regions.county.code],
            ["乙单位", "county", "370481999999"],
            ["", "county", regions.county.code],
            ["丙单位", "county", regions.county.code],
        ],
    )
    result = unit_import(path=path)
    assert not result.ok
    assert [(p.row, p.column, p.code) for p in result.sorted_problems()] == [
        (2, "level", "invalid_choice"),
        (3, "region_code", "unknown_region"),
        (4, "name", "required"),
    ]
    assert not AidUnit.objects.exists()


def test_units_outside_the_actors_scope_are_refused(regions, tmp_path):
    town_a = UserFactory(role="town_officer", region=regions.town_a)
    path = write(
        tmp_path,
        "units.csv",
        [["name", "level", "region_code"], ["乙", "town", regions.town_b.code]],
    )
    result = unit_import(path=path, actor=town_a)
    assert [p.code for p in result.problems] == ["out_of_scope"]


def test_cadres_by_id_number_with_posts(regions, tmp_path):
    AidUnitFactory(name="滕州市财政局", region=regions.county)
    good = id_number(3001)
    path = write(
        tmp_path,
        "cadres.csv",
        [
            [
                "姓名",
                "身份证号码",
                "联系电话",
                "单位名称",
                "单位所属区划代码",
                "职务",
                "是否在岗",
                "驻村村代码",
                "驻村岗位",
            ],
            [
                "王书记",
                good,
                "13900000001",
                "滕州市财政局",
                regions.county.code,
                "副局长",
                "是",
                regions.village_a.code,
                "第一书记",
            ],
            [
                "李干部",
                id_number(3002),
                "",
                "滕州市财政局",
                regions.county.code,
                "科员",
                "否",
                "",
                "",
            ],
        ],
    )
    result = cadre_import(path=path)
    assert result.ok, result.problems
    assert result.created == 2
    assert not Cadre.objects.get(name="李干部").active
    post = VillagePost.objects.get()
    assert (post.cadre.name, post.village_id, post.role) == (
        "王书记",
        regions.village_a.code,
        "first_secretary",
    )


def test_a_bad_cadres_file_names_row_column_and_code(regions, tmp_path):
    AidUnitFactory(name="滕州市财政局", region=regions.county)
    good = id_number(3001)
    path = write(
        tmp_path,
        "cadres.csv",
        [
            ["name", "id_number", "unit", "unit_region_code", "post_role", "post_village_code"],
            [
                "甲",
                good[:17] + ("0" if good[17] != "0" else "1"),
                "滕州市财政局",
                regions.county.code,
                "",
                "",
            ],
            ["乙", good, "不存在的单位", regions.county.code, "", ""],
            [
                "丙",
                id_number(3003),
                "滕州市财政局",
                regions.county.code,
                "队长",
                regions.village_a.code,
            ],
            ["丁", good, "滕州市财政局", regions.county.code, "", ""],
        ],
    )
    result = cadre_import(path=path)
    assert [(p.row, p.column, p.code) for p in result.sorted_problems()] == [
        (2, "id_number", "id_checksum"),
        (3, "unit", "unknown_unit"),
        (4, "post_role", "invalid_choice"),
        (5, "id_number", "duplicate_id_number"),
    ]
    assert not Cadre.objects.exists()


def test_pairings_are_created_and_ended(regions, tmp_path):
    cadre = CadreFactory(unit=AidUnitFactory(region=regions.county))
    one = HouseholdFactory(village=regions.village_a)
    two = HouseholdFactory(village=regions.village_a)
    ending = PairingFactory(cadre=cadre, household=two)
    path = write(
        tmp_path,
        "pairings.csv",
        [
            ["帮扶责任人身份证号码", "户编号", "开始日期", "结束日期", "结束原因"],
            [cadre.id_number, one.household_no, "2019-03-01", "", ""],
            [cadre.id_number, two.household_no, "2017-01-01", "2020/12/31", "重新分配"],
        ],
    )
    result = pairing_import(path=path)
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert Pairing.objects.active().get().household == one
    ending.refresh_from_db()
    assert (str(ending.end_date), ending.end_reason) == ("2020-12-31", "reallocated")


def test_a_bad_pairings_file_writes_nothing(regions, tmp_path):
    cadre = CadreFactory(unit=AidUnitFactory(region=regions.county))
    one = HouseholdFactory(village=regions.village_a)
    path = write(
        tmp_path,
        "pairings.csv",
        [
            ["cadre_id_number", "household_no", "start_date", "end_date", "end_reason"],
            [cadre.id_number, one.household_no, "2019-03-01", "", ""],
            [cadre.id_number, "NOPE", "2019-03-01", "", ""],
            [id_number(9999), one.household_no, "2019-13-01", "", ""],
            [cadre.id_number, one.household_no, "2019-03-01", "2018-01-01", ""],
        ],
    )
    result = pairing_import(path=path)
    codes = [(p.row, p.code) for p in result.sorted_problems()]
    assert (3, "unknown_household") in codes
    assert (4, "invalid_date") in codes and (4, "unknown_cadre") in codes
    assert (5, "end_reason_required") in codes and (5, "end_before_start") in codes
    assert not Pairing.objects.exists()


def test_the_import_command_writes_a_report(regions, tmp_path):
    path = write(tmp_path, "units.csv", [["name", "level"], ["甲", "county"]])
    with pytest.raises(CommandError, match="import_invalid"):
        call_command("import", "units", str(path))
    report = (tmp_path / "units.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert "missing_columns" in report
