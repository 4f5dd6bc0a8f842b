"""The import dialect: column specs and typed cell readers shared by every importer.

A reader turns the text of one non-empty cell into a value or raises `CellError` with a code and
its messages; `Column` names a column (its accepted headers, its reader, whether the file must
have it); `Table` opens a file with a list of columns and yields rows whose cells are read and
whose problems are collected. Fast importers bind a reader to a column once (`Column.bind`) and
call it per row, so that a million cells cost one lookup each.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fupin.core.importing import ImportProblem, OpenedSheet, import_sheet_open, problem


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


ABSENT = _Marker("ABSENT")  # a column the file does not have (a stored value is kept)
INVALID = _Marker("INVALID")  # a cell whose problem is already recorded

# The problems of cells: code -> (Chinese message, English message).
CELL_MESSAGES = {
    "required": (_("必填项不能为空"), "Required value is missing"),
    "too_long": (_("内容过长（最多 %(max)s 个字符）"), "Too long (at most %(max)s characters)"),
    "invalid_choice": (
        _("“%(text)s”不是有效的取值，可填：%(allowed)s"),
        '"%(text)s" is not a valid value; use one of: %(allowed_en)s',
    ),
    "invalid_date": (_("日期格式应为 YYYY-MM-DD"), "The date must be YYYY-MM-DD"),
    "invalid_integer": (
        _("应为 %(min)s 至 %(max)s 之间的整数"),
        "Must be a whole number from %(min)s to %(max)s",
    ),
    "money_format": (_("金额应为数字（元）"), "The amount must be a number (yuan)"),
    "money_places": (_("金额最多两位小数"), "At most 2 decimal places"),
    "money_negative": (_("金额不能为负数"), "The amount must not be negative"),
    "money_too_large": (_("金额过大"), "The amount is too large"),
    "region_code_format": (
        _("区划代码应为 6、9 或 12 位数字"),
        "A division code has 6, 9 or 12 digits",
    ),
}


class CellError(Exception):
    """A cell that a reader refuses: its code and the parameters of its message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def problem(self, row: int, column: str, value: str, messages=None) -> ImportProblem:
        """Return the problem of this cell, with the message of its code."""
        zh, en = (messages or {}).get(self.code) or CELL_MESSAGES[self.code]
        return problem(row, column, value, self.code, zh, en, **self.params)


Reader = Callable[[str], object]


def text(max_length: int | None = None) -> Reader:
    """Return a reader of free text of at most `max_length` characters."""
    if max_length is None:
        return str

    def read(value: str) -> str:
        if len(value) > max_length:
            raise CellError("too_long", max=max_length)
        return value

    return read


class Choices:
    """The accepted spellings of one coded column: Chinese label, English key or English label.

    The spellings are gathered on first use, so that specs can be module constants (translations
    are not ready while apps load).
    """

    def __init__(self, choices=None, extra: dict[str, object] | None = None):
        self.choices, self.extra = choices, extra or {}
        self._lookup: dict[str, object] | None = None

    def _build(self) -> None:
        lookup: dict[str, object] = {}
        self._labels: dict[object, str] = {}
        for value, label in self.choices.choices if self.choices is not None else ():
            with translation.override("zh-hans"):
                zh = str(label)
            with translation.override("en"):
                en = str(label)
            self._labels[value] = zh
            for spelling in (str(value), zh, en):
                lookup.setdefault(spelling, value)
                lookup.setdefault(spelling.lower(), value)
        for spelling, value in self.extra.items():
            lookup[spelling] = value
            lookup.setdefault(spelling.lower(), value)
        self._allowed = "、".join(self._labels.values())
        self._allowed_en = ", ".join(str(v) for v in self._labels)
        self._lookup = lookup

    @property
    def lookup(self) -> dict[str, object]:
        """Return the value of each accepted spelling."""
        if self._lookup is None:
            self._build()
        return self._lookup

    @property
    def labels(self) -> dict[object, str]:
        """Return the Chinese label of each value, in order."""
        self.lookup  # noqa: B018 - built on first use
        return self._labels

    @property
    def allowed(self) -> str:
        """Return the Chinese labels as a message lists them."""
        self.lookup  # noqa: B018
        return self._allowed

    @property
    def allowed_en(self) -> str:
        """Return the values as an English message lists them."""
        self.lookup  # noqa: B018
        return self._allowed_en

    def label(self, value) -> str:
        """Return the Chinese label of a value."""
        return self.labels.get(value, str(value))

    def __call__(self, value: str):
        """Read a cell: its value, or `invalid_choice`."""
        lookup = self._lookup if self._lookup is not None else self.lookup
        found = lookup.get(value)
        if found is None:
            found = lookup.get(value.lower())
            if found is None:
                raise CellError(
                    "invalid_choice", text=value, allowed=self.allowed, allowed_en=self.allowed_en
                )
        return found


