"""Resident ID numbers (GB 11643-1999), validated with python-stdnum."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from fupin.core.errors import Refused


@dataclass(frozen=True)
class ResidentId:
    """A valid resident ID with the sex and birth date it encodes."""

    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def resident_id_parse(value: str, *, today: dt.date | None = None) -> ResidentId:
    """Return the normalised ID with its sex and birth date, or raise a coded error."""
    number = ric.compact(value or "")
    # Not ric.validate(): it also requires the address code to have existed in the birth year, but an
    # ID keeps the code of the place and time it was first issued (370481 dates from 1989, yet the
    # elderly of Tengzhou carry it), and that look-up costs about 50 µs, most of a large import.
    if len(number) != 18:
        raise Refused("id_length", _("证件号码应为 18 位"), {"value": value})
    if not (number[:17].isascii() and number[:17].isdigit()):
        raise Refused("id_format", _("证件号码格式不正确"), {"value": value})
    if number[17] != ric.calc_check_digit(number):
        raise Refused("id_checksum", _("证件号码校验位不正确"), {"value": value})
    try:
        birth_date = ric.get_birth_date(number)
    except StdnumError:
        raise Refused("id_component", _("证件号码中的出生日期无效"), {"value": value}) from None
    if birth_date > (today or dt.date.today()):
        raise Refused("id_future_birth", _("证件号码中的出生日期晚于今天"), {"value": value})
    return ResidentId(number, birth_date, "M" if int(number[16]) % 2 else "F")


def resident_id_make(address: str, birth_date: dt.date, sequence: int) -> str:
    """Return a valid ID number for an address code, birth date and 3-digit sequence (demo and tests)."""
    body = f"{address}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
