"""NBS 12-digit division codes: level, prefix and parent follow from the code alone."""

from fupin.regions.choices import Level

# (start, end) of each level's digits: province, city, county, town, village.
SEGMENTS = ((0, 2), (2, 4), (4, 6), (6, 9), (9, 12))


def _filled(code: str) -> list[bool]:
    return [code[a:b].strip("0") != "" for a, b in SEGMENTS]


def is_valid_code(code: str) -> bool:
    """Tell whether the text is a 12-digit code with no zero-filled level above a filled one."""
    if len(code) != 12 or not code.isdigit():
        return False
    filled = _filled(code)
    depth = filled.count(True)
    return depth > 0 and filled == [True] * depth + [False] * (len(SEGMENTS) - depth)


def level_of(code: str) -> Level:
    """Return the level of a valid code: the last level that is not zero-filled."""
    depth = _filled(code).count(True)
    return Level(SEGMENTS[depth - 1][1])


def prefix_of(code: str) -> str:
    """Return the code without its zero-filled levels; it selects the whole subtree."""
    return code[: level_of(code)]


def parent_code(code: str) -> str | None:
    """Return the code of the level above, or None for a province."""
    keep = SEGMENTS[_filled(code).count(True) - 1][0]
    return code[:keep] + "0" * (12 - keep) if keep else None


def ancestor_codes(code: str) -> list[str]:
    """Return the codes of the region and every ancestor, the region first."""
    codes = [code]
    while (parent := parent_code(codes[-1])) is not None:
        codes.append(parent)
    return codes
