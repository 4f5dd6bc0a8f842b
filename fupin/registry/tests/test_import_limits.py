"""Import limits: checking stops at a number of problems, big files are refused by code, reports age out."""

import os
import time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from fupin.accounts.tests.factories import UserFactory
from fupin.core.importing import import_reports_clean
from fupin.registry.services import household_import
from fupin.registry.tests.test_import import (
    HEADER,
    family,
    head,
    nothing_written,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def test_checking_stops_after_the_limit_of_problems_and_the_report_says_so(
    regions, tmp_path, settings
):
    settings.FUPIN_IMPORT_MAX_PROBLEMS = 5
    rows = [head(f"H{n}", n, 证件号码="not-an-id") for n in range(1, 41)]

    result = household_import(path=write_csv(tmp_path / "bad.csv", rows))

    assert result.stopped and len(result.problems) == 5
    assert result.summary() == "stopped after 5 problems; nothing written"
    report = result.write_report(tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert "stopped after 5 problems" in report and "已在发现 5 个问题后停止检查" in report
    assert nothing_written()


@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_a_file_of_more_rows_than_allowed_is_refused_by_code(regions, tmp_path, settings, write):
    settings.FUPIN_IMPORT_MAX_ROWS = 3
    path = write(
        tmp_path / ("big.csv" if write is write_csv else "big.xlsx"),
        [*family("H1", 1), *family("H2", 10)],
    )

    result = household_import(path=path)

    assert [p.code for p in result.problems] == ["too_many_rows"]
    assert nothing_written()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(
    regions, tmp_path, settings
):
    settings.FUPIN_IMPORT_MAX_UNPACKED_BYTES = 200_000
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(2000):  # compresses to a few kilobytes, unpacks to megabytes
        sheet.append(["H1", "370481101201", "x" * 500, f"名{n}"])
    book.save(tmp_path / "bomb.xlsx")
    assert (tmp_path / "bomb.xlsx").stat().st_size < 200_000

    result = household_import(path=tmp_path / "bomb.xlsx")

    assert [p.code for p in result.problems] == ["xlsx_too_large"]


def test_old_reports_are_deleted_on_the_next_web_import(client, regions, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUPIN_IMPORT_REPORT_DAYS = 2
    imports = tmp_path / "media" / "imports"
    old, recent = imports / "7" / ("a" * 32), imports / "7" / ("b" * 32)
    for folder, age_days in ((old, 3), (recent, 1)):
        folder.mkdir(parents=True)
        report = folder / "report.csv"
        report.write_text("行号/row\n", encoding="utf-8")
        then = time.time() - age_days * 86400
        os.utime(report, (then, then))
    officer = UserFactory(role="county_officer", region=regions.county)
    client.force_login(officer)

    with write_csv(tmp_path / "in.csv", family("H1", 1)).open("rb") as upload:
        page = client.post(
            reverse("registry:household_import"), {"kind": "households", "file": upload}
        )

    assert page.status_code == 200
    assert not old.exists() and recent.exists()
    assert import_reports_clean(imports, days=0) >= 1 and not recent.exists()
