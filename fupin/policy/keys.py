"""The catalogue of policy keys (type, unit, label) and their shipped defaults, from defaults.toml."""

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fupin.core.errors import Refused

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")


@dataclass(frozen=True)
class DefaultValue:
    """A shipped default value with its source."""

    valid_from: dt.date
    value: str
    sourced: bool
    source: str


@dataclass(frozen=True)
class PolicyKey:
    """A policy key: its value type, unit, labels and shipped defaults."""

    key: str
    type: str
    unit: str
    unit_en: str
    label: str
    label_en: str
    defaults: tuple[DefaultValue, ...]

    @property
    def display_label(self) -> str:
        """Return the label in the active language (Chinese unless English is chosen)."""
        return self.label_en if _english() else self.label

    @property
    def display_unit(self) -> str:
        """Return the unit in the active language."""
        return self.unit_en if _english() else self.unit

    def parse(self, raw: str) -> Decimal | int | dict[str, Decimal]:
        """Return the typed value of a text, or raise `invalid_policy_value`.

        Type `weights` is a table of names and non-negative decimals written
        `name=1,other=0.6` (category weights, indicator weights), returned as a dict.
        """
        if self.type == "weights":
            return self._parse_weights(raw)
        if self.type == "categories":
            return self._parse_categories(raw)
        try:
            if self.type == "integer":
                value = int(str(raw).strip())
            else:
                value = Decimal(str(raw).strip())
                if not value.is_finite():
                    raise InvalidOperation
        except (ValueError, InvalidOperation):
            raise Refused(
                "invalid_policy_value",
                _("参数值格式不正确"),
                {"key": self.key, "value": raw, "type": self.type},
            ) from None
        if value < 0:
            raise Refused(
                "invalid_policy_value", _("参数值不能为负数"), {"key": self.key, "value": raw}
            )
        return value

    def text(self, value) -> str:
        """Return the canonical text of a typed value (what is stored)."""
        if self.type == "weights":
            return ",".join(f"{name}={number}" for name, number in value.items())
        if self.type == "categories":
            return ",".join(value)
        return str(value)

    def _parse_categories(self, raw: str) -> tuple[str, ...]:
        """Type `categories`: support category keys written `not_lifted,monitored`, as a tuple."""
        known = policy_categories()
        names = tuple(dict.fromkeys(filter(None, (p.strip() for p in str(raw).split(",")))))
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise Refused(
                "invalid_policy_value",
                _("应为以逗号分隔的帮扶类别：%(known)s") % {"known": ",".join(known)},
                {"key": self.key, "value": raw, "type": self.type, "unknown": unknown},
            )
        return names

    def _parse_weights(self, raw: str) -> dict[str, Decimal]:
        weights = {}
        for part in filter(None, (p.strip() for p in str(raw).split(","))):
            name, sep, number = (s.strip() for s in part.partition("="))
            if not sep or not name.replace("_", "").isalnum() or name in weights:
                raise Refused(
                    "invalid_policy_value",
                    _("权重表应写作“名称=数值”，以逗号分隔，名称不得重复"),
                    {"key": self.key, "value": raw, "type": self.type},
                )
            weights[name] = PolicyKey(self.key, "decimal", "", "", "", "", ()).parse(number)
        if not weights:
            raise Refused(
                "invalid_policy_value", _("权重表不能为空"), {"key": self.key, "value": raw}
            )
        return weights


def _english() -> bool:
    return (get_language() or "").startswith("en")


@cache
def _defaults() -> dict:
    return tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def policy_categories() -> tuple[str, ...]:
    """Return the support categories a key of type `categories` may list."""
    return tuple(_defaults()["categories"])


@cache
def policy_keys() -> dict[str, PolicyKey]:
    """Return every known policy key by name."""
    data = _defaults()
    keys = {}
    for item in data["key"]:
        defaults = tuple(
            DefaultValue(
                dt.date.fromisoformat(v["from"]), str(v["value"]), bool(v["sourced"]), v["source"]
            )
            for v in item.get("values", [])
        )
        keys[item["key"]] = PolicyKey(
            item["key"],
            item["type"],
            item.get("unit", ""),
            item.get("unit_en", item.get("unit", "")),
            item["label"],
            item.get("label_en", item["key"]),
            defaults,
        )
    return keys


def policy_key(key: str) -> PolicyKey:
    """Return one policy key, or raise `unknown_policy_key`."""
    try:
        return policy_keys()[key]
    except KeyError:
        raise Refused(
            "unknown_policy_key", _("未知的政策参数"), {"key": key, "known": sorted(policy_keys())}
        ) from None
