"""The files of `fupin distribute plan`: households in, PLAN.csv and SUMMARY.json out; no database."""

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Refused
from fupin.core.importing.columns import CellError, Column, choice, columns_header
from fupin.core.tabular import map_header, open_sheet
from fupin.distribution import rule
from fupin.registry.choices import SupportCategory

# Size and income are read by the rule's own parsers: their codes are the rule's (decision 0085).
COLUMNS = (
    Column("household_no", ("household_no", "户编号"), required=True),
    Column("category", ("category", "帮扶类别"), choice(SupportCategory), required=True),
    Column("size", ("size", "家庭人口数"), required=True),
    Column("per_capita_income", ("per_capita_income", "人均纯收入"), required=True),
)


def coded(exc: rule.RuleError) -> Refused:
    """Return the rule's refusal as fupin's coded error (message translated)."""
    return Refused(exc.code, gettext(exc.message), exc.details)


def households_read(path: str | Path) -> list[rule.Household]:
    """Read the households of a CSV or XLSX file (columns of COLUMNS), or raise a coded error."""
    sheet = open_sheet(path)
    names, required = columns_header(COLUMNS)
    index = map_header(sheet.header, names, required)
    read_category = COLUMNS[1].reader
    households = []
    for number, cells in sheet.rows:

        def cell(key, cells=cells):
            i = index[key]
            return cells[i].strip() if i < len(cells) else ""

        try:
            households.append(
                rule.Household(
                    household_no=cell("household_no"),
                    category=_category(read_category, cell("category")),
                    size=rule.parse_size(cell("size"), row=number),
                    per_capita_income=rule.parse_money(
                        cell("per_capita_income"), field="per_capita_income", row=number
                    ),
                )
            )
        except rule.RuleError as exc:
            raise coded(exc) from exc
    return households


def _category(read, text: str) -> str:
    # A category may be written as its key or its label; an unknown one is the rule's to refuse.
    try:
        return read(text) if text else text
    except CellError:
        return text


def plan_compute(params: rule.Parameters, households: list[rule.Household]) -> rule.Result:
    """Apply the rule, turning its refusals into coded errors."""
    try:
        return rule.distribute(params, households)
    except rule.RuleError as exc:
        raise coded(exc) from exc


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise Refused("out_dir_missing", _("输出文件所在的文件夹不存在"), {"file": str(path)})


def plan_write(
    result: rule.Result, *, out: str | Path | None, summary: str | Path | None = None
) -> None:
    """Write PLAN.csv and/or SUMMARY.json: each to a temporary file, renamed when all are done."""
    targets, texts = [], []
    if out:
        lines = [["household_no", "amount"]] + [
            [no, f"{amount:.2f}"] for no, amount in result.amounts.items()
        ]
        targets.append(Path(out))
        texts.append(_csv_text(lines))
    if summary:
        targets.append(Path(summary))
        texts.append(json.dumps(result.summary(), ensure_ascii=False, indent=2) + "\n")
    for target in targets:
        _check_folder(target)
    temporaries = []
    try:
        for target, text in zip(targets, texts, strict=True):
            with tempfile.NamedTemporaryFile(
                "w",
                encoding="utf-8",
                newline="",
                dir=target.parent,
                delete=False,
                prefix=f".{target.name}.",
                suffix=".tmp",
            ) as handle:
                temporaries.append(Path(handle.name))
                handle.write(text)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def _csv_text(lines: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def parameters_parse(*, amount, line, cap, weights, welfare_share, fund_share) -> rule.Parameters:
    """Return the rule's parameters from texts (command line) or values (policy)."""
    try:
        return rule.Parameters(
            amount=rule.parse_money(amount, field="amount"),
            line=rule.parse_money(line, field="line"),
            cap=rule.parse_money(cap, field="cap"),
            weights=(
                rule.parse_weights(weights)
                if isinstance(weights, str)
                else {
                    str(k): rule.parse_decimal(v, field="weights", category=str(k))
                    for k, v in dict(weights).items()
                }
            ),
            welfare_share=rule.parse_decimal(welfare_share, field="welfare_share"),
            fund_share=rule.parse_decimal(fund_share, field="fund_share"),
        )
    except rule.RuleError as exc:
        raise coded(exc) from exc
