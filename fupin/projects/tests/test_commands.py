"""`fupin review projects`: counts, the weak and idle list, overdue plans and the Excel file."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fupin.projects.models import ProjectReview, RectificationPlan
from fupin.projects.tests.factories import project_in


def test_review_projects_prints_counts_lists_and_writes_excel(people, capsys, tmp_path):
    r = people.regions
    idle = project_in(r.village_a, "operating", name="闲置大棚")
    weak = project_in(r.village_a, "weak", name="弱质鸡场")
    RectificationPlan.objects.create(
        project=weak,
        kind="rectification",
        measures=["capital_injection", "change_operator"],
        deadline=dt.date(2020, 6, 30),
        responsible_name="王主任",
    )
    out = tmp_path / "review.xlsx"
    call_command("review", "projects", region=r.county.code, year=2024, by="county", out=str(out))
    printed = capsys.readouterr().out
    assert "参评 2 个项目：正常 0，弱质 0，闲置 2；转入弱质/闲置 1 个" in printed
    assert f"{idle.code}\t闲置大棚\t闲置\t12000.00\t0.00\t-" in printed
    assert "逾期的整改、盘活方案：1 个" in printed
    assert f"{weak.code}\t整改\t2020-06-30\t王主任" in printed
    idle.refresh_from_db()
    assert idle.status == "idle"
    review = ProjectReview.objects.get()
    assert review.run_by == people.county
    book = load_workbook(io.BytesIO(out.read_bytes()))
    results, plans = book.worksheets
    rows = list(results.iter_rows(values_only=True))
    assert rows[0][0] == "滕州市 2024 年度项目回头看"
    header = rows.index(next(row for row in rows if row and row[0] == "项目编号"))
    body = rows[header + 1 :]
    assert sorted(row[0] for row in body) == sorted([idle.code, weak.code])
    assert {row[3] for row in body} == {"闲置"}
    assert all(row[4] == 12000 and row[5] == 0 for row in body)
    plan_rows = list(plans.iter_rows(values_only=True))
    assert plan_rows[1][0] == weak.code
    assert plan_rows[1][3] == "资金注入、更换经营主体"


def test_review_of_an_unknown_region_or_a_wrong_role_fails(people):
    with pytest.raises(CommandError, match="not_found"):
        call_command("review", "projects", region="370481999000", year=2024)
    with pytest.raises(CommandError, match="forbidden"):
        call_command(
            "review", "projects", region=people.regions.town_a.code, year=2024, by="town_a"
        )
