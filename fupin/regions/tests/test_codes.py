import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.regions.choices import Level
from fupin.regions.codes import ancestor_codes, is_valid_code, level_of, parent_code, prefix_of


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("370000000000", Level.PROVINCE, "37", None),
        ("370400000000", Level.CITY, "3704", "370000000000"),
        ("370481000000", Level.COUNTY, "370481", "370400000000"),
        ("370481101000", Level.TOWN, "370481101", "370481000000"),
        ("370481101201", Level.VILLAGE, "370481101201", "370481101000"),
    ],
)
def test_level_prefix_and_parent_follow_from_the_code(code, level, prefix, parent):
    assert is_valid_code(code)
    assert (level_of(code), prefix_of(code), parent_code(code)) == (level, prefix, parent)


@pytest.mark.parametrize(
    "code",
    [
        "37040000000",
        "3704000000000",
        "37040000000A",
        "000000000000",
        "370081000000",
        "370400000201",
    ],
)
def test_malformed_codes_are_invalid(code):
    assert not is_valid_code(code)


@given(st.from_regex(r"\A[1-6][1-9](0[1-9]){2}[1-2]\d[1-9][2-3]\d[1-9]\Z"))
def test_every_ancestor_prefix_selects_the_village(code):
    assert is_valid_code(code)
    chain = ancestor_codes(code)
    assert [level_of(c) for c in chain] == [12, 9, 6, 4, 2]
    assert all(code.startswith(prefix_of(a)) for a in chain)
