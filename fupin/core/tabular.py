"""Officials' spreadsheets: reading CSV (UTF-8 with or without BOM, or GB18030) and XLSX, and
writing every exported XLSX (`WorkbookWriter`).

Rows are yielded as (spreadsheet row number, list of cell texts); the header is row 1.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fupin.core.errors import Refused, TooLarge

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
    raise Refused(
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
        raise Refused("file_not_found", _("文件不存在"), {"file": str(path)})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _open_xlsx(path)
    raise Refused("bad_file_type", _("只接受 CSV 或 XLSX 文件"), {"file": path.name})


def _open_csv(path: Path) -> Sheet:
    encoding = detect_csv_encoding(path)
    handle = path.open(encoding=encoding, newline="")
    reader = csv.reader(handle)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]

    limit = max_rows()

    def rows():
        with handle:
            for number, row in enumerate(reader, start=2):
                if number - 1 > limit:
                    raise _too_many_rows(path, limit)
                cells = [c.strip() for c in row]
                if any(cells):
                    yield number, cells

    return Sheet(header, rows())


def max_rows() -> int:
    """Return the most data rows an import file may have (setting FUPIN_IMPORT_MAX_ROWS)."""
    return settings.FUPIN_IMPORT_MAX_ROWS


def _too_many_rows(path: Path, limit: int) -> TooLarge:
    return TooLarge(
        "too_many_rows",
        _("文件行数超过上限 %(max)s 行：请拆分为多个文件") % {"max": f"{limit:,}"},
        {"file": path.name, "max": limit},
    )


def _xlsx_guard(path: Path) -> None:
    """Refuse an XLSX that unpacks to more than the setting allows, or holds too many rows.

    The sizes in the zip directory are checked before anything is unpacked (a small file can
    unpack to gigabytes); the rows are counted in the sheets' XML as it streams, so a file is
    refused before the reader holds it in memory.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader says the file cannot be read
    limit_bytes = settings.FUPIN_IMPORT_MAX_UNPACKED_BYTES
    limit_rows = max_rows()
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limit_bytes:
            raise TooLarge(
                "xlsx_too_large",
                _("Excel 文件解压后超过 %(max)s MB：请拆分为多个文件或另存为 CSV")
                % {"max": f"{limit_bytes / 1048576:,.0f}"},
                {"file": path.name, "unpacked_bytes": unpacked, "max_bytes": limit_bytes},
            )
        for info in infos:
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            rows, tail, read = 0, b"", 0
            with archive.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    read += len(chunk)
                    if read > info.file_size:  # a directory that lies about the size
                        raise TooLarge(
                            "xlsx_too_large",
                            _("Excel 文件解压后超过 %(max)s MB：请拆分为多个文件或另存为 CSV")
                            % {"max": f"{limit_bytes / 1048576:,.0f}"},
                            {"file": path.name},
                        )
                    text = tail + chunk
                    rows += text.count(b"<row ") + text.count(b"<row>")
                    rows -= tail.count(b"<row ") + tail.count(b"<row>")
                    tail = text[-5:]
                    if rows - 1 > limit_rows:
                        raise _too_many_rows(path, limit_rows)


def _open_xlsx(path: Path) -> Sheet:
    from python_calamine import CalamineWorkbook

    _xlsx_guard(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise Refused(
            "bad_file", _("无法读取该 Excel 文件"), {"file": path.name, "reason": str(exc)}
        ) from exc
    first = next(data, [])
    header = [_cell_text(h) for h in first]

    limit = max_rows()

    def rows():
        for number, row in enumerate(data, start=2):
            if number - 1 > limit:
                raise _too_many_rows(path, limit)
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
        raise Refused(
            "missing_columns",
            _("缺少必需的列"),
            {"columns": [columns[k][0] + "/" + columns[k][-1] for k in missing]},
        )
    return index


# Writing ------------------------------------------------------------------------------------------

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The last row of a sheet in Excel and LibreOffice.
XLSX_LAST_ROW = 1_048_576
# A text cell starting with one of these is a formula (or a DDE call) to Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KIND_FORMATS = {
    "money": MONEY_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "percent": PERCENT_FORMAT,
    "integer": "0",
    "text": None,
    "number": None,
}


@dataclass(frozen=True)
class Column:
    """A column of a written sheet: its heading, the kind of its values and its width."""

    title: str
    kind: str = ""  # money | date | datetime | percent | integer | number | text; '' = by value
    width: float | None = None


def _format_of(value, kind: str) -> str | None:
    if kind:
        return KIND_FORMATS[kind]
    if isinstance(value, Decimal):
        return MONEY_FORMAT
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    return None


