"""Reads of policy: the value of a key for a region on a date, inherited down the region tree."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.core.errors import Refused
from fupin.policy.keys import PolicyKey, policy_key, policy_keys
from fupin.policy.models import PolicyValue
from fupin.regions.codes import ancestor_codes, prefix_of


@dataclass(frozen=True)
class ResolvedPolicy:
    """The value in force for a key, and the row it comes from."""

    key: PolicyKey
    value: Decimal | int | dict[str, Decimal]
    row: PolicyValue

    @property
    def text(self) -> str:
        """Return the value as written (a weights table as `name=number,...`)."""
        return self.key.text(self.value)


def _candidates(keys: list[str], region_code: str | None, on: dt.date):
    region_filter = Q(region__isnull=True)
    if region_code:
        region_filter |= Q(region_id__in=ancestor_codes(region_code))
    return PolicyValue.objects.filter(
        region_filter, key__in=keys, valid_from__lte=on
    ).select_related("created_by")


def _rank(row: PolicyValue):
    # The nearest region that set the key wins; within it the newest date, then the latest entry.
    return (len(prefix_of(row.region_id)) if row.region_id else 0, row.valid_from, row.id)


def policy_resolve_all(*, region_code: str | None, on: dt.date) -> dict[str, ResolvedPolicy]:
    """Return the value in force of every key that has one for the region on the date."""
    best: dict[str, PolicyValue] = {}
    for row in _candidates(list(policy_keys()), region_code, on):
        if row.key not in best or _rank(row) > _rank(best[row.key]):
            best[row.key] = row
    return {
        k: ResolvedPolicy(policy_key(k), policy_key(k).parse(r.value), r)
        for k, r in sorted(best.items())
    }


def policy_get(key: str, *, region_code: str | None, on: dt.date) -> Decimal | int:
    """Return the value of a key for the region on the date, or raise `policy_missing`."""
    definition = policy_key(key)
    rows = list(_candidates([key], region_code, on))
    if not rows:
        raise Refused(
            "policy_missing",
            _("该日期没有生效的政策参数"),
            {"key": key, "region": region_code, "date": on.isoformat()},
        )
    return definition.parse(max(rows, key=_rank).value)


def policy_history(*, key: str | None = None, region_prefix: str = "", ancestors_of: str = ""):
    """Return every recorded value, newest entry first, optionally for one key or region subtree.

    `ancestors_of` (a region code) adds the values of that region's ancestors, which apply to it.
    """
    rows = PolicyValue.objects.select_related("region", "created_by").order_by("-created_at", "-id")
    if key:
        rows = rows.filter(key=key)
    if region_prefix:
        inherited = Q(region_id__in=ancestor_codes(ancestors_of)) if ancestors_of else Q(pk__in=[])
        rows = rows.filter(
            Q(region__isnull=True) | Q(region__code__startswith=region_prefix) | inherited
        )
    return rows
