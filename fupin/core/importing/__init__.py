"""The shared shape of all-or-nothing imports: problems by row and column, counts, the report, bulk writes."""

import csv
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import FupinError
from fupin.core.tabular import Sheet, map_header, open_sheet

REPORT_HEADER = (
    "行号/row",
    "列/column",
    "值/value",
    "错误/message",
    "error (English)",
    "代码/code",
)

# Row number of a problem with the file as a whole (encoding, type); the header is row 1.
FILE_ROW = 0

# Rows fetched at a time when a result is streamed.
CHUNK = 5000

FILE_MESSAGES_EN = {
    "bad_encoding": "Unknown encoding: save the CSV as UTF-8 or GB18030, or use XLSX",
    "bad_file": "The Excel file cannot be read",
    "bad_file_type": "Only CSV or XLSX files are accepted",
    "bad_csv": "The CSV file is malformed",
    "too_many_rows": "The file has more rows than allowed (%(max)s): split it into several files",
    "xlsx_too_large": "The Excel file unpacks to more than allowed: split it or save it as CSV",
}


def max_problems() -> int:
    """Return the number of problems after which an import stops checking (FUPIN_IMPORT_MAX_PROBLEMS)."""
    return settings.FUPIN_IMPORT_MAX_PROBLEMS


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One wrong cell, row or file of an import: where it is, what it holds, why it is wrong."""

    row: int  # spreadsheet row number, header = 1; FILE_ROW (0) for the file as a whole
    column: str  # the header name as written in the file; '' when no single column is at fault
    value: str
    message: str  # Chinese (the active language)
    message_en: str
    code: str = ""


@dataclass
class ImportResult:
    """Counts of an import, or the problems that stopped it (then nothing was written)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    stopped: bool = False  # checking stopped at the limit of problems; more may follow

    def __post_init__(self):
        limit = max_problems()
        if len(self.problems) >= limit:
            self.problems = self.sorted_problems()[:limit]
            self.stopped = True

    @property
    def ok(self) -> bool:
        """Tell whether the file was clean (and therefore applied)."""
        return not self.problems

    def summary(self) -> str:
        """Return the one-line outcome: counts, or the number of problems."""
        if self.stopped:
            return f"stopped after {len(self.problems)} problems; nothing written"
        if self.problems:
            return f"{len(self.problems)} problems; nothing written"
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def sorted_problems(self) -> list[ImportProblem]:
        """Return the problems in file order (by row, then as found)."""
        return sorted(self.problems, key=lambda p: p.row)

    def write_report(self, path: str | Path) -> Path:
        """Write the problems as a CSV (UTF-8 with BOM, so that Excel opens it) and return its path."""
        path = Path(path)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_HEADER)
            for p in self.sorted_problems():
                writer.writerow(
                    [
                        p.row,
                        _safe_cell(p.column),
                        _safe_cell(p.value),
                        p.message,
                        p.message_en,
                        p.code,
                    ]
                )
            if self.stopped:
                n = len(self.problems)
                writer.writerow(
                    [
                        "",
                        "",
                        "",
                        str(_("已在发现 %(n)s 个问题后停止检查，其余行未检查")) % {"n": n},
                        f"stopped after {n} problems; the rest of the file was not checked",
                        "too_many_problems",
                    ]
                )
        return path


def _safe_cell(text: str) -> str:
    # A report cell starting like a formula would run in Excel (CSV injection); quote it.
    if text and text[0] in "=+@\t\r" or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def problem(
    row: int, column: str, value: str, code: str, message, message_en: str, /, **params
) -> ImportProblem:
    """Return a problem whose messages are filled with the named parameters."""
    zh = str(message)
    return ImportProblem(
        row,
        column,
        value,
        zh % params if params else zh,
        message_en % params if params else message_en,
        code,
    )


@dataclass
class OpenedSheet:
    """A file opened for import: its rows, the column index by key, and the header names."""

    rows: Iterator[tuple[int, list[str]]]
    index: dict[str, int]
    header: list[str]

    def name(self, key: str) -> str:
        """Return the header of a column as written in the file."""
        return self.header[self.index[key]]


