"""Reads of the regions app, always within the user's scope."""

from django.db.models import QuerySet

from fupin.core.errors import NotFound
from fupin.regions.codes import ancestor_codes
from fupin.regions.models import Region


def region_scope_prefix(user) -> str | None:
    """Return the code prefix of the user's scope; '' means everything, None means nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ""
    region = getattr(user, "region", None)
    return region.prefix if region is not None else None


def region_list(*, user) -> QuerySet[Region]:
    """Return the regions the user may see: their region and everything under it."""
    prefix = region_scope_prefix(user)
    if prefix is None:
        return Region.objects.none()
    return Region.objects.filter(code__startswith=prefix) if prefix else Region.objects.all()


def region_get(*, user, code: str) -> Region:
    """Return one region in the user's scope, or raise NotFound."""
    try:
        return region_list(user=user).get(code=code)
    except Region.DoesNotExist:
        raise NotFound("region", {"code": code}) from None


def region_visible(*, user, code: str | None, perm: str) -> Region:
    """Return the asked region (default: the user's own) if the user holds `perm`, else NotFound.

    For figures of a region that are no row of a scoped model: the permission is checked here.
    """
    if not user.has_perm(perm):
        raise NotFound("region", {"code": code})
    if code:
        return region_get(user=user, code=code)
    region = getattr(user, "region", None)
    if region is None:
        raise NotFound("region", {"code": code})
    return region


def region_children(*, region: Region) -> QuerySet[Region]:
    """Return the direct children of a region."""
    return Region.objects.filter(parent_id=region.code).order_by("code")


def region_path(*, region: Region) -> list[Region]:
    """Return the region's ancestors and itself, from the top."""
    codes = ancestor_codes(region.code)
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in reversed(codes) if c in by_code]
