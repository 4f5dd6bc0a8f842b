"""Resident ID numbers (GB 11643-1999), validated with python-stdnum."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from fupin.core.errors import FupinError


@dataclass(frozen=True)
class ResidentId:
    """A valid resident ID with the sex and birth date it encodes."""

    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def resident_id_parse(value: str, *, today: dt.date | None = None) -> ResidentId:
    """Return the normalised ID with its sex and birth date, or raise a coded error."""
    number = ric.compact(value or "").upper()
    try:
        ric.validate(number)
    except StdnumError as exc:
        code, message = {
            "InvalidLength": ("id_length", _("证件号码应为 18 位")),
            "InvalidFormat": ("id_format", _("证件号码格式不正确")),
            "InvalidChecksum": ("id_checksum", _("证件号码校验位不正确")),
        }.get(type(exc).__name__, ("id_component", _("证件号码中的地址码或出生日期无效")))
        raise FupinError(code, message, {"value": value}) from None
    birth_date = ric.get_birth_date(number)
    if birth_date > (today or dt.date.today()):
        raise FupinError("id_future_birth", _("证件号码中的出生日期晚于今天"), {"value": value})
    return ResidentId(number, birth_date, "M" if int(number[16]) % 2 else "F")


def resident_id_make(address: str, birth_date: dt.date, sequence: int) -> str:
    """Return a valid ID number for an address code, birth date and 3-digit sequence (demo and tests)."""
    body = f"{address}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