def import_sheet_open(
    path: str | Path,
    columns: dict[str, tuple[str, ...]],
    required: set[str],
    problems: list[ImportProblem],
) -> OpenedSheet | None:
    """Open a file and map its header; file and header faults are appended to `problems`."""
    try:
        sheet: Sheet = open_sheet(path)
    except FupinError as exc:
        if exc.code == "file_not_found":
            raise
        problems.append(_file_problem(path, exc))
        return None
    index = map_header(sheet.header, columns, set())
    for key in [k for k in columns if k in required and k not in index]:
        problems.append(
            problem(
                1,
                columns[key][0],
                "",
                "missing_columns",
                _("缺少必需的列：%(column)s"),
                "Missing required column: %(column)s",
                column=f"{columns[key][0]}/{columns[key][-1]}",
            )
        )
    if any(p.code == "missing_columns" for p in problems):
        return None
    return OpenedSheet(_guarded(sheet.rows, problems, path), index, sheet.header)


def _file_problem(path, exc: FupinError) -> ImportProblem:
    details = exc.details or {}
    return ImportProblem(
        FILE_ROW,
        "",
        Path(path).name,
        str(exc.message),
        FILE_MESSAGES_EN.get(exc.code, exc.code) % {"max": details.get("max", "")},
        exc.code,
    )


def _guarded(rows: Iterator[tuple[int, list[str]]], problems: list[ImportProblem], path=""):
    # Reading stops at the limit of problems: a file wrong in every cell costs no more than that.
    limit = max_problems()
    last = 1
    try:
        for number, cells in rows:
            if len(problems) >= limit:
                return
            last = number
            yield number, cells
    except FupinError as exc:
        problems.append(_file_problem(path, exc))
    except csv.Error as exc:
        problems.append(
            ImportProblem(
                last + 1,
                "",
                "",
                str(_("CSV 文件格式错误")) + f": {exc}",
                f"{FILE_MESSAGES_EN['bad_csv']}: {exc}",
                "bad_csv",
            )
        )


def import_reports_clean(root: str | Path, *, days: float | None = None) -> int:
    """Delete the import folders (reports) under `root` older than the retention; return how many.

    The retention is FUPIN_IMPORT_REPORT_DAYS unless `days` is given. A folder's age is that of
    its newest file.
    """
    import shutil
    import time

    root = Path(root)
    if not root.is_dir():
        return 0
    days = settings.FUPIN_IMPORT_REPORT_DAYS if days is None else days
    cutoff = time.time() - days * 86400
    removed = 0
    for owner in root.iterdir():
        if not owner.is_dir():
            continue
        for folder in owner.iterdir():
            if not folder.is_dir():
                continue
            newest = max(
                (f.stat().st_mtime for f in folder.rglob("*")), default=folder.stat().st_mtime
            )
            if newest < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def rows_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert database-ready tuples into a table in bulk; return the number of rows."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # One INSERT per row costs PostgreSQL a parse and plan each (about 16k rows/s here);
            # COPY streams the same rows about eight times faster.
            with raw.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count

        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        # A generator keeps a million rows out of memory; the debug cursor (DEBUG, query capture in
        # tests) needs their number up front.
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({column_list}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            list(counted()) if connection.queries_logged else counted(),
        )
        return count


def rows_update(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, key: str = "id"
) -> int:
    """Update rows by key with one executemany of (values…, key) tuples; return the number of rows."""
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(table)} SET {', '.join(f'{quote(c)} = %s' for c in columns)} "
        f"WHERE {quote(key)} = %s"
    )
    rows = rows if isinstance(rows, list) else list(rows)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


@contextmanager
def keys_table(keys: Iterable, *, column_type: str = "varchar(64)") -> Iterator[RawSQL]:
    """Load keys into a temporary table and yield a subquery of them for `field__in=`.

    One join against the table replaces hundreds of IN lists of a few thousand parameters,
    each of which PostgreSQL parses and plans anew.
    """
    table = f"fupin_keys_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (k {column_type} NOT NULL)")
    try:
        rows_insert(table, ["k"], ((key,) for key in keys))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ANALYZE {table}"
                )  # the planner needs the table's size to pick a hash join
        yield RawSQL(f"SELECT k FROM {table}", [])
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")


def import_lock(name: str) -> None:
    """Serialise imports of one kind until the current transaction ends.

    Two imports that create the same household would otherwise both pass their checks on
    PostgreSQL and the second would fail on a unique index instead of a readable problem.
    SQLite needs nothing: its IMMEDIATE transactions already hold the one write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"fupin.import.{name}"])
