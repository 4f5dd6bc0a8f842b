import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.db import models
from django.utils import translation

from fupin.core.importing.columns import (
    ABSENT,
    INVALID,
    CellError,
    Column,
    Table,
    choice,
    date,
    integer,
    region_code,
    separated,
    text,
    yes_no,
    yuan,
)


class Colour(models.TextChoices):
    RED = "red", "红色"
    BLUE = "blue", "蓝色"


def refused(reader, value) -> tuple[str, str]:
    with pytest.raises(CellError) as caught, translation.override("zh-hans"):
        reader(value)
    return caught.value.code, caught.value.problem(2, "列", value).message


@pytest.mark.parametrize("value", ["是", "Y", "y", "yes", "TRUE", "1", "对"])
def test_yes_reads_true(value):
    assert yes_no()(value) is True


@pytest.mark.parametrize("value", ["否", "N", "no", "False", "0", "不"])
def test_no_reads_false(value):
    assert yes_no()(value) is False


def test_a_column_adds_its_own_words_for_yes_and_no():
    reader = yes_no(yes=("在岗",), no=("离岗",))
    assert (reader("在岗"), reader("离岗"), reader("是")) == (True, False, True)


def test_neither_yes_nor_no_is_an_invalid_choice_in_chinese():
    assert refused(yes_no(), "也许") == ("invalid_choice", "“也许”不是有效的取值，可填：是、否")


def test_a_choice_is_read_by_code_or_label_in_any_case():
    reader = choice(Colour)
    assert (reader("红色"), reader("blue"), reader("RED")) == ("red", "blue", "red")
    assert refused(reader, "绿色") == ("invalid_choice", "“绿色”不是有效的取值，可填：红色、蓝色")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2020-03-01", dt.date(2020, 3, 1)), ("2020/3/1", None), ("2020.03.01 08:00", None)],
)
def test_dates_take_dashes_slashes_or_dots(value, expected):
    if expected is None:
        assert date()(value.replace("/3/1", "/03/01")) == dt.date(2020, 3, 1)
    else:
        assert date()(value) == expected


def test_a_bad_date_is_refused_in_chinese():
    assert refused(date(), "2020-13-01") == ("invalid_date", "日期格式应为 YYYY-MM-DD")


def test_yuan_takes_commas_and_two_decimals():
    assert yuan()("1,234.5") == Decimal("1234.50")
    assert yuan()("0") == Decimal("0.00")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("十元", "money_format", "金额应为数字（元）"),
        ("-5", "money_negative", "金额不能为负数"),
        ("1.234", "money_places", "金额最多两位小数"),
        ("1" * 13, "money_too_large", "金额过大"),
    ],
)
def test_bad_amounts_have_their_codes(value, code, message):
    assert refused(yuan(), value) == (code, message)


def test_an_integer_is_read_within_its_bounds():
    assert integer(1, 99)("7") == 7
    assert refused(integer(1, 99), "100") == ("invalid_integer", "应为 1 至 99 之间的整数")
    with pytest.raises(CellError, match="bad_size"):
        integer(1, 99, "bad_size")("x")


def test_a_region_code_has_6_9_or_12_digits():
    assert region_code()("370481") == "370481"
    assert refused(region_code(), "37048") == (
        "region_code_format",
        "区划代码应为 6、9 或 12 位数字",
    )


def test_text_is_limited_in_length():
    assert text(3)("abc") == "abc"
    assert refused(text(3), "abcd") == ("too_long", "内容过长（最多 3 个字符）")


def test_a_list_is_split_on_chinese_and_latin_separators():
    assert separated(str)("a；b、c, d") == ["a", "b", "c", "d"]


def test_a_bound_column_reads_empty_absent_good_and_bad_cells():
    problems = []
    read = Column("c", ("颜色",), choice(Colour)).bind(1, problems)
    assert (read(2, ["", "红色"]), read(3, ["", ""])) == ("red", "")
    assert read(4, ["", "紫"]) is INVALID
    assert [(p.row, p.column, p.code) for p in problems] == [(4, "颜色", "invalid_choice")]
    assert Column("c", ("颜色",)).bind(-1, problems)(5, []) is ABSENT


def write(tmp_path, rows):
    path = tmp_path / "file.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


COLUMNS = (
    Column("name", ("名称", "name"), text(10), required=True),
    Column("colour", ("颜色", "colour"), choice(Colour)),
    Column("on", ("日期", "on"), date()),
)


def test_a_table_reads_rows_and_collects_every_problem(tmp_path):
    path = write(
        tmp_path,
        [["name", "颜色", "日期"], ["甲", "红色", "2020-01-02"], ["", "紫", "x"], ["", "", ""]],
    )
    table = Table(path, COLUMNS)
    rows = list(table.rows())
    assert [(r.number, r.clean) for r in rows] == [(2, True), (3, False)]
    assert (rows[0]["name"], rows[0]["colour"], rows[0]["on"]) == ("甲", "red", dt.date(2020, 1, 2))
    assert [(p.row, p.column, p.code) for p in table.problems] == [
        (3, "name", "required"),
        (3, "颜色", "invalid_choice"),
        (3, "日期", "invalid_date"),
    ]


def test_a_missing_required_column_is_missing_columns(tmp_path):
    table = Table(write(tmp_path, [["颜色"], ["红色"]]), COLUMNS)
    assert list(table.rows()) == []
    assert [(p.row, p.code) for p in table.problems] == [(1, "missing_columns")]
