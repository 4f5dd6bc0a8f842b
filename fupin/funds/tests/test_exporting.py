"""The balances workbook goes through the guarded writer: a formula typed as text stays text."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from fupin.funds.tests.factories import FundSourceFactory


def test_a_document_number_that_looks_like_a_formula_is_exported_as_text(client, regions, users):
    FundSourceFactory(region=regions.county, amount=Decimal("1234.56"), document_no="=1+1")
    client.force_login(users.county)

    export = client.get("/funds/", {"region": regions.county.code, "format": "xlsx"})

    sheets = load_workbook(io.BytesIO(export.content)).worksheets
    cell = sheets[3]["D2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert sheets[0]["B2"].number_format == "#,##0.00" and sheets[0].freeze_panes == "A2"
