"""The money filters: `yuan` for an exact amount ("1,234,567.89"), `wan` for a summary ("123.46 万元")."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from fupin.web.templatetags.fupin_web import wan, yuan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234567.89"), "1,234,567.89"),
        (100023001, "100,023,001.00"),
        (Decimal("0"), "0.00"),
        (Decimal("999.99"), "999.99"),
        (Decimal("1000"), "1,000.00"),
        (Decimal("12.3"), "12.30"),
        (7, "7.00"),
    ],
)
def test_yuan_groups_by_three_with_two_places(value, shown):
    assert yuan(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.005"), "0.01"),
        (Decimal("0.015"), "0.02"),  # half up, not to even
        (Decimal("0.025"), "0.03"),
        (Decimal("2.675"), "2.68"),
        (Decimal("0.004999"), "0.00"),
        (Decimal("999999.995"), "1,000,000.00"),  # the carry reaches a new group
        (2.675, "2.68"),  # a float by its shortest repr, not its binary 2.67499…
    ],
)
def test_yuan_rounds_half_up(value, shown):
    assert yuan(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("-1234567.891"), "-1,234,567.89"),
        (Decimal("-0.005"), "-0.01"),  # half away from zero
        (Decimal("-999.995"), "-1,000.00"),
        (Decimal("-0.004"), "0.00"),  # no "-0.00"
        (-100, "-100.00"),
    ],
)
def test_yuan_keeps_the_sign_of_a_negative(value, shown):
    assert yuan(value) == shown


def test_yuan_shows_a_dash_for_no_amount():
    assert yuan(None) == "—"
    assert yuan("") == "—"


def test_yuan_reads_a_string_and_leaves_what_is_not_a_number():
    assert yuan("1234.5") == "1,234.50"
    assert yuan(" -1234.565 ") == "-1,234.57"
    assert yuan("abc") == "abc"
    assert yuan("Infinity") == "Infinity"


def test_yuan_shows_every_digit_of_a_large_amount():
    assert yuan(Decimal("123456789012345678901234567890.125")) == (
        "123,456,789,012,345,678,901,234,567,890.13"
    )
    assert yuan(Decimal("1E+12")) == "1,000,000,000,000.00"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234567"), "123.46 万元"),
        (Decimal("1234550"), "123.46 万元"),  # 123.455 half up
        (Decimal("1234549.99"), "123.45 万元"),
        (100023001, "10,002.30 万元"),
        (Decimal("50"), "0.01 万元"),
        (Decimal("49.99"), "0.00 万元"),
        (Decimal("0"), "0.00 万元"),
        (Decimal("-1234550"), "-123.46 万元"),
        ("2500000", "250.00 万元"),
        (
            Decimal("1234567890123456789012345678901234"),
            "123,456,789,012,345,678,901,234,567,890.12 万元",
        ),
    ],
)
def test_wan_shows_ten_thousands_of_yuan_half_up(value, shown):
    assert wan(value) == shown


def test_wan_shows_a_dash_for_no_amount_and_leaves_what_is_not_a_number():
    assert wan(None) == "—"
    assert wan("") == "—"
    assert wan("abc") == "abc"


def test_english_shows_the_same_digits():
    amount = Decimal("100023001.005")
    chinese_yuan, chinese_wan = yuan(amount), wan(amount)
    with translation.override("en"):
        assert yuan(amount) == chinese_yuan == "100,023,001.01"
        number, _space, unit = wan(amount).partition(" ")
    assert number == chinese_wan.partition(" ")[0] == "10,002.30"
    assert unit and "万" not in unit  # the unit is translated, the number is not


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_templates_use_the_filters_in_every_language(language):
    template = Template("{% load fupin_web %}{{ a|yuan }}|{{ b|yuan }}|{{ a|wan }}")
    with translation.override(language):
        shown = template.render(Context({"a": Decimal("1234567.895"), "b": None}))
    assert shown.startswith("1,234,567.90|—|123.46 ")
