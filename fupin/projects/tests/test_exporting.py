"""The project list workbook goes through the guarded writer: a formula typed as text stays text."""

import io

from openpyxl import load_workbook

from fupin.projects.tests.factories import project_in


def test_a_project_name_that_looks_like_a_formula_is_exported_as_text(client, people):
    project_in(people.regions.village_a, "operating", name="=1+1", total_investment="1000.00")
    client.force_login(people.town)

    export = client.get("/projects/", {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(export.content)).active
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("=1+1", "s")
    assert sheet["H2"].number_format == "#,##0.00" and sheet.freeze_panes == "A2"
