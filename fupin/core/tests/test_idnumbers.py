import datetime as dt

import pytest

from fupin.core.errors import FupinError
from fupin.core.idnumbers import resident_id_make, resident_id_parse


def test_domain_test_vectors_are_valid_and_lower_x_is_normalised():
    assert resident_id_parse("360426199101010071").sex == "M"
    parsed = resident_id_parse("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("360426199101010072", "id_checksum"),
        ("36042619910101007", "id_length"),
        ("3604261991010A0071", "id_format"),
    ],
)
def test_bad_numbers_get_their_code(value, code):
    with pytest.raises(FupinError) as exc:
        resident_id_parse(value)
    assert exc.value.code == code


def test_future_birth_date_is_refused():
    number = resident_id_make("370481", dt.date(2030, 1, 1), 123)
    with pytest.raises(FupinError) as exc:
        resident_id_parse(number, today=dt.date(2026, 1, 1))
    assert exc.value.code == "id_future_birth"


def test_impossible_birth_date_is_refused():
    body = "37048119990231123"
    from stdnum.cn import ric

    with pytest.raises(FupinError) as exc:
        resident_id_parse(body + ric.calc_check_digit(body + "0"))
    assert exc.value.code == "id_component"


def test_an_address_code_newer_than_the_birth_date_is_accepted():
    # 370481 (滕州市) dates from 1989; Tengzhou residents born earlier carry it all the same.
    parsed = resident_id_parse(resident_id_make("370481", dt.date(1950, 3, 1), 123))
    assert (parsed.birth_date, parsed.sex) == (dt.date(1950, 3, 1), "M")


def test_full_width_digits_are_normalised():
    assert resident_id_parse("３６０４２６１９９１０１０１００７１").number == "360426199101010071"
