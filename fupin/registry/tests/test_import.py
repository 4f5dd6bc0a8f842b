"""Household and income imports: every rule of the file, all or nothing, idempotent, with history."""

import csv
import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_make
from fupin.core.models import Event
from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.services import household_import, income_import
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory, id_number

pytestmark = pytest.mark.django_db

VILLAGE_A = "370481101201"
VILLAGE_B = "370481102201"
VILLAGE_C = "370406100201"
BORN = dt.date(1950, 5, 1)  # before 370481 existed (1989): IDs keep the code of their first issue
HEADER = [
    "户编号",
    "行政区划代码",
    "证件号码",
    "姓名",
    "与户主关系",
    "联系电话",
    "贫困状态",
    "是否享受政策",
    "户属性",
    "监测类型",
    "风险状态",
    "主要致贫原因",
    "健康状况",
    "残疾等级",
    "劳动能力",
    "在校生状况",
]
ENGLISH = {
    "户编号": "household_no",
    "行政区划代码": "village_code",
    "证件号码": "id_number",
    "姓名": "name",
    "与户主关系": "relation",
    "联系电话": "phone",
    "贫困状态": "poverty_status",
    "是否享受政策": "policy_support",
    "户属性": "household_type",
    "监测类型": "monitoring_type",
    "风险状态": "risk_state",
    "主要致贫原因": "main_cause",
    "健康状况": "health",
    "残疾等级": "disability_grade",
    "劳动能力": "labor_ability",
    "在校生状况": "schooling",
}


def pid(n: int) -> str:
    return id_number(n, birth=BORN)


def head(no="H1", n=1, **cells) -> dict:
    return {
        "户编号": no,
        "行政区划代码": VILLAGE_A,
        "证件号码": pid(n),
        "姓名": f"户主{n}",
        "与户主关系": "户主",
        "贫困状态": "未脱贫",
        "户属性": "一般户",
        **cells,
    }


def member(no="H1", n=2, relation="配偶", **cells) -> dict:
    return {
        "户编号": no,
        "行政区划代码": VILLAGE_A,
        "证件号码": pid(n),
        "姓名": f"成员{n}",
        "与户主关系": relation,
        **cells,
    }


def family(no="H1", first=1) -> list[dict]:
    return [
        head(no, first, 联系电话="13800138000", 主要致贫原因="因病"),
        member(no, first + 1, 健康状况="残疾", 残疾等级="二级", 劳动能力="丧失劳动力"),
        member(no, first + 2, "之子", 在校生状况="小学"),
    ]


