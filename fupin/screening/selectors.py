"""Reads of screening: the rule parameters from policy, and the registry standing in one query."""

import csv
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from analytics.screening import Params
from fupin.core.errors import NotFound, Refused
from fupin.policy.keys import policy_key
from fupin.policy.models import PolicyValue
from fupin.policy.selectors import policy_get
from fupin.regions.codes import prefix_of
from fupin.regions.models import Region
from fupin.regions.selectors import region_get
from fupin.registry.models import Household
from fupin.screening.choices import PARAM_KEYS
from fupin.screening.models import FeedUpload, ScreeningRun


def policy_file_read(path: str | Path) -> dict[str, Decimal | int]:
    """Return the policy keys of a TOML file (dotted keys or tables), each value checked."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Refused(
            "policy_file_invalid", _("政策参数文件无法读取"), {"file": str(path), "error": str(exc)}
        ) from None

    def flat(table: dict, prefix: str = "") -> dict:
        items = {}
        for key, value in table.items():
            if isinstance(value, dict):
                items.update(flat(value, f"{prefix}{key}."))
            else:
                items[f"{prefix}{key}"] = value
        return items

    return {key: policy_key(key).parse(str(value)) for key, value in flat(data).items()}


def screening_params(*, year: int, overrides: dict | None = None) -> list[tuple[str, Params]]:
    """Return the rule parameters at the end of the year: the national set ("") and each region's own.

    A region that set any of the keys gets its own set (its values, inherited for the rest); a
    household takes the set of the longest region prefix it falls under. `overrides` win everywhere.
    """
    on = dt.date(year, 12, 31)
    regions = sorted(
        set(
            PolicyValue.objects.filter(
                key__in=PARAM_KEYS.values(), region__isnull=False, valid_from__lte=on
            ).values_list("region_id", flat=True)
        )
    )
    overrides = overrides or {}
    sets = []
    for code in [None, *regions]:
        values = {
            field: Decimal(
                str(
                    overrides[key] if key in overrides else policy_get(key, region_code=code, on=on)
                )
            )
            for field, key in PARAM_KEYS.items()
        }
        sets.append(("" if code is None else prefix_of(code), Params(**values)))
    return sets


def registry_write(path: Path) -> int:
    """Write every household's number and support category (removed households left out)."""
    rows = (
        Household.objects.filter(removal_reason="")
        .with_category()
        .values_list("household_no", "category")
        .order_by()
    )
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["household_no", "category"])
        for row in rows.iterator(chunk_size=20_000):
            out.writerow(row)
            count += 1
    return count


def run_region(*, user, code: str = "") -> Region:
    """Return the region a command's run is recorded for: the code's, the user's, or the top one.

    A code is looked up in the user's scope; without one, the acting user's region, or for a
    system run the top of the region tree.
    """
    if code:
        if user is not None:
            return region_get(user=user, code=code)
        region = Region.objects.filter(code=code).first()
    elif user is not None and user.region_id:
        region = user.region
    else:
        region = Region.objects.filter(parent__isnull=True).order_by("code").first()
    if region is None:
        raise NotFound("region", {"code": code})
    return region


def run_list(*, user):
    """Return the screening runs in the user's scope, newest first."""
    return ScreeningRun.objects.restrict(user).select_related("region", "started_by")


def run_get(*, user, run_id: int):
    """Return one run in the user's scope, or raise NotFound."""
    return ScreeningRun.objects.select_related("region", "started_by").get_restricted(
        user, pk=run_id
    )


def flag_list(*, user, run, rule: str = "", town: str = "", village: str = ""):
    """Return a run's flagged households in the user's scope, filtered by rule, town or village."""
    flags = run.flags.restrict(user).select_related("case")
    if rule:
        # Rule codes never contain one another, so a text match on the joined codes is exact.
        flags = flags.filter(rules__contains=rule)
    if village:
        flags = flags.filter(village_code=village)
    elif town:
        flags = flags.filter(village_code__startswith=town[:9])
    return flags.order_by("household_no")


def upload_list(*, user):
    """Return the feed uploads in the user's scope, newest first."""
    return FeedUpload.objects.restrict(user).select_related("region", "uploaded_by")