class SheetWriter:
    """One sheet of a `WorkbookWriter`: lead lines, a bold frozen header, then rows."""

    def __init__(self, sheet, columns: list[Column], lead: list[list]):
        self._sheet = sheet
        self.columns = columns
        self.rows = 0
        for index, column in enumerate(columns, start=1):
            if column.width:
                sheet.column_dimensions[get_column_letter(index)].width = column.width
        # Write-only sheets write their views with the first row, so the pane is set before it.
        sheet.freeze_panes = f"A{len(lead) + 2}"
        for number, line in enumerate(lead):
            cells = [self._cell(value, "") for value in line]
            if number == 0 and cells:
                cells[0].font = Font(bold=True, size=14)
            sheet.append(cells)
        header = []
        for column in columns:
            cell = self._cell(str(column.title), "text")
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)

    def _cell(self, value, kind: str):
        cell = WriteOnlyCell(self._sheet)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = value
            if value.startswith(FORMULA_START):
                # Stored as text and marked as typed text: neither opening nor editing runs it.
                cell.data_type = "s"
                cell.quotePrefix = True
            return cell
        if isinstance(value, Promise):
            cell.value = str(value)
            return cell
        cell.value = value
        if value is not None and (number_format := _format_of(value, kind)):
            cell.number_format = number_format
        return cell

    def append(self, values) -> None:
        """Write one row; text is never a formula, money, dates and kinds get their formats."""
        kinds = [column.kind for column in self.columns]
        cells = [
            self._cell(value, kinds[i] if i < len(kinds) else "") for i, value in enumerate(values)
        ]
        self._sheet.append(cells)
        self.rows += 1

    def _data_range(self, index: int) -> str:
        """Return the range of column `index` (0-based) from the first data row to the sheet's end."""
        letter = get_column_letter(index + 1)
        # The header row is frozen: the first unfrozen row is the first data row.
        first = int(self._sheet.freeze_panes[1:])
        return f"{letter}{first}:{letter}{XLSX_LAST_ROW}"

    def drop_down(self, index: int, source: str, *, error: str = "") -> None:
        """Offer the cells of `source` ("'Sheet'!$A$2:$A$9") as a drop-down list in column `index`.

        Every data row of the column gets the list; a typed value not in it is refused by Excel
        with `error` (pasted values are not checked: the import checks everything again).
        """
        validation = DataValidation(
            type="list", formula1=source, allow_blank=True, showDropDown=False
        )
        validation.showErrorMessage = True
        validation.errorStyle = "stop"
        with translation.override("zh-hans"):
            validation.error = str(error or _("请从下拉列表中选择"))
        validation.add(self._data_range(index))
        self._sheet.data_validations.append(validation)

    def cells_range(self, index: int, count: int) -> str:
        """Return the absolute reference of `count` data cells of column `index`, sheet named."""
        letter = get_column_letter(index + 1)
        first = int(self._sheet.freeze_panes[1:])
        title = self._sheet.title.replace("'", "''")
        return f"'{title}'!${letter}${first}:${letter}${first + count - 1}"


class WorkbookWriter:
    """An XLSX file written row by row in constant memory; every export goes through it.

    Headings are taken in Chinese, text that Excel would read as a formula is stored as text,
    money (Decimal or a `money` column) shows `#,##0.00`, dates `yyyy-mm-dd`, and the header row
    of every sheet is frozen.
    """

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(self, title, columns, *, lead: list[list] = ()) -> SheetWriter:
        """Add a sheet of these columns (Column or heading text), after optional lead lines."""
        with translation.override("zh-hans"):
            title = str(title)[:31]
            columns = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
            columns = [Column(str(c.title), c.kind, c.width) for c in columns]
            lead = [[str(v) if isinstance(v, Promise) else v for v in line] for line in lead]
        for bad in "[]:*?/\\":
            title = title.replace(bad, "-")
        return SheetWriter(self._book.create_sheet(title), columns, list(lead))

    def save(self, target) -> None:
        """Write the workbook to a path or a binary file."""
        self._book.save(target)

    def content(self) -> bytes:
        """Return the workbook as bytes."""
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()

    def form_sheet(self, title, columns, *, text: Iterable[int] = ()) -> SheetWriter:
        """Add a sheet to be filled in by hand (a template): like `sheet`, and the columns at the
        indexes in `text` (0-based) are formatted as text, so that what is typed stays as typed.

        Excel keeps 15 digits of a number: an ID number or a 12-digit code typed into a general
        cell loses its last digits and leading zeros unless the cell is text.
        """
        # The column formats go out with the first row, which SheetWriter writes at once.
        with translation.override("zh-hans"):
            title = str(title)[:31]
            columns = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
            columns = [Column(str(c.title), c.kind, c.width) for c in columns]
        for bad in "[]:*?/\\":
            title = title.replace(bad, "-")
        sheet = self._book.create_sheet(title)
        for index in text:
            sheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        return SheetWriter(sheet, columns, [])


def workbook_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """Return an XLSX file of (title, header, rows) sheets, the first column wide; amounts stay
    numbers."""
    workbook = WorkbookWriter()
    for title, header, rows in sheets:
        columns = [Column(name, width=24 if i == 0 else 16) for i, name in enumerate(header)]
        sheet = workbook.sheet(title, columns)
        for row in rows:
            sheet.append(row)
    return workbook.content()