def write_csv(path: Path, rows: list[dict], header=HEADER, encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def write_xlsx(path: Path, rows: list[dict], header=HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    workbook.save(path)
    return path


def problems_of(result) -> set[tuple[str, int, str]]:
    return {(p.code, p.row, p.column) for p in result.problems}


def nothing_written():
    return not Household.objects.exists() and not Person.objects.exists()


# A clean file ------------------------------------------------------------------------------------


def test_clean_file_creates_households_and_members_with_sex_and_birth_from_the_id(
    regions, tmp_path
):
    rows = [
        *family("H1", 1),
        head(
            "H2",
            10,
            贫困状态="已脱贫",
            是否享受政策="是",
            户属性="低保户",
            监测类型="边缘易致贫户",
            风险状态="风险未消除",
        ),
    ]

    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.details["persons"] == {"created": 4, "updated": 0, "unchanged": 0}
    h1 = Household.objects.get(household_no="H1")
    assert (
        h1.village_id,
        h1.poverty_status,
        h1.household_type,
        h1.main_cause,
        h1.policy_support,
    ) == (VILLAGE_A, "not_lifted", "general", "illness", None)
    h2 = Household.objects.get(household_no="H2")
    assert (
        h2.poverty_status,
        h2.policy_support,
        h2.household_type,
        h2.monitoring_type,
        h2.risk_state,
    ) == ("lifted", True, "dibao", "edge", "open")
    assert h2.support_category == "monitored"
    spouse = Person.objects.get(id_number=pid(2))
    assert (spouse.relation, spouse.health, spouse.disability_grade, spouse.labor_ability) == (
        "spouse",
        "disabled",
        2,
        "lost",
    )
    assert (spouse.sex, spouse.birth_date) == ("F" if int(pid(2)[16]) % 2 == 0 else "M", BORN)
    first = Person.objects.get(id_number=pid(1))
    assert (first.phone, first.relation, first.left_on) == ("13800138000", "head", None)
    assert Person.objects.get(id_number=pid(3)).schooling == "primary"


def test_a_clean_import_leaves_creation_history_and_one_event(regions, tmp_path):
    actor = UserFactory(role="county_officer", region=regions.county)

    household_import(path=write_csv(tmp_path / "f.csv", family()), actor=actor)

    assert list(
        Household.history.values_list("household_no", "history_type", "history_user_id")
    ) == [("H1", "+", actor.pk)]
    assert Person.history.filter(history_type="+").count() == 3
    event = Event.objects.get(verb="registry.households_imported")
    assert event.actor == actor
    assert event.data["households"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert event.data["persons"]["created"] == 3


def test_the_same_file_again_changes_nothing(regions, tmp_path):
    path = write_csv(tmp_path / "f.csv", [*family("H1", 1), *family("H2", 10)])
    household_import(path=path)
    history = (Household.history.count(), Person.history.count())

    again = household_import(path=path)

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.details["persons"] == {"created": 0, "updated": 0, "unchanged": 6}
    assert (Household.history.count(), Person.history.count()) == history


def test_a_changed_row_updates_the_record_and_leaves_history(regions, tmp_path):
    rows = family()
    household_import(path=write_csv(tmp_path / "f.csv", rows))
    rows[0] = {**rows[0], "贫困状态": "已脱贫", "是否享受政策": "否", "联系电话": "13900139000"}
    rows[2] = {**rows[2], "姓名": "改名"}

    result = household_import(path=write_csv(tmp_path / "g.csv", rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert result.details["persons"] == {"created": 0, "updated": 2, "unchanged": 1}
    household = Household.objects.get(household_no="H1")
    assert (household.poverty_status, household.policy_support) == ("lifted", False)
    assert Person.objects.get(id_number=pid(1)).phone == "13900139000"
    assert Person.objects.get(id_number=pid(3)).name == "改名"
    changed = Household.history.filter(history_type="~").get()
    assert (changed.poverty_status, changed.history_change_reason) == ("lifted", "导入文件 g.csv")
    assert sorted(Person.history.filter(history_type="~").values_list("id_number", flat=True)) == [
        pid(1),
        pid(3),
    ]
    assert Person.history.filter(history_type="~", id_number=pid(2)).count() == 0


def test_a_poverty_status_move_its_table_lacks_is_refused_with_the_moves_allowed(regions, tmp_path):
    # Given a household registered poor and lifted out
    rows = family()
    rows[0] = {**rows[0], "贫困状态": "已脱贫"}
    household_import(path=write_csv(tmp_path / "f.csv", rows))
    # When a file restates it as an ordinary household (清退 is a removal, not a status)
    rows[0] = {**rows[0], "贫困状态": "一般农户"}
    result = household_import(path=write_csv(tmp_path / "g.csv", rows))
    # Then the row is refused with the move and what it may become, and nothing changes
    assert problems_of(result) == {("invalid_transition", 2, "贫困状态")}
    (problem,) = result.problems
    assert problem.message == "该户现为“已脱贫”，不能改为“一般农户”（可改为：未脱贫）"
    assert problem.message_en == (
        'The household is "lifted" and cannot become "none" (allowed: not_lifted)'
    )
    assert Household.objects.get(household_no="H1").poverty_status == "lifted"


def test_a_new_member_of_a_stored_household_is_added_and_counts_as_an_update(regions, tmp_path):
    household_import(path=write_csv(tmp_path / "f.csv", family()))

    result = household_import(
        path=write_csv(tmp_path / "g.csv", [*family(), member("H1", 4, "之女")])
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert Household.objects.get(household_no="H1").members.count() == 4


def test_members_stored_but_absent_from_the_file_are_left_untouched(regions, tmp_path):
    household_import(path=write_csv(tmp_path / "f.csv", family()))

    result = household_import(path=write_csv(tmp_path / "g.csv", family()[:2]))

    assert result.ok and result.updated == 0
    absent = Person.objects.get(id_number=pid(3))
    assert (absent.left_on, absent.household.household_no) == (None, "H1")


def test_columns_the_file_lacks_keep_the_stored_values(regions, tmp_path):
    household_import(path=write_csv(tmp_path / "f.csv", family()))
    short = [h for h in HEADER if h not in ("联系电话", "主要致贫原因", "健康状况", "残疾等级")]

    result = household_import(path=write_csv(tmp_path / "g.csv", family(), header=short))

    assert (result.updated, result.unchanged) == (0, 1)
    assert Person.objects.get(id_number=pid(1)).phone == "13800138000"
    assert Household.objects.get().main_cause == "illness"


def test_rows_of_a_household_may_be_apart_and_in_any_order(regions, tmp_path):
    a, b = family("H1", 1), family("H2", 10)
    rows = [a[1], b[2], a[0], b[0], a[2], b[1]]

    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    assert result.ok, result.problems
    assert result.created == 2
    assert Household.objects.get(household_no="H1").members.count() == 3


def test_english_headers_in_any_order_and_english_keys_are_accepted(regions, tmp_path):
    header = [ENGLISH[h] for h in reversed(HEADER)]
    rows = [
        {
            "household_no": "H1",
            "village_code": VILLAGE_A,
            "id_number": pid(1),
            "name": "甲",
            "relation": "head",
            "poverty_status": "lifted",
            "policy_support": "true",
            "household_type": "tekun",
            "disability_grade": "4",
            "health": "disabled",
            "schooling": "none",
        },
        {
            "household_no": "H1",
            "village_code": VILLAGE_A,
            "id_number": pid(2),
            "name": "乙",
            "relation": "SPOUSE",
            "policy_support": "TRUE",
            "labor_ability": "weak",
        },
    ]

    result = household_import(path=write_csv(tmp_path / "f.csv", rows, header=header))

    assert result.ok, result.problems
    household = Household.objects.get()
    assert (household.poverty_status, household.policy_support, household.household_type) == (
        "lifted",
        True,
        "tekun",
    )
    assert Person.objects.get(id_number=pid(1)).disability_grade == 4
    assert Person.objects.get(id_number=pid(2)).labor_ability == "weak"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030_is_accepted(regions, tmp_path, encoding):
    path = write_csv(tmp_path / "f.csv", family(), encoding=encoding)

    result = household_import(path=path)

    assert result.ok, result.problems
    assert sorted(Person.objects.values_list("name", flat=True)) == ["成员2", "成员3", "户主1"]


def test_xlsx_is_accepted(regions, tmp_path):
    result = household_import(path=write_xlsx(tmp_path / "f.xlsx", family()))

    assert result.ok, result.problems
    assert Person.objects.count() == 3
    assert Person.objects.get(id_number=pid(1)).phone == "13800138000"


def test_xlsx_problems_carry_the_spreadsheet_row(regions, tmp_path):
    rows = family()
    rows[2] = {**rows[2], "证件号码": pid(3)[:-1] + ("1" if pid(3)[-1] != "1" else "2")}

    result = household_import(path=write_xlsx(tmp_path / "f.xlsx", rows))

    assert problems_of(result) == {("id_checksum", 4, "证件号码")}
    assert nothing_written()


# Bad files: one problem each, nothing written -----------------------------------------------------------


def _wrong_check(n: int) -> str:
    good = pid(n)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


BAD_CELLS = [
    # (label, change to the rows of family(), expected (code, row, column))
    (
        "wrong checksum",
        lambda r: r[1].update({"证件号码": _wrong_check(2)}),
        ("id_checksum", 3, "证件号码"),
    ),
    (
        "future birth date",
        lambda r: r[1].update(
            {"证件号码": resident_id_make("370481", dt.date.today() + dt.timedelta(days=30), 101)}
        ),
        ("id_future_birth", 3, "证件号码"),
    ),
    (
        "impossible birth date",
        lambda r: r[1].update({"证件号码": _body_with_check("37048119990231123")}),
        ("id_component", 3, "证件号码"),
    ),
    (
        "short ID",
        lambda r: r[1].update({"证件号码": "37048119900501"}),
        ("id_length", 3, "证件号码"),
    ),
    ("wrong enum", lambda r: r[2].update({"健康状况": "很好"}), ("invalid_choice", 4, "健康状况")),
    (
        "wrong relation",
        lambda r: r[1].update({"与户主关系": "邻居"}),
        ("invalid_choice", 3, "与户主关系"),
    ),
    (
        "disability grade out of range",
        lambda r: r[1].update({"残疾等级": "5"}),
        ("invalid_choice", 3, "残疾等级"),
    ),
    ("empty name", lambda r: r[2].update({"姓名": ""}), ("required", 4, "姓名")),
    ("empty household number", lambda r: r[2].update({"户编号": ""}), ("required", 4, "户编号")),
    ("empty village", lambda r: r[1].update({"行政区划代码": ""}), ("required", 3, "行政区划代码")),
    ("empty ID", lambda r: r[1].update({"证件号码": ""}), ("required", 3, "证件号码")),
    ("empty relation", lambda r: r[1].update({"与户主关系": ""}), ("required", 3, "与户主关系")),
    (
        "head without status",
        lambda r: r[0].update({"贫困状态": ""}),
        ("head_value_required", 2, "贫困状态"),
    ),
    (
        "head without type",
        lambda r: r[0].update({"户属性": ""}),
        ("head_value_required", 2, "户属性"),
    ),
    (
        "member with another status",
        lambda r: r[2].update({"贫困状态": "已脱贫"}),
        ("household_value_mismatch", 4, "贫困状态"),
    ),
    (
        "member with another village",
        lambda r: r[2].update({"行政区划代码": VILLAGE_B}),
        ("village_mismatch", 4, "行政区划代码"),
    ),
    (
        "unknown village",
        lambda r: r[0].update({"行政区划代码": "370481101299"}),
        ("unknown_village", 2, "行政区划代码"),
    ),
    (
        "town code as village",
        lambda r: r[0].update({"行政区划代码": "370481101000"}),
        ("village_code_format", 2, "行政区划代码"),
    ),
    (
        "malformed village code",
        lambda r: r[0].update({"行政区划代码": "3704811012"}),
        ("village_code_format", 2, "行政区划代码"),
    ),
    (
        "bad phone",
        lambda r: r[0].update({"联系电话": "0632-5512345"}),
        ("bad_phone", 2, "联系电话"),
    ),
    (
        "short phone",
        lambda r: r[0].update({"联系电话": "1380013800"}),
        ("bad_phone", 2, "联系电话"),
    ),
    (
        "policy support while not lifted",
        lambda r: r[0].update({"是否享受政策": "是"}),
        ("policy_support_not_lifted", 2, "是否享受政策"),
    ),
    (
        "policy support not yes or no",
        lambda r: r[0].update({"贫困状态": "已脱贫", "是否享受政策": "也许"}),
        ("invalid_choice", 2, "是否享受政策"),
    ),
    (
        "monitoring without risk state",
        lambda r: r[0].update({"监测类型": "脱贫不稳定户"}),
        ("risk_state_required", 2, "风险状态"),
    ),
    (
        "risk state without monitoring",
        lambda r: r[0].update({"风险状态": "风险未消除"}),
        ("risk_state_without_monitoring", 2, "风险状态"),
    ),
    ("two heads", lambda r: r[2].update({"与户主关系": "户主"}), ("two_heads", 4, "与户主关系")),
    ("no head", lambda r: r[0].update({"与户主关系": "之父"}), ("no_head", 2, "与户主关系")),
    ("same ID twice", lambda r: r[2].update({"证件号码": pid(2)}), ("duplicate_id", 4, "证件号码")),
    (
        "household number too long",
        lambda r: [row.update({"户编号": "H" * 33}) for row in r],
        ("too_long", 2, "户编号"),
    ),
]


def _body_with_check(body: str) -> str:
    from stdnum.cn import ric

    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=label) for label, change, expected in BAD_CELLS],
)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(
    regions, tmp_path, change, expected
):
    rows = family()
    change(rows)

    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    assert not result.ok
    assert expected in problems_of(result)
    problem = next(p for p in result.problems if (p.code, p.row, p.column) == expected)
    assert problem.message and problem.message_en and problem.message != problem.message_en
    assert nothing_written()
    assert not Event.objects.filter(verb="registry.households_imported").exists()


def test_every_problem_of_the_file_is_listed(regions, tmp_path):
    rows = [*family("H1", 1), *family("H2", 10)]
    rows[1]["证件号码"] = _wrong_check(2)
    rows[3]["健康状况"] = "很好"
    rows[5]["姓名"] = ""
    rows.append(member("H3", 20))  # a household without a head

    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    assert problems_of(result) == {
        ("id_checksum", 3, "证件号码"),
        ("invalid_choice", 5, "健康状况"),
        ("required", 7, "姓名"),
        ("no_head", 8, "与户主关系"),
    }
    assert [p.row for p in result.sorted_problems()] == [3, 5, 7, 8]
    assert nothing_written()


def test_same_id_in_two_households_of_the_file_is_refused(regions, tmp_path):
    rows = [*family("H1", 1), head("H2", 1)]

    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    assert problems_of(result) == {("duplicate_id", 5, "证件号码")}
    assert "H1" in result.problems[0].message


def test_same_id_as_an_active_person_of_another_stored_household_is_refused(regions, tmp_path):
    other = HouseholdFactory(village=regions.village_b, household_no="OLD")
    PersonFactory(household=other, id_number=pid(2), relation="head")

    result = household_import(path=write_csv(tmp_path / "f.csv", family()))

    assert problems_of(result) == {("id_in_other_household", 3, "证件号码")}
    assert "OLD" in result.problems[0].message
    assert not Household.objects.filter(household_no="H1").exists()


def test_same_id_as_a_person_who_left_another_household_is_accepted(regions, tmp_path):
    other = HouseholdFactory(village=regions.village_b, household_no="OLD")
    PersonFactory(
        household=other,
        id_number=pid(2),
        relation="spouse",
        left_on=dt.date(2020, 1, 1),
        left_reason="married_out",
    )

    result = household_import(path=write_csv(tmp_path / "f.csv", family()))

    assert result.ok, result.problems
    assert Person.objects.filter(id_number=pid(2)).count() == 2


def test_a_new_head_needs_the_stored_head_in_the_file(regions, tmp_path):
    household_import(path=write_csv(tmp_path / "f.csv", family()))
    rows = [head("H1", 4)]  # the stored head (ID 1) is neither in the file nor demoted

    result = household_import(path=write_csv(tmp_path / "g.csv", rows))

    assert problems_of(result) == {("head_conflict", 2, "与户主关系")}
    assert Person.objects.get(id_number=pid(1)).relation == "head"
    assert not Person.objects.filter(id_number=pid(4)).exists()


def test_the_head_changes_when_the_file_demotes_the_stored_head(regions, tmp_path):
    household_import(path=write_csv(tmp_path / "f.csv", family()))
    rows = family()
    rows[0] = {**rows[0], "与户主关系": "之父", "贫困状态": "", "户属性": "", "主要致贫原因": ""}
    rows[2] = {
        **rows[2],
        "与户主关系": "户主",
        "贫困状态": "未脱贫",
        "户属性": "一般户",
        "主要致贫原因": "因病",
    }

    result = household_import(path=write_csv(tmp_path / "g.csv", rows))

    assert result.ok, result.problems
    assert Person.objects.get(id_number=pid(1)).relation == "father"
    assert Person.objects.get(id_number=pid(3)).relation == "head"


def test_missing_required_columns_are_reported_on_the_header_row(regions, tmp_path):
    header = [h for h in HEADER if h not in ("姓名", "户属性")]

    result = household_import(path=write_csv(tmp_path / "f.csv", family(), header=header))

    assert problems_of(result) == {("missing_columns", 1, "姓名"), ("missing_columns", 1, "户属性")}
    assert sorted(p.message_en for p in result.problems) == [
        "Missing required column: 姓名/name",
        "Missing required column: 户属性/household_type",
    ]
    assert nothing_written()


def test_a_file_in_neither_utf8_nor_gb18030_is_refused(regions, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(",".join(HEADER).encode("utf-8") + b"\nH1,\xff\xfe\x80\x81\xff\n")

    result = household_import(path=path)

    assert [(p.code, p.row) for p in result.problems] == [("bad_encoding", 0)]
    assert nothing_written()


def test_another_file_type_is_refused(regions, tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("户编号\n")

    result = household_import(path=path)

    assert [p.code for p in result.problems] == ["bad_file_type"]


# Scope and permission ----------------------------------------------------------------------------


def test_a_village_outside_the_actors_scope_is_unknown(regions, tmp_path):
    officer = UserFactory(role="town_officer", region=regions.town_a)
    rows = [{**row, "行政区划代码": VILLAGE_B} for row in family()]

    result = household_import(path=write_csv(tmp_path / "f.csv", rows), actor=officer)

    assert {(p.code, p.column) for p in result.problems} == {("unknown_village", "行政区划代码")}
    assert nothing_written()


def test_a_stored_household_outside_the_actors_scope_is_not_changed(regions, tmp_path):
    HouseholdFactory(village=regions.village_b, household_no="H1")
    officer = UserFactory(role="town_officer", region=regions.town_a)

    result = household_import(path=write_csv(tmp_path / "f.csv", family()), actor=officer)

    assert ("household_out_of_scope", 2, "户编号") in problems_of(result)
    assert Household.objects.get().village_id == VILLAGE_B


def test_a_removed_household_is_not_changed_by_import(regions, tmp_path):
    HouseholdFactory(
        village=regions.village_a,
        household_no="H1",
        removal_reason="moved",
        removed_on=dt.date(2021, 1, 1),
    )

    result = household_import(path=write_csv(tmp_path / "f.csv", family()))

    assert ("household_removed", 2, "户编号") in problems_of(result)
    assert not Person.objects.exists()


def test_a_role_without_the_import_permission_is_refused(regions, tmp_path):
    cadre = UserFactory(role="cadre", region=regions.town_a)

    with pytest.raises(FupinError) as refused:
        household_import(path=write_csv(tmp_path / "f.csv", family()), actor=cadre)

    assert refused.value.code == "forbidden"
    assert nothing_written()


# The report --------------------------------------------------------------------------------------


def test_the_report_lists_row_column_value_and_both_messages(regions, tmp_path):
    rows = family()
    rows[1]["证件号码"] = _wrong_check(2)
    rows[2]["联系电话"] = "=HYPERLINK(1)"
    result = household_import(path=write_csv(tmp_path / "f.csv", rows))

    report = result.write_report(tmp_path / "report.csv")

    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][:5] == ["行号/row", "列/column", "值/value", "错误/message", "error (English)"]
    assert lines[1][:3] == ["3", "证件号码", _wrong_check(2)]
    assert "校验" in lines[1][3] and "check" in lines[1][4]
    assert lines[2][:3] == ["4", "联系电话", "'=HYPERLINK(1)"]


# The command -------------------------------------------------------------------------------------


def test_command_prints_the_counts(regions, tmp_path, capsys):
    path = write_csv(tmp_path / "f.csv", family())

    call_command("import", "households", str(path))
    call_command("import", "households", str(path))

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("1 created, 0 updated, 0 unchanged")
    assert out[1].startswith("0 created, 0 updated, 1 unchanged")


def test_command_refuses_a_bad_file_with_a_report_and_exit_code_2(regions, tmp_path, capsys):
    rows = family()
    rows[1]["证件号码"] = _wrong_check(2)
    path = write_csv(tmp_path / "f.csv", rows)

    with pytest.raises(CommandError) as refused:
        call_command("import", "households", str(path))

    assert refused.value.returncode == 2
    report = Path(f"{path}.errors.csv")
    assert f"1 problems; nothing written; report: {report}" in capsys.readouterr().err
    assert _wrong_check(2) in report.read_text(encoding="utf-8-sig")
    assert nothing_written()


def test_command_writes_the_report_where_asked_and_acts_as_the_named_user(regions, tmp_path):
    officer = UserFactory(role="town_officer", region=regions.town_a)
    rows = [{**row, "行政区划代码": VILLAGE_B} for row in family()]
    path = write_csv(tmp_path / "f.csv", rows)

    with pytest.raises(CommandError):
        call_command(
            "import",
            "households",
            str(path),
            "--report",
            str(tmp_path / "r.csv"),
            "--by",
            officer.username,
        )

    assert "unknown_village" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_fupin_import_exits_non_zero_on_a_bad_file(tmp_path):
    env = {
        **os.environ,
        "FUPIN_HOME": str(tmp_path / "home"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)  # a throw-away SQLite database, whatever the suite runs on
    fupin = [sys.executable, "-m", "fupin.core.cli"]
    subprocess.run([*fupin, "migrate", "-v0"], env=env, check=True)
    regions_file = tmp_path / "regions.csv"
    regions_file.write_text(
        "代码,名称\n370000000000,山东省\n370400000000,枣庄市\n370481000000,滕州市\n"
        "370481101000,洪绪镇\n370481101201,洪村\n",
        encoding="utf-8",
    )
    subprocess.run([*fupin, "import", "regions", str(regions_file)], env=env, check=True)
    rows = family()
    rows[2]["与户主关系"] = "户主"

    bad = subprocess.run(
        [*fupin, "import", "households", str(write_csv(tmp_path / "f.csv", rows))],
        env=env,
        capture_output=True,
        text=True,
    )
    good = subprocess.run(
        [*fupin, "import", "households", str(write_csv(tmp_path / "g.csv", family()))],
        env=env,
        capture_output=True,
        text=True,
    )

    assert bad.returncode == 2
    assert "1 problems; nothing written; report:" in bad.stderr
    assert "two_heads" in (tmp_path / "f.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert good.returncode == 0
    assert good.stdout.startswith("1 created, 0 updated, 0 unchanged")


# Incomes -----------------------------------------------------------------------------------------

INCOME_HEADER = [
    "户编号",
    "年度",
    "家庭人口数",
    "工资性收入",
    "公益性岗位收入",
    "生产经营性收入",
    "财产性收入",
    "资产收益扶贫分红收入",
    "转移性收入",
    "养老金",
    "低保金",
    "特困供养金",
    "生态补偿金",
    "其他转移性收入",
    "生产经营性支出",
]


def income(no="H1", year="2019", **cells) -> dict:
    return {
        "户编号": no,
        "年度": year,
        "家庭人口数": "3",
        "工资性收入": "5000.50",
        "公益性岗位收入": "1200",
        "生产经营性收入": "2000",
        "财产性收入": "300",
        "资产收益扶贫分红收入": "300",
        "转移性收入": "2400",
        "养老金": "1200",
        "低保金": "1200",
        "生产经营性支出": "800.25",
        **cells,
    }


@pytest.fixture
def stored(regions):
    return [HouseholdFactory(village=regions.village_a, household_no=no) for no in ("H1", "H2")]


def test_incomes_are_created_then_unchanged_then_updated_with_history(stored, tmp_path):
    path = write_csv(
        tmp_path / "i.csv",
        [income("H1", "2019"), income("H1", "2020"), income("H2", "2019")],
        header=INCOME_HEADER,
    )

    first = income_import(path=path)
    again = income_import(path=path)
    changed = income_import(
        path=write_csv(
            tmp_path / "j.csv", [income("H1", "2019", 工资性收入="6000")], header=INCOME_HEADER
        )
    )

    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    row = HouseholdIncome.objects.get(household__household_no="H1", year=2019)
    assert (row.wage, row.public_welfare_wage, row.dividend, row.production_cost, row.size) == (
        Decimal("6000.00"),
        Decimal("1200.00"),
        Decimal("300.00"),
        Decimal("800.25"),
        3,
    )
    assert row.net == Decimal("6000") + 2000 + 300 + 2400 - Decimal("800.25")
    assert list(
        HouseholdIncome.history.filter(history_type="~").values_list("wage", flat=True)
    ) == [Decimal("6000.00")]
    assert HouseholdIncome.history.filter(history_type="+").count() == 3
    assert Event.objects.filter(verb="registry.incomes_imported").count() == 3


def test_income_english_headers_and_blank_amounts_as_zero(stored, tmp_path):
    header = ["year", "household_no", "wage", "business", "property", "transfer", "production_cost"]
    rows = [
        {
            "year": "2020",
            "household_no": "H2",
            "wage": "1,234.5",
            "business": "",
            "property": "0",
            "transfer": "10",
            "production_cost": "",
        }
    ]

    result = income_import(path=write_csv(tmp_path / "i.csv", rows, header=header))

    assert result.ok, result.problems
    row = HouseholdIncome.objects.get()
    assert (row.wage, row.business, row.transfer, row.size) == (
        Decimal("1234.50"),
        0,
        Decimal("10.00"),
        None,
    )


def test_income_sub_item_columns_the_file_lacks_keep_stored_values(stored, tmp_path):
    IncomeFactory(
        household=stored[0],
        year=2019,
        wage=5000,
        public_welfare_wage=1000,
        transfer=2000,
        pension=500,
    )
    header = [
        "户编号",
        "年度",
        "工资性收入",
        "生产经营性收入",
        "财产性收入",
        "转移性收入",
        "生产经营性支出",
    ]
    rows = [
        {
            "户编号": "H1",
            "年度": "2019",
            "工资性收入": "5000",
            "生产经营性收入": "2000",
            "财产性收入": "0",
            "转移性收入": "2000",
            "生产经营性支出": "0",
        }
    ]

    result = income_import(path=write_csv(tmp_path / "i.csv", rows, header=header))

    assert (result.updated, result.unchanged) == (0, 1)
    assert HouseholdIncome.objects.get().public_welfare_wage == Decimal("1000.00")


BAD_INCOMES = [
    ("more than two places", {"工资性收入": "12.345"}, ("money_places", 2, "工资性收入")),
    ("negative", {"生产经营性收入": "-5"}, ("money_negative", 2, "生产经营性收入")),
    ("not a number", {"财产性收入": "三百"}, ("money_format", 2, "财产性收入")),
    ("too large", {"转移性收入": "1" * 13}, ("money_too_large", 2, "转移性收入")),
    (
        "sub-item above its total",
        {"公益性岗位收入": "6000"},
        ("sub_item_exceeds", 2, "公益性岗位收入"),
    ),
    (
        "dividend above property",
        {"资产收益扶贫分红收入": "301"},
        ("sub_item_exceeds", 2, "资产收益扶贫分红收入"),
    ),
    (
        "transfer items above transfer",
        {"生态补偿金": "0.01"},
        ("sub_item_exceeds", 2, "转移性收入"),
    ),
    ("unknown household", {"户编号": "NOPE"}, ("unknown_household", 2, "户编号")),
    ("empty year", {"年度": ""}, ("required", 2, "年度")),
    ("future year", {"年度": "2999"}, ("bad_year", 2, "年度")),
    ("size zero", {"家庭人口数": "0"}, ("bad_size", 2, "家庭人口数")),
]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [pytest.param(cells, expected, id=label) for label, cells, expected in BAD_INCOMES],
)
def test_a_bad_income_cell_is_reported_and_nothing_is_written(stored, tmp_path, cells, expected):
    rows = [income("H2", "2020"), income(**cells)]
    rows = [rows[1], rows[0]]

    result = income_import(path=write_csv(tmp_path / "i.csv", rows, header=INCOME_HEADER))

    assert expected in problems_of(result)
    assert not HouseholdIncome.objects.exists()


def test_one_row_per_household_and_year(stored, tmp_path):
    rows = [income("H1", "2019"), income("H2", "2019"), income("H1", "2019", 工资性收入="1")]

    result = income_import(path=write_csv(tmp_path / "i.csv", rows, header=INCOME_HEADER))

    assert problems_of(result) == {("duplicate_income", 4, "年度")}
    assert not HouseholdIncome.objects.exists()


def test_incomes_of_a_household_outside_the_scope_are_refused(stored, regions, tmp_path):
    HouseholdFactory(village=regions.village_b, household_no="B1")
    officer = UserFactory(role="town_officer", region=regions.town_a)

    result = income_import(
        path=write_csv(tmp_path / "i.csv", [income("B1")], header=INCOME_HEADER), actor=officer
    )

    assert problems_of(result) == {("unknown_household", 2, "户编号")}


def test_income_command(stored, tmp_path, capsys):
    good = write_csv(tmp_path / "i.csv", [income("H1")], header=INCOME_HEADER)
    bad = write_csv(tmp_path / "j.csv", [income("H1", 工资性收入="x")], header=INCOME_HEADER)

    call_command("import", "incomes", str(good))
    with pytest.raises(CommandError) as refused:
        call_command("import", "incomes", str(bad), "--report", str(tmp_path / "r.csv"))

    assert capsys.readouterr().out.startswith("1 created, 0 updated, 0 unchanged")
    assert refused.value.returncode == 2
    assert "money_format" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
