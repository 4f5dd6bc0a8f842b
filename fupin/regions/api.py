"""API of regions: one region with its children, within the user's scope."""

from ninja import Router, Schema

from fupin.regions.selectors import region_children, region_get

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None


class RegionDetailOut(RegionOut):
    children: list[RegionOut]


def _region_out(region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
    }


@router.get("/{code}", response=RegionDetailOut, summary="区划及其下级")
def region_detail(request, code: str):
    region = region_get(user=request.user, code=code)
    return {
        **_region_out(region),
        "children": [_region_out(r) for r in region_children(region=region)],
    }
