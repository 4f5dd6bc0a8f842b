"""Region import: codes and names, parents before children, all or nothing with a problem list."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fupin.regions.models import Region
from fupin.regions.services import region_import

pytestmark = pytest.mark.django_db


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_regions_are_created_with_level_and_parent_then_renamed(tmp_path):
    path = write(
        tmp_path / "r.csv",
        "名称,代码\n洪村,370481101201\n山东省,370000000000\n枣庄市,370400000000\n"
        "滕州市,370481000000\n洪绪镇,370481101000\n",
    )

    first = region_import(path=path)
    renamed = region_import(path=write(tmp_path / "s.csv", "code,name\n370481101201,洪绪村\n"))

    assert (first.ok, first.created, first.updated) == (True, 5, 0)
    village = Region.objects.get(code="370481101201")
    assert (village.level, village.parent_id, village.prefix, village.name) == (
        12,
        "370481101000",
        "370481101201",
        "洪绪村",
    )
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 0)


def test_bad_rows_are_all_listed_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path / "r.csv",
        "代码,名称\n370000000000,山东省\n37040000000,枣庄市\n370481000000,\n"
        "370000000000,重复\n370481101000,洪绪镇\n",
    )

    result = region_import(path=path)

    assert {(p.code, p.row, p.column) for p in result.problems} == {
        ("invalid_region_code", 3, "代码"),
        ("required", 4, "名称"),
        ("duplicate_code", 5, "代码"),
        ("region_parent_missing", 6, "代码"),
    }
    assert not Region.objects.exists()


def test_command_reports_problems_and_exits_2(tmp_path):
    path = write(tmp_path / "r.csv", "代码,名称\n370481000000,滕州市\n")

    with pytest.raises(CommandError) as refused:
        call_command("import", "regions", str(path))

    assert refused.value.returncode == 2
    assert "region_parent_missing" in (tmp_path / "r.csv.errors.csv").read_text(
        encoding="utf-8-sig"
    )
