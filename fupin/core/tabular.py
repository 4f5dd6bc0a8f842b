"""Reading officials' spreadsheets: CSV (UTF-8 with or without BOM, or GB18030) and XLSX.

Rows are yielded as (spreadsheet row number, list of cell texts); the header is row 1.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from fupin.core.errors import FupinError

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def detect_csv_encoding(path: Path) -> str:
    """Return the first encoding that decodes the whole file, or raise `bad_encoding`."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FupinError(
        "bad_encoding",
        _("文件编码无法识别：请保存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX"),
        {"file": path.name, "accepted": list(CSV_ENCODINGS)},
    )


@dataclass
class Sheet:
    """The header and the row iterator of one file."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_sheet(path: str | Path) -> Sheet:
    """Open a CSV or XLSX file (by extension) and return its header and rows."""
    path = Path(path)
    if not path.exists():
        raise FupinError("file_not_found", _("文件不存在"), {"file": str(path)})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _open_xlsx(path)
    raise FupinError("bad_file_type", _("只接受 CSV 或 XLSX 文件"), {"file": path.name})


def _open_csv(path: Path) -> Sheet:
    encoding = detect_csv_encoding(path)
    handle = path.open(encoding=encoding, newline="")
    reader = csv.reader(handle)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]

    def rows():
        with handle:
            for number, row in enumerate(reader, start=2):
                cells = [c.strip() for c in row]
                if any(cells):
                    yield number, cells

    return Sheet(header, rows())


def _open_xlsx(path: Path) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise FupinError(
            "bad_file", _("无法读取该 Excel 文件"), {"file": path.name, "reason": str(exc)}
        ) from exc
    first = next(data, [])
    header = [_cell_text(h) for h in first]

    def rows():
        for number, row in enumerate(data, start=2):
            cells = [_cell_text(c) for c in row]
            if any(cells):
                yield number, cells

    return Sheet(header, rows())


def map_header(
    header: list[str], columns: dict[str, tuple[str, ...]], required: set[str]
) -> dict[str, int]:
    """Map each known column key to its index, accepting Chinese or English names in any order.

    `columns` maps a key to its accepted names; a missing required column raises `missing_columns`.
    """
    lookup = {name.strip().lower(): key for key, names in columns.items() for name in names}
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = lookup.get(name.strip().lower())
        if key is not None and key not in index:
            index[key] = i
    missing = sorted(required - index.keys())
    if missing:
        raise FupinError(
            "missing_columns",
            _("缺少必需的列"),
            {"columns": [columns[k][0] + "/" + columns[k][-1] for k in missing]},
        )
    return index