class _YesNo(Choices):
    """是/否 and their spellings, listed as 是、否."""

    def _build(self) -> None:
        super()._build()
        self._labels = {True: "是", False: "否"}
        self._allowed, self._allowed_en = "是、否", "true, false"


def choice(choices, extra: dict[str, object] | None = None) -> Choices:
    """Return a reader of a TextChoices value written as its code or its label (Chinese or English)."""
    return Choices(choices, extra)


YES = ("是", "y", "yes", "true", "1", "对")
NO = ("否", "n", "no", "false", "0", "不")


def yes_no(yes: Sequence[str] = (), no: Sequence[str] = ()) -> Choices:
    """Return a reader of 是/否 (Y/N, yes/no, true/false, 1/0, and the column's own words)."""
    return _YesNo(extra={**dict.fromkeys((*YES, *yes), True), **dict.fromkeys((*NO, *no), False)})


def date() -> Reader:
    """Return a reader of a date as YYYY-MM-DD (or with / or .; a time after it is ignored)."""

    def read(value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value.split(" ")[0].replace("/", "-").replace(".", "-"))
        except ValueError:
            raise CellError("invalid_date") from None

    return read


def integer(minimum: int, maximum: int, code: str = "invalid_integer") -> Reader:
    """Return a reader of a whole number from `minimum` to `maximum` (else `code`)."""

    def read(value: str) -> int:
        number = int(value) if value.isdigit() else None
        if number is None or not minimum <= number <= maximum:
            raise CellError(code, min=minimum, max=maximum)
        return number

    return read


MONEY = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
MONEY_MAX_INTEGER_DIGITS = 12
CENT = Decimal("0.01")


def yuan() -> Reader:
    """Return a reader of an amount in yuan: not negative, at most two decimals, 1,000 commas allowed."""

    def read(value: str) -> Decimal:
        match = MONEY.fullmatch(value)
        if match is None:
            if value.startswith("-") and MONEY.fullmatch(value[1:]):
                raise CellError("money_negative")
            raise CellError("money_format")
        whole, places = match.group(1).replace(",", ""), match.group(2) or ""
        if len(places) > 2:
            raise CellError("money_places")
        if len(whole.lstrip("0")) > MONEY_MAX_INTEGER_DIGITS:
            raise CellError("money_too_large")
        try:
            return Decimal(f"{whole}.{places or '0'}").quantize(CENT)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise CellError("money_format") from None

    return read


REGION_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")


def region_code() -> Reader:
    """Return a reader of a division code (6, 9 or 12 digits); whether it exists is the importer's set-based check."""

    def read(value: str) -> str:
        if not REGION_CODE.fullmatch(value):
            raise CellError("region_code_format")
        return value

    return read


