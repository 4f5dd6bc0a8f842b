"""The shared input parsers: a typed value, or the field's problem noted and None."""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.errors import FieldProblems, InvalidInput
from fupin.core.inputs import cents, date_required, money, required_text


@pytest.mark.parametrize(
    ("value", "allow_zero", "code"),
    [
        ("", False, "required"),
        ("abc", False, "not_a_number"),
        ("NaN", False, "not_a_number"),
        ("0", False, "not_positive"),
        ("-1", True, "not_positive"),
        ("1000000000000", False, "too_large"),
        ("1.005", False, "too_many_decimals"),
    ],
)
def test_a_bad_amount_is_noted_under_its_field(value, allow_zero, code):
    problems = FieldProblems()

    assert money(value, "amount", problems, allow_zero=allow_zero) is None
    assert problems["amount"][0] == code


def test_amounts_dates_and_texts_come_back_typed():
    problems = FieldProblems()

    assert money("12.5", "amount", problems) == Decimal("12.50")
    assert money("0", "amount", problems, allow_zero=True) == Decimal("0.00")
    assert date_required("2024-02-29", "on", problems) == dt.date(2024, 2, 29)
    assert required_text("  农商行 ", "bank", problems) == "农商行"
    assert not problems
    assert str(cents(None)) == "0.00" and str(cents(Decimal("3.1"))) == "3.10"


def test_every_field_noted_is_named_in_one_refusal():
    problems = FieldProblems()
    date_required("2024-13-01", "on", problems)
    required_text("x" * 65, "voucher_no", problems)

    with pytest.raises(InvalidInput) as raised:
        problems.raise_any()

    assert raised.value.details["codes"] == {"on": "not_a_date", "voucher_no": "too_long"}