def separated(reader: Reader, separators: str = r"[;；,，、\s]+") -> Reader:
    """Return a reader of a list of values separated by ; , 、 or spaces, each read by `reader`."""
    split = re.compile(separators).split

    def read(value: str) -> list:
        return [reader(part) for part in split(value) if part]

    return read


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import file: its key, accepted headers, reader, and whether it must be there."""

    key: str
    names: tuple[str, ...]
    reader: Reader = str
    required: bool = False  # the header must have it, and every row must fill it

    def bind(
        self,
        position: int,
        problems: list[ImportProblem],
        header: str | None = None,
        messages: dict | None = None,
    ) -> Callable[[int, list[str]], object]:
        """Return `read(row, cells)` for this column at `position` of the rows (-1: not in the file).

        It gives the value, '' for an empty cell, ABSENT when the file lacks the column, or INVALID
        after appending the cell's problem to `problems`.
        """
        if position < 0:
            return lambda number, cells: ABSENT
        reader, column = self.reader, header or self.names[0]

        def read(number: int, cells: list[str]):
            value = cells[position]
            if not value:
                return ""
            try:
                return reader(value)
            except CellError as exc:
                problems.append(exc.problem(number, column, value, messages))
                return INVALID

        return read


def columns_header(columns: Sequence[Column]) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Return the header map and the required keys of a list of columns (for `import_sheet_open`)."""
    return {col.key: col.names for col in columns}, {col.key for col in columns if col.required}


class Row:
    """One row of a `Table`: its number, its cells' texts and their values as read."""

    __slots__ = ("number", "texts", "values")

    def __init__(self, number: int, texts: dict[str, str], values: dict[str, object]):
        self.number, self.texts, self.values = number, texts, values

    def __getitem__(self, key: str):
        """Return the value of a cell: typed, None when empty or absent, INVALID when refused."""
        return self.values[key]

    def text(self, key: str) -> str:
        """Return the text of a cell as written (stripped)."""
        return self.texts[key]

    @property
    def clean(self) -> bool:
        """Tell whether every cell of the row was read without a problem."""
        return all(v is not INVALID for v in self.values.values())


class Table:
    """A file opened for import with its column specs; rows are read and their problems kept."""

    def __init__(self, path: str | Path, columns: Sequence[Column], messages: dict | None = None):
        self.columns = list(columns)
        self.by_key = {col.key: col for col in self.columns}
        self.messages = messages
        self.problems: list[ImportProblem] = []
        names, required = columns_header(self.columns)
        self.sheet: OpenedSheet | None = import_sheet_open(path, names, required, self.problems)

    def column(self, key: str) -> str:
        """Return the header of a column as written in the file, or its first name."""
        if self.sheet is not None and key in self.sheet.index:
            return self.sheet.name(key)
        return self.by_key[key].names[0]

    def bad(self, number: int, key: str, value: str, code: str, message, message_en, **params):
        """Note a problem of a row found by the importer's own rules."""
        self.problems.append(
            problem(number, self.column(key), value, code, message, message_en, **params)
        )

    def refuse(self, number: int, key: str, value: str, code: str, **params) -> None:
        """Note a cell problem of a row with the dialect's message of `code`."""
        self.problems.append(CellError(code, **params).problem(number, self.column(key), value))

    def rows(self) -> Iterator[Row]:
        """Yield the non-empty rows, each cell stripped and read; problems go to `problems`."""
        if self.sheet is None:
            return
        index = self.sheet.index
        bound = [(col, index.get(col.key)) for col in self.columns]
        for number, cells in self.sheet.rows:
            if not any(cell.strip() for cell in cells):
                continue
            texts, values = {}, {}
            for col, i in bound:
                value = cells[i].strip() if i is not None and i < len(cells) else ""
                texts[col.key] = value
                if not value:
                    if col.required:
                        self.refuse(number, col.key, "", "required")
                        values[col.key] = INVALID
                    else:
                        values[col.key] = None
                    continue
                try:
                    values[col.key] = col.reader(value)
                except CellError as exc:
                    self.problems.append(
                        exc.problem(number, self.column(col.key), value, self.messages)
                    )
                    values[col.key] = INVALID
            yield Row(number, texts, values)
